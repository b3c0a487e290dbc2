from django.urls import path

from comments.views import public

app_name = "comments"

urlpatterns = [
    path("articles/<int:article_id>/comments/", public.comment_block, name="block"),
    path("articles/<int:article_id>/comments/post/", public.post, name="post"),
    path("comments/<int:comment_id>/vote/", public.vote, name="vote"),
    path("comments/<int:comment_id>/report/", public.report, name="report"),
    path("comments/<int:comment_id>/delete/", public.delete, name="delete"),
]
