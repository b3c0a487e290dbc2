from django.urls import path

from articles.views import desk, desk_editor, desk_history

app_name = "story_desk"

urlpatterns = [
    path("", desk.dashboard, name="dashboard"),
    path("articles/new/", desk.story_new, name="new"),
    path("articles/<int:article_id>/edit/", desk.story_edit, name="edit"),
    path("articles/<int:article_id>/autosave/", desk.story_autosave, name="autosave"),
    path("articles/<int:article_id>/release/", desk.story_release, name="release"),
    path("articles/<int:article_id>/preview/", desk.story_preview, name="preview"),
    path("articles/<int:article_id>/history/", desk_history.history, name="history"),
    path("articles/<int:article_id>/decide/<str:decision>/", desk_editor.decide, name="decide"),
    path(
        "articles/<int:article_id>/share-links/",
        desk_editor.share_link_create,
        name="share-link-create",
    ),
    path(
        "share-links/<int:link_id>/revoke/", desk_editor.share_link_revoke, name="share-link-revoke"
    ),
    path(
        "articles/<int:article_id>/sharing/<int:delivery_id>/rerun/",
        desk_editor.share_rerun,
        name="share-rerun",
    ),
    path("front/", desk_editor.front, name="front"),
    path("queue/", desk_editor.queue, name="queue"),
    path("schedule/", desk_editor.schedule, name="schedule"),
]
