"""The desk's inbox (알림): a staff member's notifications, unread first, marked read by
POST; and their settings: how they hear of each kind, and an editor's desk sections.
Every change is one call into articles.notifications."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.permissions import desk_view
from articles import notifications, permissions
from articles.forms import SectionsChoiceField
from articles.models import Delivery, DeskSection, NotificationKind, Section

INBOX_PAGE_SIZE = 30


@never_cache
@desk_view()
def inbox(request):
    """The person's notifications: the unread first, then the read, each newest first."""
    page = Paginator(notifications.inbox(request.user), INBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for notification in page:
        notification.message = notifications.message(notification)
        notification.link = notifications.link(notification)
    return render(request, "articles/desk/notifications.html", {"page": page})


@desk_view()
@require_POST
def mark_read(request, notification_id: int):
    """Mark read; with `open`, go on to what the notification is about (its own link, never
    an address from the request), as a click on an unread notification does."""
    target = notifications.mark_read(request.user, notification_id)
    if target is None:
        raise Http404
    if "open" in request.POST and target:
        return redirect(target)
    return redirect("story_desk:notifications")


@desk_view()
@require_POST
def mark_all_read(request):
    if notifications.mark_all_read(request.user):
        messages.success(request, _("Every notification is marked read."))
    return redirect("story_desk:notifications")


class SettingsForm(forms.Form):
    """One choice of delivery per kind; for editors, the sections of their desk."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = notifications.preferences(user)
        for kind, label in NotificationKind.choices:
            self.fields[f"kind_{kind}"] = forms.ChoiceField(
                label=label,
                choices=Delivery.choices,
                initial=chosen[kind],
                widget=forms.RadioSelect,
            )
        self.is_editor = permissions.is_editor(user)
        if self.is_editor:
            self.fields["desk_sections"] = SectionsChoiceField(
                label=_("Sections of my desk"),
                queryset=Section.objects.active_tree(),
                required=False,
                initial=list(
                    DeskSection.objects.filter(user=user).values_list("section_id", flat=True)
                ),
                widget=forms.CheckboxSelectMultiple,
                help_text=_(
                    "You are told of stories submitted in these sections and their "
                    "subsections. None chosen: every submitted story."
                ),
            )

    def kind_fields(self):
        return [self[f"kind_{kind}"] for kind in NotificationKind.values]

    def choices(self) -> dict[str, str]:
        return {kind: self.cleaned_data[f"kind_{kind}"] for kind in NotificationKind.values}


@never_cache
@desk_view()
def notification_settings(request):
    form = SettingsForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        notifications.set_preferences(request.user, form.choices())
        if form.is_editor:
            notifications.set_desk_sections(request.user, form.cleaned_data["desk_sections"])
        messages.success(request, _("Your notification settings are saved."))
        return redirect("story_desk:notification-settings")
    return render(request, "articles/desk/notification_settings.html", {"form": form})
