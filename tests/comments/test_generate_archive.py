"""manage.py generate_archive: a generated archive the site shows as it shows real stories,
written in bulk, and refused on a database holding stories the generator did not make. The
scale runs (100,000 stories) are `make bench-scale`'s; this keeps the generator from rotting
with 2,000 stories, on SQLite and, marked postgres, on PostgreSQL (with the indexes and
foreign keys set aside and built again)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q, Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from articles.archive import stories as archive_stories
from articles.models import Article, ArticleEvent, Byline, Revision, SearchEntry
from comments import selectors
from comments.models import Comment, CommentReport, CommentVote, ModerationAction
from tests.factories import ArticleFactory
from tests.pages import parse

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

Status = Article.Status


def generate(**options) -> str:
    out = io.StringIO()
    call_command("generate_archive", stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def test_the_archive_fills_an_empty_database_as_the_site_shows_it():
    out = generate(stories=2000, comments=3000, seed=7)

    assert "2,000 published stories" in out
    published = Article.objects.filter(status=Status.PUBLISHED)
    assert published.count() == 2000
    assert archive_stories.real_stories() == 0
    assert SearchEntry.objects.count() == 2000
    assert not published.filter(bylines__isnull=True).exists()
    assert Revision.objects.count() == Article.objects.count()
    assert ArticleEvent.objects.filter(action="publish").count() == 2000
    assert Article.objects.filter(status=Status.SUBMITTED).count() == archive_stories.SUBMITTED

    assert Comment.objects.count() == 3000
    assert ModerationAction.objects.filter(action="posted").count() == 3000
    counts = Comment.objects.aggregate(
        likes=Sum("like_count"), dislikes=Sum("dislike_count"), reports=Sum("report_count")
    )
    assert counts["likes"] == CommentVote.objects.filter(value="like").count()
    assert counts["dislikes"] == CommentVote.objects.filter(value="dislike").count()
    assert counts["reports"] == CommentReport.objects.count()
    assert not Comment.objects.filter(
        Q(parent__parent__isnull=False) | ~Q(parent__story=F("story")), parent__isnull=False
    ).exists()
    assert not Comment.objects.filter(created_at__lt=F("story__published_at")).exists()
    assert not Comment.objects.filter(created_at__gt=timezone.now()).exists()
    assert Comment.objects.filter(status=Comment.Status.PENDING).count() == 30

    # The hottest story holds a tenth of the comments; its block pages through them all.
    hottest = (
        published.annotate(total=Count("comments")).order_by("-total").values("pk", "total")[0]
    )
    assert hottest["total"] == 300
    story = Article.objects.get(pk=hottest["pk"])
    block = selectors.block(story.pk, page=999, sort="liked")
    assert block.page == block.pages > 1
    client = Client()
    page = client.get(story.get_absolute_url())
    assert page.status_code == 200
    heading = parse(page).one("section", id="comments").one("h2").text
    assert heading == f"댓글 ({selectors.block(story.pk).count})"

    section = story.section
    reporter = Byline.objects.filter(article=story).select_related("profile").first().profile
    for path in ("/", section.get_absolute_url(), f"/reporters/{reporter.slug}/"):
        assert client.get(path).status_code == 200
    found = client.get("/search/", {"q": archive_stories.words.INDUSTRY.topics[0]})
    assert found.status_code == 200
    assert found.context["page"].count > 0

    moderator = User.objects.get(email=f"moderator1@{archive_stories.DOMAIN}")
    editor = User.objects.get(email=f"editor1@{archive_stories.DOMAIN}")
    client.force_login(moderator)
    assert client.get(reverse("comment_desk:queue")).status_code == 200
    client.force_login(editor)
    queue = client.get(reverse("story_desk:queue"))
    assert queue.context["page"].paginator.count == archive_stories.SUBMITTED


def test_a_database_holding_real_stories_is_refused_unless_told_to_add_to_it():
    real = ArticleFactory(status=Status.PUBLISHED)

    with pytest.raises(CommandError, match="--into-existing"):
        generate(stories=20, comments=40)

    assert list(Article.objects.all()) == [real]
    generate(stories=20, comments=40, into_existing=True)
    assert Article.objects.filter(status=Status.PUBLISHED).count() == 21
    assert Article.objects.filter(pk=real.pk).exists()


def test_a_second_run_adds_to_a_generated_archive_without_being_told():
    generate(stories=20, comments=40, seed=1)

    generate(stories=20, comments=40, seed=2)

    assert Article.objects.filter(status=Status.PUBLISHED).count() == 40
    assert Comment.objects.count() == 80
