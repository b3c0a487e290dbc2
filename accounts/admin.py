from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from accounts import membership, roles
from accounts.models import AccountEvent, RoleChange, StaffProfile, User
from newsroom.admin_base import ReadOnlyAdmin


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=roles.Role.choices, required=False, label=_("Roles"), **kwargs)


class UserChangeWithRolesForm(UserChangeForm):
    roles = RolesField()

    class Meta:
        model = User
        fields = ["email", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = sorted(roles.held_roles(self.instance))


class UserCreationWithRolesForm(AdminUserCreationForm):
    roles = RolesField()

    class Meta:
        model = User
        fields = ["email"]


def _profile_values(form) -> dict[str, str]:
    """What an admin form posted of the fields accounts.membership edits."""
    return {
        name: form.cleaned_data[name]
        for name in membership.PROFILE_FIELDS
        if name in form.cleaned_data
    }


class StaffProfileInline(admin.StackedInline):
    """The byline fields, saved through accounts.membership (UserAdmin.save_formset). A
    profile is made by granting a role, and its URL slug stays (links keep working)."""

    model = StaffProfile
    can_delete = False
    extra = 0
    fields = ["byline_name", "slug", "title", "public_email", "bio"]
    readonly_fields = ["slug"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Groups and permissions are not edited here: roles change only through accounts.roles,
    which records every change."""

    form = UserChangeWithRolesForm
    add_form = UserCreationWithRolesForm
    ordering = ["email"]
    search_fields = ["email", "nickname", "staff_profile__byline_name"]
    list_display = ["email", "nickname", "role_list", "is_active", "is_superuser", "date_joined"]
    list_filter = ["is_active", "is_superuser", "groups"]
    # Superusers are made with createsuperuser, never by ticking a box here. Nicknames
    # change only through accounts.membership, which checks and records them.
    readonly_fields = [
        "nickname",
        "consents_given",
        "last_login",
        "date_joined",
        "is_staff",
        "is_superuser",
    ]
    fieldsets = [
        (None, {"fields": ["email", "nickname", "password"]}),
        (_("Rights"), {"fields": ["roles", "is_active", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
        (_("Consents"), {"fields": ["consents_given"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "usable_password", "password1", "password2", "roles"],
            },
        ),
    ]
    inlines = [StaffProfileInline]
    filter_horizontal: list[str] = []

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("Roles"))
    def role_list(self, obj):
        labels = dict(roles.Role.choices)
        return ", ".join(str(labels[g.name]) for g in obj.groups.all() if g.name in labels)

    @admin.display(description=_("Consents given"))
    def consents_given(self, obj):
        # Shown, never edited: only accounts.membership writes consents.
        return (
            format_html_join(
                mark_safe("<br>"),
                "{} {} ({})",
                (
                    (
                        consent.get_kind_display(),
                        consent.version,
                        date_format(localtime(consent.given_at), "Y-m-d H:i"),
                    )
                    for consent in obj.consents.all()
                ),
            )
            or "-"
        )

    def has_change_permission(self, request, obj=None):
        return roles.can_manage_roles(request.user) and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # Switching an account off or on is recorded by accounts.roles, not saved here.
        wanted_active = obj.is_active
        if change:
            obj.is_active = User.objects.get(pk=obj.pk).is_active
        super().save_model(request, obj, form, change)
        if change and wanted_active != obj.is_active:
            roles.set_active(obj, wanted_active, actor=request.user, note="admin")

    def save_formset(self, request, form, formset, change):
        if formset.model is not StaffProfile:
            return super().save_formset(request, form, formset, change)
        # Profile edits are recorded by accounts.membership, not saved here. The lists are
        # what the admin's own change message reads from a saved formset.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for profile_form in formset.initial_forms:
            if profile_form.has_changed():
                profile = profile_form.instance
                changed = membership.update_staff_profile(
                    profile, actor=request.user, **_profile_values(profile_form)
                )
                if changed:
                    formset.changed_objects.append((profile, changed))
        return None

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        wanted = set(form.cleaned_data.get("roles", []))
        held = set(roles.held_roles(user))
        for role in sorted(wanted - held):
            roles.grant_role(user, role, actor=request.user, note="admin")
        for role in sorted(held - wanted):
            roles.revoke_role(user, role, actor=request.user, note="admin")


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    """Edits go through accounts.membership, which records them ("profile_changed").
    Profiles are made by granting a role (accounts.roles) and outlive it: published bylines
    keep pointing at them. Their member and URL slug stay."""

    list_display = ["byline_name", "title", "public_email", "user"]
    search_fields = ["byline_name", "public_email", "user__email"]
    list_select_related = ["user"]
    fields = ["user", "byline_name", "slug", "title", "public_email", "bio"]
    readonly_fields = ["user", "slug"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        membership.update_staff_profile(obj, actor=request.user, **_profile_values(form))


class HistoryActionFilter(admin.SimpleListFilter):
    """A history's actions by their labels (the model's `Action`), for the admin's
    history lists: the column itself has no choices (newsroom.models.HistoryEntry)."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return model_admin.model.Action.choices

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(RoleChange)
class RoleChangeAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user_email", "role", "action_label", "actor_name", "note"]
    list_filter = ["role", HistoryActionFilter]
    search_fields = ["user_email", "actor_name"]

    @admin.display(description=_("action"), ordering="action")
    def action_label(self, obj):
        return obj.get_action_display()


@admin.register(AccountEvent)
class AccountEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user_email", "action_label", "actor_name", "data"]
    list_filter = [HistoryActionFilter]
    search_fields = ["user_email"]

    @admin.display(description=_("action"), ordering="action")
    def action_label(self, obj):
        return obj.get_action_display()
