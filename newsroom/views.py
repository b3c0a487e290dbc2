from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import cache_control

from accounts.models import StaffProfile
from accounts.permissions import desk_view
from accounts.roles import Role, roles_of


@desk_view()
def desk(request):
    """The staff member's start page. It lives here, in the wiring layer, because it
    gathers panels from every app (the portrait from the photo library, ...)."""
    roles = roles_of(request.user)
    return render(
        request,
        "newsroom/desk.html",
        {
            "profile": StaffProfile.objects.filter(user=request.user).first(),
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
