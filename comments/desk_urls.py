from django.urls import path

from comments.views import desk

app_name = "comment_desk"

urlpatterns = [
    path("", desk.queue, name="queue"),
    path("refused/", desk.refused, name="refused"),
    path("<int:comment_id>/", desk.comment_detail, name="comment"),
    path("readers/<int:user_id>/", desk.reader_detail, name="reader"),
    path("words/", desk.words, name="words"),
    path("log/", desk.log, name="log"),
]
