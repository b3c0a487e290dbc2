"""Stories set up the way the desk makes them: through articles.workflow, as the right people."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from accounts import roles
from articles import workflow
from articles.models import Article, ArticleEvent
from tests.conftest import staff

# The photo fixtures of the media tests: a real upload, renditions made in-process.
from tests.media.conftest import jpeg_bytes, photo, upload

__all__ = ["jpeg_bytes", "photo", "upload"]

SEOUL = ZoneInfo("Asia/Seoul")
# A Monday morning on the desk; every test that needs the clock starts here.
MONDAY_9AM = datetime(2025, 3, 3, 9, 0, tzinfo=SEOUL)
Status = Article.Status


@pytest.fixture
def second_editor(db):
    return staff("editor2@example.com", roles.Role.EDITOR, "김하늘")


@pytest.fixture
def clock():
    """The desk's clock, frozen at MONDAY_9AM; `clock.shift(...)` moves it on."""
    with time_machine.travel(MONDAY_9AM, tick=False) as traveller:
        yield traveller


def edit(article: Article, *, actor, **content) -> Article:
    """Save content from the story's current version, as the desk form does."""
    article.refresh_from_db()
    return workflow.save(article, actor=actor, base_version=article.version, content=content)


def events_of(article: Article) -> list[ArticleEvent]:
    """The story's history, oldest first."""
    return list(ArticleEvent.objects.filter(article=article).order_by("created_at", "pk"))


@pytest.fixture
def story_in(reporter, editor, section):
    """`story_in(state)`: a story walked to that state by its reporter and the editor.
    `story_in(state, author=editor)`: the editor's own story, every step done by them."""

    def make(state: str, *, author=None) -> Article:
        writer = author or reporter
        desk = editor
        story = workflow.create(
            actor=writer,
            section=section,
            headline="반도체 수출 석 달째 증가",
            body="<p>반도체 수출이 석 달째 늘었다.</p>",
        )
        if state == Status.DRAFT:
            return _fresh(story)
        story = workflow.submit(story, actor=writer)
        if state == Status.SUBMITTED:
            return _fresh(story)
        if state == Status.RETURNED:
            return _fresh(
                workflow.return_for_changes(story, actor=desk, note="출처를 밝혀 주세요.")
            )
        if state == Status.SCHEDULED:
            at = timezone.now() + timedelta(days=1)
            return _fresh(workflow.schedule(story, actor=desk, at=at))
        story = workflow.publish(story, actor=desk)
        if state == Status.PUBLISHED:
            return _fresh(story)
        story = workflow.unpublish(story, actor=desk, reason="소송 위험")
        if state == Status.UNPUBLISHED:
            return _fresh(story)
        raise ValueError(state)

    return make


def _fresh(article: Article) -> Article:
    article.refresh_from_db()
    return article
