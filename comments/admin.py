"""The admin's part in comments: which sections each moderator works on, for editors (who
manage roles) and superusers. Comments, readers and the word list are moderated on the desk
(/desk/comments/), where every change goes through comments.moderation and is logged; so
do the sections here (recorded with the moderator's role changes)."""

from django.contrib import admin

from comments import moderation
from comments.models import ModeratorScope


@admin.register(ModeratorScope)
class ModeratorScopeAdmin(admin.ModelAdmin):
    list_display = ["user"]
    filter_horizontal = ["sections"]
    autocomplete_fields = ["user"]

    def get_readonly_fields(self, request, obj=None):
        # A scope belongs to its moderator: another moderator gets a scope of their own.
        return ["user"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        scope, _changed = moderation.set_moderator_sections(
            obj.user, form.cleaned_data["sections"], actor=request.user, note="admin"
        )
        obj.pk = scope.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # The sections were set by comments.moderation in save_model; there is no inline.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        moderation.remove_moderator_scope(obj.user, actor=request.user, note="admin")

    def delete_queryset(self, request, queryset):
        for scope in queryset.select_related("user"):
            moderation.remove_moderator_scope(scope.user, actor=request.user, note="admin")
