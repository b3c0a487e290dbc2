import logging
import sys

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control

from accounts import membership
from accounts.forms import StaffProfileForm
from accounts.models import StaffProfile
from accounts.permissions import desk_view
from accounts.roles import Role, ensure_staff_profile, roles_of
from newsroom import health

logger = logging.getLogger(__name__)


@desk_view()
def staff_profile(request):
    """The staff member's own byline: name, title, e-mail, bio, and the portrait. It lives
    here, in the wiring layer, because the page gathers parts from two apps (the profile
    from accounts, the portrait picker from the photo library)."""
    profile = ensure_staff_profile(request.user)
    if request.method == "POST":
        form = StaffProfileForm(request.POST, instance=StaffProfile(pk=profile.pk))
        if form.is_valid():
            changed = membership.update_staff_profile(
                profile,
                actor=request.user,
                **{name: form.cleaned_data[name] for name in form.fields},
            )
            if changed:
                messages.success(request, _("Your profile was saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("desk-profile")
    else:
        form = StaffProfileForm(instance=profile)
    roles = roles_of(request.user)
    return render(
        request,
        "newsroom/profile.html",
        {
            "profile": profile,
            "form": form,
            "role_labels": [label for value, label in Role.choices if value in roles],
        },
    )


@cache_control(public=True, max_age=3600)
def theme_css(request):
    """The site's colours from settings, as a stylesheet: pages carry no inline style."""
    return HttpResponse(
        f":root {{ --brand: {settings.SITE_BRAND_COLOR}; }}\n", content_type="text/css"
    )


def admin_login(request):
    """The admin signs in through allauth, so its rate limits guard the admin too."""
    if request.user.is_authenticated:
        # Signed in but refused by the admin: sending them to log in again would loop.
        raise PermissionDenied
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("admin:index")
    return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


def healthz_live(request):
    """Liveness, for an orchestrator deciding whether to restart the process: 200 whenever
    the process answers at all, whatever its database, cache or broker are doing (restarting
    it would not bring them back). No query, no cache call."""
    response = JsonResponse({"status": "ok"})
    response["Cache-Control"] = "no-store"
    return response


def healthz(request):
    """Readiness, for load balancers, the edge's probe and monitoring (also at /healthz/ready):
    200 when every part answers, else 503 naming the parts that did not, so traffic goes to
    another app server meanwhile. Never cached, never localized, no personal data."""
    results = health.check_all()
    failing = [name for name, result in results.items() if result == "failing"]
    response = JsonResponse(
        {"status": "failing" if failing else "ok", "failing": failing, **results},
        status=503 if failing else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


# While the database is away (a restart, a fail-over), how long a reader, the edge or a
# monitor is told to wait before asking again.
DATABASE_RETRY_AFTER_SECONDS = 5


def server_error(request):
    """The 500 page, drawn without the request as Django draws it; while the database is
    away, the 503 page instead, with Retry-After and kept by no cache: it passes by itself,
    and says so."""
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))


def bad_request(request, exception):
    """The 400 page, drawn without the request, as Django draws the 500 page: a request
    can be refused before the session and auth middleware have run (a query string with
    too many fields, newsroom.querystrings), and the context processors read the user."""
    return HttpResponseBadRequest(loader.render_to_string("400.html"))
