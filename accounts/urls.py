from django.urls import path

from accounts import legal, views

app_name = "accounts"

urlpatterns = [
    # Under /accounts/ beside allauth's pages, whose paths these do not share.
    path("accounts/me/", views.me, name="me"),
    path("accounts/me/delete/", views.delete_account, name="delete"),
    path("accounts/goodbye/", views.goodbye, name="goodbye"),
    path("terms/", views.legal_text, {"kind": legal.TERMS}, name="terms"),
    path("privacy/", views.legal_text, {"kind": legal.PRIVACY}, name="privacy"),
]
