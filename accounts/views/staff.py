"""The staff roles page of the desk (/desk/staff/): editors give and remove roles. Every
change goes through accounts.roles, which checks the actor, keeps the rules (nobody removes
their own editor role) and records the change; this view only reads the form and reports."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts import roles, selectors
from accounts.errors import NotAllowed
from accounts.models import RoleChange, User
from accounts.names import display_name
from accounts.permissions import desk_view
from accounts.roles import Role

STAFF_PAGE_SIZE = 30
HISTORY_PAGE_SIZE = 20
CHANGES = {"grant": roles.grant_role, "revoke": roles.revoke_role}


class RoleChangeForm(forms.Form):
    """One press of a role button: whose role, which change ("grant:editor"), and a note."""

    user = forms.IntegerField(min_value=1)
    change = forms.ChoiceField(
        choices=[(f"{verb}:{role}", f"{verb}:{role}") for verb in CHANGES for role in Role.values]
    )
    note = forms.CharField(max_length=200, required=False)


@dataclass
class RoleButton:
    role: str
    label: str
    held: bool
    # The viewer's own editor role: accounts.roles refuses to remove it, so the button is off.
    locked: bool = False


@dataclass
class HistoryRow:
    change: RoleChange
    subject: str
    role_label: str  # empty for an account switched off or on
    by: str


@dataclass
class StaffRow:
    user: User
    name: str
    buttons: list[RoleButton]
    latest: HistoryRow | None


@never_cache
@desk_view(roles.MANAGE_ROLES)
@require_http_methods(["GET", "POST"])
def staff(request):
    """Staff members (accounts holding a role) with a button per role, a search that finds
    any account to make it staff, and the latest role changes. Both lists page on their own
    (?page=, ?history=) and cost a fixed number of queries whatever their length."""
    if request.method == "POST":
        return _change_role(request)
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.staff_members(query), STAFF_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    history = Paginator(selectors.role_history(), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("history")
    )
    return render(
        request,
        "accounts/staff.html",
        {
            "query": query,
            "page": page,
            "rows": [_staff_row(user, viewer=request.user) for user in page],
            "history": history,
            "history_rows": [_history_row(change) for change in history],
        },
    )


def _change_role(request):
    form = RoleChangeForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    verb, _sep, role = form.cleaned_data["change"].partition(":")
    user = get_object_or_404(
        User.objects.select_related("staff_profile"), pk=form.cleaned_data["user"]
    )
    # Read before the change: a grant creates the profile the name may come from.
    params = {"name": _byline(user) or user.email, "role": Role(role).label}
    try:
        changed = CHANGES[verb](user, role, actor=request.user, note=form.cleaned_data["note"])
    except NotAllowed as refusal:
        messages.error(request, str(refusal.args[0]))
    else:
        if not changed:
            message = (
                _("%(name)s already has the %(role)s role.")
                if verb == "grant"
                else _("%(name)s does not have the %(role)s role.")
            )
            messages.info(request, message % params)
        elif verb == "grant":
            messages.success(request, _("Gave %(name)s the %(role)s role.") % params)
        else:
            messages.success(request, _("Took the %(role)s role away from %(name)s.") % params)
    # Back to the same page of the same search (the form posts to the page's own address).
    return redirect(request.get_full_path())


def _staff_row(user: User, *, viewer: User) -> StaffRow:
    held = {group.name for group in user.role_groups}
    return StaffRow(
        user=user,
        name=_byline(user),
        buttons=[
            RoleButton(
                role=value,
                label=label,
                held=value in held,
                locked=value == Role.EDITOR and value in held and user.pk == viewer.pk,
            )
            for value, label in Role.choices
        ],
        latest=_history_row(user.latest_changes[0]) if user.latest_changes else None,
    )


def _history_row(change: RoleChange) -> HistoryRow:
    labels = dict(Role.choices)
    return HistoryRow(
        change=change,
        subject=(change.user and _byline(change.user)) or change.user_email,
        role_label=labels.get(change.role, ""),
        by=_actor_name(change),
    )


def _byline(user: User) -> str:
    profile = getattr(user, "staff_profile", None)  # readers have none
    return profile.byline_name if profile else ""


def _actor_name(change: RoleChange) -> str:
    if change.actor is not None:
        return display_name(change.actor)
    # The snapshot: the actor's address at the time, or "system" for commands and loads.
    return _("the system") if change.actor_name == "system" else change.actor_name
