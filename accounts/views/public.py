"""A reader's own pages (my page, deleting the account) and the texts agreed to at sign-up."""

from allauth.decorators import rate_limit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from accounts import legal, membership
from accounts.forms import DeleteAccountForm, NicknameForm
from accounts.permissions import can_delete_own_account
from accounts.selectors import consents_of
from newsroom import cached_pages


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


def logged_out(request):
    # Where logging out lands: it says so itself, the same page for everyone, so no
    # message cookie has to be carried to a cached page.
    return render(request, "accounts/logged_out.html")


def legal_text(request, kind: str):
    return render(
        request,
        legal.TEMPLATES[kind],
        {"version": legal.CURRENT_VERSIONS[kind], "kind": kind},
    )


@never_cache
@require_safe
def personal(request):
    """A cached page's personal parts, asked for by its script when the reader is signed
    in: the header's name and log-out form (with its CSRF token), the messages waiting
    (shown once, here), and each of PERSONAL_PARTS, such as the story's comment block
    with the reader's own form and votes. A session that has ended says so and clears
    the marker cookie, so the script stops asking."""
    if not request.user.is_authenticated:
        cached_pages.signed_out(request)
        return JsonResponse({"signed_in": False})
    parts = {}
    for name, path in settings.PERSONAL_PARTS.items():
        html = import_string(path)(request)
        if html is not None:
            parts[name] = html
    return JsonResponse(
        {
            "signed_in": True,
            "account": render_to_string("accounts/account_links.html", request=request),
            "messages": render_to_string("accounts/messages.html", request=request),
            "parts": parts,
        }
    )
