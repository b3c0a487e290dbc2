"""A reader's own pages (my page, deleting the account) and the texts agreed to at sign-up."""

from allauth.decorators import rate_limit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts import legal, membership
from accounts.forms import DeleteAccountForm, NicknameForm
from accounts.permissions import can_delete_own_account
from accounts.selectors import consents_of


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def me(request):
    """My page: the nickname (changed here), links to allauth's password and e-mail pages,
    and the consents given."""
    form = NicknameForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            changed = membership.change_nickname(request.user, form.cleaned_data["nickname"])
        except ValidationError as error:
            form.add_error("nickname", error)
        else:
            if changed:
                messages.success(request, _("Your nickname is now %s.") % request.user.nickname)
            return redirect("accounts:me")
    return render(
        request,
        "accounts/me.html",
        {
            "form": form,
            "consents": consents_of(request.user),
            "can_delete": can_delete_own_account(request.user),
            "member_sections": settings.MEMBER_PAGE_SECTIONS,
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
# The password is checked here: guessing it is limited like allauth's re-authentication.
@rate_limit(action="reauthenticate")
def delete_account(request):
    """회원탈퇴: says what happens, asks for the password and a tick, then deletes."""
    if not can_delete_own_account(request.user):
        return render(request, "accounts/delete.html", {"staff": True})
    if not request.user.has_usable_password():
        # Signed up through a social log-in: a password has to be set first.
        return render(request, "accounts/delete.html", {"needs_password": True})
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership.delete_account(request.user, password=form.cleaned_data["password"])
        except ValidationError as error:
            form.add_error("password", error)
        else:
            logout(request)
            return redirect("accounts:goodbye")
    return render(request, "accounts/delete.html", {"form": form})


def goodbye(request):
    return render(request, "accounts/goodbye.html")


def legal_text(request, kind: str):
    return render(
        request,
        legal.TEMPLATES[kind],
        {"version": legal.CURRENT_VERSIONS[kind], "kind": kind},
    )
