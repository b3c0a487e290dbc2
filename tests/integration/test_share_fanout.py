"""The share fan-out on real services: PostgreSQL, a Redis broker and a Celery worker
(prefork, so a child can be killed mid-task), with Facebook's Graph API played by a small
HTTP server on 127.0.0.1. Nothing runs eagerly."""

import os
import shutil
import signal
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from accounts import roles
from articles import workflow
from articles.models import Article, ShareDelivery, ShareFanout
from newsroom.models import OutboxMessage
from tests.conftest import skip_or_fail, staff
from tests.factories import SectionFactory
from tests.fake_graph import FakeGraph
from tests.integration.conftest import start_worker, stop_worker
from tests.processes import Broker

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

Delivery = ShareDelivery.Status


@pytest.fixture(scope="module")
def graph():
    with FakeGraph() as fake:
        yield fake


@pytest.fixture(scope="module")
def share_broker(tmp_path_factory):
    """A broker of this module's own: the session's worker (without Facebook's settings)
    must not take these tasks."""
    if shutil.which("redis-server") is None:
        skip_or_fail("redis-server is not installed")
    broker = Broker(tmp_path_factory.mktemp("share-redis"))
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture(scope="module")
def share_worker(django_db_setup, django_db_blocker, share_broker, graph, tmp_path_factory):
    """One worker process with one prefork child: killing the child mid-task is the case
    late acknowledgement and reject-on-worker-lost are for."""
    if connection.vendor != "postgresql":
        skip_or_fail("integration tests run on PostgreSQL (set DATABASE_URL; see .ci/run)")
    broker = share_broker
    log = tmp_path_factory.mktemp("share-worker") / "worker.log"
    worker = start_worker(
        log,
        pool=("--pool=prefork", "--concurrency=1"),
        CELERY_BROKER_URL=broker.url,
        # The cache's Redis, another database of the test broker: the rate-limit bucket.
        REDIS_URL=broker.url.rsplit("/", 1)[0] + "/1",
        FACEBOOK_GRAPH_URL=graph.url,
        FACEBOOK_ACCESS_TOKEN="app-id|app-secret",
        SHARE_HTTP_TIMEOUT="20",
        SHARE_RETRY_BASE_SECONDS="1",
        SHARE_RETRY_MAX_SECONDS="2",
    )
    yield worker
    stop_worker(worker)


@pytest.fixture
def live(settings, share_broker, share_worker, graph):
    settings.CELERY_BROKER_URL = share_broker.url
    graph.calls.clear()
    graph.plan.clear()
    graph.arrived.clear()
    return share_worker


@pytest.fixture
def newsroom(db):
    editor = staff("editor@example.com", roles.Role.EDITOR, "오세훈")
    return editor, SectionFactory(name="기업과산업", slug="industry")


def new_story(newsroom, headline="반도체 수출 석 달째 증가") -> Article:
    editor, section = newsroom
    return workflow.create(actor=editor, section=section, headline=headline, summary="요약")


def wait_until_complete(article: Article, count: int = 1, seconds: float = 60) -> ShareFanout:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        fanouts = list(ShareFanout.objects.filter(article=article).order_by("pk"))
        if len(fanouts) >= count and fanouts[count - 1].completed_at is not None:
            return fanouts[count - 1]
        time.sleep(0.2)
    states = list(ShareDelivery.objects.filter(fanout__article=article).values_list())
    raise AssertionError(f"the fan-out did not complete: {states}")


def by_network(fanout: ShareFanout) -> dict[str, ShareDelivery]:
    return {d.network: d for d in fanout.deliveries.all()}


def test_a_publish_ends_with_every_delivery_done_or_skipped_with_its_reason(newsroom, live, graph):
    editor, _section = newsroom
    story = new_story(newsroom)
    workflow.publish(story, actor=editor)

    fanout = wait_until_complete(story)
    deliveries = by_network(fanout)
    assert deliveries["facebook"].status == Delivery.DONE
    for network in ("x", "kakaotalk", "naver", "linkedin", "band"):
        assert deliveries[network].status == Delivery.SKIPPED
        assert deliveries[network].skip_reason  # not configured / no refresh API
    assert fanout.finished == fanout.total == 6
    assert fanout.image_url
    assert graph.scraped() == [fanout.card["url"]]


def test_an_endpoint_failing_twice_is_retried_and_done(newsroom, live, graph):
    editor, _section = newsroom
    graph.plan = [500, 502]
    story = new_story(newsroom)
    workflow.publish(story, actor=editor)

    facebook = by_network(wait_until_complete(story))["facebook"]
    assert facebook.status == Delivery.DONE, (facebook.skip_reason, facebook.last_error)
    assert facebook.attempts == 3
    assert facebook.refresh_calls == 3
    assert len(graph.calls) == 3
    # Celery's retries carry the outbox header: the message is reported done, not lost.
    [message] = OutboxMessage.objects.filter(task_name="articles.deliver_share", args=[facebook.pk])
    deadline = time.monotonic() + 10
    while message.status != OutboxMessage.Status.DONE and time.monotonic() < deadline:
        time.sleep(0.2)
        message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DONE


def test_a_worker_killed_mid_task_finishes_it_with_one_done_row(newsroom, live, graph):
    editor, _section = newsroom
    graph.plan = [("hang", 15)]
    story = new_story(newsroom)
    workflow.publish(story, actor=editor)

    assert graph.arrived.wait(30), "the refresh call never came"
    children = Path(f"/proc/{live.pid}/task/{live.pid}/children").read_text().split()
    assert children, "the worker has no pool process"
    for child in children:
        os.kill(int(child), signal.SIGKILL)  # the pool child, mid-call; the parent lives on

    fanout = wait_until_complete(story, seconds=90)
    assert ShareDelivery.objects.filter(fanout=fanout, network="facebook").count() == 1
    facebook = by_network(fanout)["facebook"]
    assert facebook.status == Delivery.DONE
    assert facebook.refresh_calls == 2  # one repeat of the idempotent call, no more
    assert len(graph.calls) == 2
    assert live.poll() is None


def test_a_scheduled_publish_fans_out_the_same_way(newsroom, live, graph):
    editor, _section = newsroom
    story = new_story(newsroom)
    workflow.submit(story, actor=editor)
    workflow.schedule(story, actor=editor, at=timezone.now() + timedelta(minutes=5))
    assert ShareFanout.objects.filter(article=story).count() == 0

    workflow.run_schedule(now=timezone.now() + timedelta(minutes=10))

    fanout = wait_until_complete(story)
    assert fanout.trigger == "scheduled"
    assert by_network(fanout)["facebook"].status == Delivery.DONE


def test_a_correction_with_a_new_headline_gets_a_new_image_url(newsroom, live, graph):
    editor, _section = newsroom
    story = new_story(newsroom)
    workflow.publish(story, actor=editor)
    first = wait_until_complete(story)
    story.refresh_from_db()

    workflow.correct(
        story,
        actor=editor,
        base_version=story.version,
        note="제목의 수치를 바로잡았습니다.",
        content={"headline": "반도체 수출 넉 달째 증가"},
    )

    second = wait_until_complete(story, count=2)
    assert second.trigger == "corrected"
    assert second.image_url
    assert second.image_url != first.image_url
    assert by_network(second)["facebook"].metadata["title"] == "반도체 수출 넉 달째 증가"
