from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from newsroom import views

# Korean pages have no prefix (/accounts/, /desk/); English ones live under /en/.
urlpatterns = [
    path("admin/login/", views.admin_login),
    path("admin/", admin.site.urls),
    *i18n_patterns(
        path("", views.home, name="home"),
        path("accounts/", include("allauth.urls")),
        path("desk/", include("accounts.urls")),
        prefix_default_language=False,
    ),
]
