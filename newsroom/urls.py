from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from articles import api
from media.views import public_file
from newsroom import views

admin.site.site_header = admin.site.site_title = format_lazy(
    "{} · {}", settings.SITE_NAME, _("Administration")
)
admin.site.index_title = _("Newsroom administration")

handler400 = views.bad_request
handler500 = views.server_error

# Korean pages have no prefix (/accounts/, /desk/); English ones live under /en/.
urlpatterns = [
    path("theme.css", views.theme_css, name="theme-css"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/ready", views.healthz, name="healthz-ready"),
    path("healthz/live", views.healthz_live, name="healthz-live"),
    path("admin/login/", views.admin_login),
    path("admin/", admin.site.urls),
    path("", include("articles.syndication_urls")),
    # The partner content API: one address for every language, answered for a key only.
    path("api/v1/", api.urls()),
    # What comes back from sent newsletters: the open-tracking image and the mail
    # providers' webhooks (their addresses are given to the provider once, in no language).
    path("newsletters/", include("articles.newsletters.tracking_urls")),
    *i18n_patterns(
        path("accounts/", include("allauth.urls")),
        path("desk/photos/", include("media.urls")),
        path("desk/profile/", views.staff_profile, name="desk-profile"),
        path("desk/staff/", include("accounts.desk_urls")),
        path("desk/comments/", include("comments.desk_urls")),
        path("desk/", include("articles.desk_urls")),
        path("", include("accounts.urls")),
        path("newsletters/", include("articles.newsletters.urls")),
        # Before articles: its /articles/<id>/<slug>/ would take "comments" for a slug.
        path("", include("comments.urls")),
        path("", include("articles.urls")),
        prefix_default_language=False,
    ),
]

if settings.SERVE_MEDIA:
    # Only MEDIA_ROOT (public renditions) is served; originals live elsewhere.
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(re_path(rf"^{media_prefix}(?P<path>.+)$", public_file))
