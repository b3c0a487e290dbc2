from django.urls import path

from accounts import legal
from accounts.views import public

app_name = "accounts"

urlpatterns = [
    # Under /accounts/ beside allauth's pages, whose paths these do not share.
    path("accounts/me/", public.me, name="me"),
    path("accounts/personal/", public.personal, name="personal"),
    path("accounts/me/delete/", public.delete_account, name="delete"),
    path("accounts/goodbye/", public.goodbye, name="goodbye"),
    path("accounts/logged-out/", public.logged_out, name="logged-out"),
    path("terms/", public.legal_text, {"kind": legal.TERMS}, name="terms"),
    path("privacy/", public.legal_text, {"kind": legal.PRIVACY}, name="privacy"),
]
