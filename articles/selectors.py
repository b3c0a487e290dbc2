"""Read paths of stories, with their joins and prefetches."""

from django.db.models import Prefetch, QuerySet

from articles.models import Article, ArticleEvent, Byline, PhotoUse, Revision


def stories_for_staff() -> QuerySet[Article]:
    return Article.objects.select_related("section", "series", "created_by").prefetch_related(
        Prefetch("bylines", queryset=Byline.objects.select_related("profile")),
    )


def story_with_content(article_id: int) -> Article:
    return (
        Article.objects.select_related("section", "series", "share_photo")
        .prefetch_related(
            "tags",
            "extra_sections",
            "corrections",
            Prefetch("bylines", queryset=Byline.objects.select_related("profile__user")),
            Prefetch(
                "photo_uses",
                queryset=PhotoUse.objects.select_related("photo").prefetch_related(
                    "photo__renditions"
                ),
            ),
        )
        .get(pk=article_id)
    )


def history(article: Article) -> QuerySet[ArticleEvent]:
    return article.events.select_related("actor")


def revisions(article: Article) -> QuerySet[Revision]:
    return article.revisions.all()
