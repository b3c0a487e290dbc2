from django.urls import path

from articles.views import newsletters

app_name = "newsletters"

urlpatterns = [
    path("", newsletters.index, name="index"),
    path("subscribe/", newsletters.subscribe, name="subscribe"),
    # Signed tokens (django.core.signing) hold ":" and "-": <str:>.
    path("confirm/<str:token>/", newsletters.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", newsletters.unsubscribe, name="unsubscribe"),
    path("mine/", newsletters.mine, name="mine"),
]
