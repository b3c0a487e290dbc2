from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("articles/<int:article_id>/comments/", views.comment_block, name="block"),
    path("articles/<int:article_id>/comments/post/", views.post, name="post"),
    path("comments/<int:comment_id>/vote/", views.vote, name="vote"),
    path("comments/<int:comment_id>/report/", views.report, name="report"),
    path("comments/<int:comment_id>/delete/", views.delete, name="delete"),
]
