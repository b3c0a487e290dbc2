import time
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from newsroom import outbox
from newsroom.celery import PERIODIC_JOBS
from newsroom.celery import app as celery_app
from newsroom.models import OutboxMessage
from newsroom.tasks import task

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

Status = OutboxMessage.Status
DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1: the connection is refused

runs: list[str] = []
planned_failures: list[Exception] = []


@task("tests.record_run")
def record_run(value: str) -> None:
    if planned_failures:
        raise planned_failures.pop()
    runs.append(value)


@pytest.fixture(autouse=True)
def _clean_task_state():
    runs.clear()
    planned_failures.clear()
    yield
    planned_failures.clear()


def test_task_runs_in_process_only_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = outbox.enqueue("tests.record_run", "a")
        assert runs == []
    assert len(callbacks) == 1
    assert runs == ["a"]
    message.refresh_from_db()
    assert message.status == Status.DONE
    assert message.finished_at is not None


def _change_that_fails() -> None:
    with transaction.atomic():
        outbox.enqueue("tests.record_run", "never")
        raise RuntimeError("the change failed")


def test_rolled_back_transaction_enqueues_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        _change_that_fails()
    assert callbacks == []
    assert runs == []
    assert not OutboxMessage.objects.exists()


def test_unknown_task_name_is_refused():
    with pytest.raises(LookupError, match=r"tests\.no_such_task"):
        outbox.enqueue("tests.no_such_task")
    assert not OutboxMessage.objects.exists()


def test_task_that_fails_in_process_waits_and_the_sweep_retries_it(
    django_capture_on_commit_callbacks,
):
    planned_failures.append(RuntimeError("image server busy"))
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.enqueue("tests.record_run", "b")
    message.refresh_from_db()
    assert message.status == Status.PENDING
    assert message.attempts == 1
    assert "image server busy" in message.last_error
    assert runs == []

    assert outbox.sweep()["delivered"] == 0, "not due yet: the backoff must be respected"
    with time_machine.travel(message.next_attempt_at + timedelta(seconds=1)):
        result = outbox.sweep()
    assert result["delivered"] == 1
    assert runs == ["b"]
    message.refresh_from_db()
    assert message.status == Status.DONE
    assert message.attempts == 2


def test_message_is_given_up_after_the_maximum_attempts(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    planned_failures.extend([RuntimeError("down"), RuntimeError("down")])
    message = outbox.enqueue("tests.record_run", "c")
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    outbox.sweep()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.PENDING, 1)
    with time_machine.travel(message.next_attempt_at + timedelta(seconds=1)):
        outbox.sweep()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, 2)

    assert outbox.requeue([message.pk]) == 1
    outbox.sweep()
    message.refresh_from_db()
    assert message.status == Status.DONE
    assert runs == ["c"]


def test_broker_down_returns_at_once_and_the_message_waits(
    settings, django_capture_on_commit_callbacks
):
    settings.CELERY_BROKER_URL = DEAD_BROKER
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.enqueue("tests.record_run", "d")
    assert time.monotonic() - started < 1.0
    message.refresh_from_db()
    assert message.status == Status.PENDING
    assert message.attempts == 1
    assert message.last_error
    assert runs == [], "with a broker configured nothing runs in the web process"


def test_sweep_sends_waiting_messages_once_the_broker_is_back(settings):
    settings.CELERY_BROKER_URL = DEAD_BROKER
    first = outbox.enqueue("tests.record_run", "e")
    second = outbox.enqueue("tests.record_run", "f")
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    result = outbox.sweep()
    assert result["failed"] == 1, "the sweep stops at the first broker failure"
    assert OutboxMessage.objects.get(pk=second.pk).attempts == 0

    settings.CELERY_BROKER_URL = "memory://"  # a broker that accepts everything
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        assert outbox.sweep()["delivered"] == 2
    statuses = set(OutboxMessage.objects.values_list("status", flat=True))
    assert statuses == {Status.SENT}
    assert OutboxMessage.objects.get(pk=first.pk).sent_at is not None


def test_sweep_leaves_a_message_its_sender_still_owns():
    outbox.enqueue("tests.record_run", "g")  # outside on_commit capture: never relayed
    assert outbox.sweep()["due"] == 0
    assert runs == []


def test_sweep_prunes_old_delivered_messages(settings):
    settings.OUTBOX_KEEP_DAYS = 7
    message = outbox.enqueue("tests.record_run", "h")
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=Status.DONE, created_at=timezone.now() - timedelta(days=8)
    )
    kept = outbox.enqueue("tests.record_run", "i")
    assert outbox.sweep()["pruned"] == 1
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [kept.pk]


def test_run_periodic_once_runs_the_sweep(capsys):
    message = outbox.enqueue("tests.record_run", "j")
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    call_command("run_periodic", "--once")
    assert "newsroom.sweep_outbox" in capsys.readouterr().out
    assert runs == ["j"]


@pytest.mark.django_db(transaction=True)
def test_check_background_reports_a_done_ping(capsys):
    call_command("check_background", "--timeout", "2")
    assert "done" in capsys.readouterr().out


def test_every_periodic_job_is_a_registered_task_on_the_beat_schedule():
    assert set(celery_app.conf.beat_schedule) == set(PERIODIC_JOBS)
    for name, entry in celery_app.conf.beat_schedule.items():
        assert entry["task"] in celery_app.tasks, f"{name} names an unknown task"
        assert entry["schedule"] == PERIODIC_JOBS[name]


def test_a_long_broker_outage_never_gives_a_message_up(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    settings.CELERY_BROKER_URL = DEAD_BROKER
    message = outbox.enqueue("tests.record_run", "k")
    for _attempt in range(4):
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        outbox.sweep()
    message.refresh_from_db()
    assert message.status == Status.PENDING
    assert message.attempts == 4


def test_a_message_sent_but_never_reported_done_goes_round_again(settings):
    settings.CELERY_BROKER_URL = "memory://"
    message = outbox.enqueue("tests.record_run", "l")
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert outbox.sweep()["delivered"] == 1
    assert outbox.sweep()["lost"] == 0, "a worker may still be on it"

    later = timezone.now() + outbox.lost_after() + timedelta(minutes=1)
    with time_machine.travel(later):
        result = outbox.sweep()
    assert result["lost"] == 1
    assert result["delivered"] == 1
    assert OutboxMessage.objects.get(pk=message.pk).status == Status.SENT


def test_only_done_messages_are_pruned(settings):
    settings.OUTBOX_KEEP_DAYS = 7
    old = timezone.now() - timedelta(days=8)
    for status in (Status.DONE, Status.FAILED):
        message = outbox.enqueue("tests.record_run", status)
        OutboxMessage.objects.filter(pk=message.pk).update(status=status, created_at=old)
    assert outbox.sweep()["pruned"] == 1
    assert list(OutboxMessage.objects.values_list("status", flat=True)) == [Status.FAILED]
