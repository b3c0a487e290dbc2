"""Two relays of the outbox, two schedule sweeps and two editors saving one story, at the
same moment on PostgreSQL, as two periodic runners (or two people) would: every message
goes out once, every due story is published once, and one save wins while the other is
refused with the winner's name and time, its text handed back. The test database on SQLite
refuses a second writer outright, so these run on PostgreSQL; two relays on SQLite run as two
processes in test_two_relays_on_sqlite.py."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts import roles
from accounts.names import display_name
from articles import workflow
from articles.errors import StaleVersion
from articles.models import Article, ArticleEvent, ShareFanout
from newsroom import outbox
from newsroom.models import OutboxMessage
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs a database where the second writer waits: run by .ci/run")


def at_once(work, count: int = 2) -> list:
    """Run `work()` in `count` threads released together; what each returned."""
    start, results, failures = threading.Barrier(count), [], []

    def run():
        try:
            start.wait(timeout=10)
            results.append(work())
        except Exception as error:  # reported by the assert below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    return results


def test_two_relays_at_once_send_500_messages_once_each(monkeypatch):
    due = timezone.now() - timedelta(seconds=1)
    OutboxMessage.objects.bulk_create(
        OutboxMessage(task_name="newsroom.sweep_outbox", next_attempt_at=due) for _ in range(500)
    )
    sent, lock = [], threading.Lock()

    def send(message):
        with lock:
            sent.append(message.pk)
        OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.DONE)
        return True

    monkeypatch.setattr(outbox, "deliver", send)

    reports = at_once(lambda: outbox.sweep(limit=1000))

    assert len(sent) == len(set(sent)) == 500
    assert sum(report["delivered"] for report in reports) == 500
    assert not OutboxMessage.objects.exclude(status=OutboxMessage.Status.DONE).exists()


def test_two_schedule_sweeps_at_once_publish_each_due_story_once(desk):
    stories = [desk.story(f"예약 기사 {number}", state="scheduled") for number in range(12)]
    Article.objects.filter(pk__in=[story.pk for story in stories]).update(
        scheduled_publish_at=timezone.now() - timedelta(minutes=1)
    )

    reports = at_once(workflow.run_schedule)

    assert sum(report["published"] for report in reports) == 12
    assert set(
        Article.objects.filter(pk__in=[s.pk for s in stories]).values_list("status", flat=True)
    ) == {"published"}
    publishes = ArticleEvent.objects.filter(article__in=stories, action="publish")
    assert publishes.count() == 12
    fanouts = ShareFanout.objects.filter(article__in=stories)
    assert sorted(fanouts.values_list("article_id", flat=True)) == sorted(s.pk for s in stories)
    sends = OutboxMessage.objects.filter(task_name="articles.fan_out_share")
    assert sorted(sends.values_list("args", flat=True)) == sorted([[f.pk] for f in fanouts])


def test_two_editors_saving_one_story_at_once_lose_no_text(desk, editor):
    second = UserFactory(email="editor2@example.com")
    roles.grant_role(second, roles.Role.EDITOR, actor=None)
    story = desk.story("두 사람이 고치는 기사", state="submitted")
    texts = {editor.pk: "<p>김 데스크의 문장.</p>", second.pk: "<p>박 차장의 문장.</p>"}

    def save_as(person):
        def work():
            try:
                workflow.save(
                    story,
                    actor=person,
                    base_version=story.version,
                    content={"body": texts[person.pk]},
                )
            except StaleVersion as refusal:
                return person.pk, refusal
            return person.pk, None

        return work

    works = iter([save_as(editor), save_as(second)])
    outcomes = dict(at_once(lambda: next(works)()))

    refused = [(pk, refusal) for pk, refusal in outcomes.items() if refusal is not None]
    assert len(refused) == 1
    loser, refusal = refused[0]
    winner = next(pk for pk in outcomes if pk != loser)
    story.refresh_from_db()
    assert story.body == texts[winner]
    assert story.version == 2
    assert story.revisions.count() == 2
    assert refusal.submitted == {"body": texts[loser]}
    assert refusal.saved_by == display_name(story.last_saved_by)
    assert story.last_saved_by_id == winner
