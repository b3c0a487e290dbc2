from django.urls import path

from articles.views import desk

app_name = "story_desk"

urlpatterns = [
    path("", desk.dashboard, name="dashboard"),
    path("articles/new/", desk.story_new, name="new"),
    path("articles/<int:article_id>/edit/", desk.story_edit, name="edit"),
    path("articles/<int:article_id>/autosave/", desk.story_autosave, name="autosave"),
    path("articles/<int:article_id>/release/", desk.story_release, name="release"),
    path("articles/<int:article_id>/preview/", desk.story_preview, name="preview"),
]
