"""Scheduled publishing and unpublishing: the sweep (articles.workflow.run_schedule), its
management command and its periodic job."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from articles import tasks, workflow
from articles.models import Article, ArticleEvent
from newsroom.celery import PERIODIC_JOBS
from newsroom.celery import app as celery_app
from newsroom.models import OutboxMessage
from tests.articles.conftest import MONDAY_9AM

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

Status = Article.Status
TEN = MONDAY_9AM + timedelta(hours=1)
ELEVEN = MONDAY_9AM + timedelta(hours=2)


@pytest.fixture
def scheduled(clock, story_in, editor):
    """Submitted at 09:00 and scheduled by the editor for 10:00."""
    story = story_in(Status.SUBMITTED)
    workflow.schedule(story, actor=editor, at=TEN)
    story.refresh_from_db()
    return story


def status_of(story: Article) -> str:
    story.refresh_from_db()
    return story.status


def publish_events(story: Article) -> list[ArticleEvent]:
    return list(ArticleEvent.objects.filter(article=story, action="publish"))


def test_a_story_scheduled_for_ten_is_published_by_the_sweep_at_ten_and_not_before(
    clock, scheduled
):
    clock.move_to(TEN - timedelta(minutes=1))
    assert workflow.run_schedule() == {"published": 0, "unpublished": 0}
    assert status_of(scheduled) == Status.SCHEDULED

    clock.move_to(TEN + timedelta(seconds=30))
    assert workflow.run_schedule() == {"published": 1, "unpublished": 0}

    scheduled.refresh_from_db()
    assert scheduled.status == Status.PUBLISHED
    assert scheduled.published_at == TEN + timedelta(seconds=30)
    assert scheduled.scheduled_publish_at is None
    [event] = publish_events(scheduled)
    assert (event.from_status, event.to_status) == (Status.SCHEDULED, Status.PUBLISHED)
    assert (event.actor, event.actor_name) == (None, "system")


def test_a_missed_sweep_is_caught_up_by_the_next_run(clock, scheduled):
    clock.move_to(TEN + timedelta(days=1))  # the sweep did not run for a day

    workflow.run_schedule()

    assert status_of(scheduled) == Status.PUBLISHED
    assert len(publish_events(scheduled)) == 1


def test_running_the_sweep_twice_publishes_once(clock, scheduled):
    clock.move_to(TEN + timedelta(seconds=30))

    first = workflow.run_schedule()
    second = workflow.run_schedule()

    assert (first["published"], second["published"]) == (1, 0)
    assert len(publish_events(scheduled)) == 1


def test_a_rescheduled_story_waits_for_its_new_time(clock, scheduled, editor):
    clock.shift(timedelta(minutes=1))
    workflow.schedule(scheduled, actor=editor, at=ELEVEN)
    event = ArticleEvent.objects.filter(article=scheduled).first()
    assert (event.action, event.data) == ("reschedule", {"at": ELEVEN.isoformat()})

    clock.move_to(TEN + timedelta(seconds=30))
    workflow.run_schedule()
    assert status_of(scheduled) == Status.SCHEDULED

    clock.move_to(ELEVEN + timedelta(seconds=30))
    workflow.run_schedule()
    assert status_of(scheduled) == Status.PUBLISHED


def test_a_quick_second_reschedule_to_another_time_is_not_lost(clock, scheduled, editor):
    clock.shift(timedelta(minutes=1))
    workflow.schedule(scheduled, actor=editor, at=ELEVEN)
    clock.shift(timedelta(seconds=10))

    workflow.schedule(scheduled, actor=editor, at=ELEVEN + timedelta(hours=1))

    scheduled.refresh_from_db()
    assert scheduled.scheduled_publish_at == ELEVEN + timedelta(hours=1)


def test_cancelling_a_schedule_returns_the_story_to_submitted(clock, scheduled, editor):
    clock.shift(timedelta(minutes=1))

    workflow.cancel_schedule(scheduled, actor=editor)

    scheduled.refresh_from_db()
    assert (scheduled.status, scheduled.scheduled_publish_at) == (Status.SUBMITTED, None)
    clock.move_to(TEN + timedelta(seconds=30))
    assert workflow.run_schedule()["published"] == 0
    assert status_of(scheduled) == Status.SUBMITTED


def test_a_story_returned_after_scheduling_is_not_published_at_the_old_time(
    clock, scheduled, editor
):
    workflow.return_for_changes(scheduled, actor=editor, note="수치를 다시 확인해 주세요.")

    clock.move_to(TEN + timedelta(seconds=30))
    workflow.run_schedule()

    assert status_of(scheduled) == Status.RETURNED


def new_outbox_tasks(since: int) -> list[str]:
    return list(
        OutboxMessage.objects.filter(pk__gt=since)
        .order_by("pk")
        .values_list("task_name", flat=True)
    )


def last_outbox_id() -> int:
    return OutboxMessage.objects.order_by("pk").values_list("pk", flat=True).last() or 0


def test_a_scheduled_publish_writes_what_a_manual_publish_writes(
    clock, story_in, scheduled, editor
):
    by_hand = story_in(Status.SUBMITTED)
    clock.shift(timedelta(minutes=5))

    mark = last_outbox_id()
    workflow.publish(by_hand, actor=editor)
    manual_tasks = new_outbox_tasks(mark)
    clock.move_to(TEN + timedelta(seconds=30))
    mark = last_outbox_id()
    workflow.run_schedule()
    scheduled_tasks = new_outbox_tasks(mark)

    def shape(story):
        event = ArticleEvent.objects.filter(article=story).first()
        return (event.action, event.to_status, event.note, event.data)

    assert shape(scheduled) == shape(by_hand) == ("publish", Status.PUBLISHED, "", {})
    assert scheduled_tasks == manual_tasks
    for story in (by_hand, scheduled):
        story.refresh_from_db()
        assert story.published_at is not None
        assert story.scheduled_publish_at is None


def test_a_story_scheduled_to_come_down_is_unpublished_by_the_sweep_when_due(
    clock, story_in, editor
):
    story = story_in(Status.PUBLISHED)
    take_down = MONDAY_9AM + timedelta(days=1, hours=9)
    workflow.schedule_unpublish(story, actor=editor, at=take_down)

    clock.move_to(take_down - timedelta(minutes=1))
    assert workflow.run_schedule() == {"published": 0, "unpublished": 0}
    assert status_of(story) == Status.PUBLISHED

    clock.move_to(take_down + timedelta(seconds=30))
    assert workflow.run_schedule() == {"published": 0, "unpublished": 1}

    story.refresh_from_db()
    assert story.status == Status.UNPUBLISHED
    with translation.override("ko"):
        assert story.unpublish_reason == str(_("Scheduled unpublication"))
    assert story.unpublished_note == ""
    assert story.scheduled_unpublish_at is None
    event = ArticleEvent.objects.filter(article=story).first()
    assert (event.action, event.from_status, event.actor_name) == (
        "unpublish",
        Status.PUBLISHED,
        "system",
    )


def test_a_cancelled_take_down_leaves_the_story_up(clock, story_in, editor):
    story = story_in(Status.PUBLISHED)
    take_down = MONDAY_9AM + timedelta(days=1)
    workflow.schedule_unpublish(story, actor=editor, at=take_down)
    clock.shift(timedelta(minutes=1))

    workflow.schedule_unpublish(story, actor=editor, at=None)

    clock.move_to(take_down + timedelta(minutes=1))
    workflow.run_schedule()
    assert status_of(story) == Status.PUBLISHED
    assert ArticleEvent.objects.filter(article=story).first().data == {"at": None}


def test_the_run_schedule_command_prints_what_it_did(clock, scheduled, story_in, editor):
    up = story_in(Status.PUBLISHED)
    workflow.schedule_unpublish(up, actor=editor, at=TEN)
    clock.move_to(TEN + timedelta(seconds=30))
    output = StringIO()

    call_command("run_schedule", stdout=output)

    assert output.getvalue().strip() == "Published 1, unpublished 1 stories."
    assert (status_of(scheduled), status_of(up)) == (Status.PUBLISHED, Status.UNPUBLISHED)


def test_the_sweep_is_a_periodic_job_of_at_most_a_minute(clock, scheduled):
    assert PERIODIC_JOBS["articles.run_schedule"] <= 60
    assert celery_app.conf.beat_schedule["articles.run_schedule"]["task"] == "articles.run_schedule"
    assert "articles.run_schedule" in celery_app.tasks
    clock.move_to(TEN + timedelta(seconds=30))

    assert tasks.run_schedule() == {"published": 1, "unpublished": 0}
    assert status_of(scheduled) == Status.PUBLISHED
