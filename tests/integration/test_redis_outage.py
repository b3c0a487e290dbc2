"""Redis stopped while readers read and an editor publishes, on a real Redis (the cache and
the broker, each its own database of a redis-server started for the test): pages are still
served, a reader still logs in, the publish succeeds, and its background work waits in the
outbox until Redis is back, then goes out (issue 22, section 2)."""

import shutil
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from articles import workflow
from newsroom import outbox
from newsroom.models import OutboxMessage
from tests.factories import PASSWORD
from tests.processes import Broker

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_server(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server (installed by .ci/run)")
    server = Broker(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def on_redis(redis_server, settings):
    """The site's cache and broker on the test's Redis, as in production."""
    with override_settings(
        CACHES={
            "default": {
                **settings.CACHES["default"],
                "BACKEND": "newsroom.cache.FailOpenRedisCache",
                "LOCATION": redis_server.url_of(0),
                "OPTIONS": {
                    "CLIENT_CLASS": "django_redis.client.DefaultClient",
                    "IGNORE_EXCEPTIONS": True,
                    "SOCKET_CONNECT_TIMEOUT": 0.25,
                    "SOCKET_TIMEOUT": 0.25,
                },
            }
        },
        CELERY_BROKER_URL=redis_server.url_of(1),
        EDGE_PURGE_URLS=["http://127.0.0.1:9/"],
    ):
        yield redis_server


def test_with_redis_down_readers_read_log_in_and_a_publish_waits_in_the_outbox(
    client, on_redis, desk, reader, django_capture_on_commit_callbacks
):
    shown = desk.story("레디스가 멈추기 전의 기사")
    waiting = desk.story("레디스가 멈춘 뒤 나갈 기사", state="submitted")
    assert client.get(shown.get_absolute_url()).status_code == 200  # kept in Redis

    on_redis.stop()
    assert client.get(shown.get_absolute_url()).status_code == 200
    assert client.get("/").status_code == 200
    assert client.get("/search/", {"q": "기사"}).status_code == 200
    logged_in = client.post("/accounts/login/", {"login": reader.email, "password": PASSWORD})
    assert logged_in.status_code == 302
    assert client.get("/accounts/me/").status_code == 200
    # allauth's own limits lock through the cache: they must let this through, not 429.
    reset = Client().post("/accounts/password/reset/", {"email": reader.email})
    assert reset.status_code == 302
    assert [message.to for message in mail.outbox] == [[reader.email]]
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(waiting, actor=desk.editor)
    waiting.refresh_from_db()
    assert waiting.status == "published"
    assert client.get(waiting.get_absolute_url()).status_code == 200
    held = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
    assert {"articles.fan_out_share", "newsroom.purge_edge"} <= set(
        held.values_list("task_name", flat=True)
    )
    assert all(message.attempts >= 1 and message.last_error for message in held)

    on_redis.start()
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        outbox.sweep()
    sent = OutboxMessage.objects.filter(pk__in=[message.pk for message in held])
    assert set(sent.values_list("status", flat=True)) == {OutboxMessage.Status.SENT}
