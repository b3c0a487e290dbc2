import time
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from newsroom import outbox
from newsroom.models import OutboxMessage

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

Status = OutboxMessage.Status


def wait_for_status(message: OutboxMessage, status: str, seconds: float) -> OutboxMessage:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        message.refresh_from_db()
        if message.status == status:
            return message
        time.sleep(0.2)
    raise AssertionError(f"message #{message.pk} is still {message.status}, not {status}")


def test_a_task_goes_through_redis_to_a_worker_and_is_done(settings, broker, celery_worker, capsys):
    settings.CELERY_BROKER_URL = broker.url
    call_command("check_background", "--timeout", "30")
    assert "done" in capsys.readouterr().out
    assert "ping answered by" in celery_worker.log.read_text()


def test_a_message_waits_while_the_broker_is_down_and_is_done_once_it_is_back(
    settings, broker, celery_worker
):
    settings.CELERY_BROKER_URL = broker.url
    broker.stop()
    try:
        started = time.monotonic()
        with transaction.atomic():
            message = outbox.enqueue("newsroom.ping")
        assert time.monotonic() - started < 1.0, "a request must not wait for a dead broker"
        message.refresh_from_db()
        assert message.status == Status.PENDING
        assert message.attempts == 1
    finally:
        broker.start()

    with time_machine.travel(timezone.now() + timedelta(hours=1), tick=True):
        assert outbox.sweep()["delivered"] == 1
    wait_for_status(message, Status.DONE, seconds=60)
