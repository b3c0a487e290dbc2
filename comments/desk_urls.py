from django.urls import path

from comments import desk_views

app_name = "comment_desk"

urlpatterns = [
    path("", desk_views.queue, name="queue"),
    path("decide/", desk_views.decide, name="decide"),
    path("<int:comment_id>/", desk_views.comment_detail, name="comment"),
    path("readers/<int:user_id>/", desk_views.reader_detail, name="reader"),
    path("words/", desk_views.words, name="words"),
    path("log/", desk_views.log, name="log"),
]
