"""A whole Celery worker SIGKILLed (its main process and its pool) with one task of every
kind in hand, on PostgreSQL and a Redis broker of this module's own: a new worker, its
visibility timeout a few seconds, is handed every task again and each effect is applied
once. Tasks are at-least-once, so each must be idempotent.

The killed worker is tests/integration/killable_worker.py: every task stops just before its
body (the worker received and started it, nothing is done yet) or just after it (all is
done but the late acknowledgement), and the test kills the worker once every task stands
there. Both moments are the same on every run, unlike a kill after a guessed delay; a
kill inside a task's body is the share delivery's case (test_share_fanout.py).
"""

import contextlib
import os
import shutil
import signal
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache.backends.filebased import FileBasedCache
from django.db import connection
from django.utils import timezone

from accounts import membership, roles
from accounts.models import Attempt
from articles import notifications, partners, popularity, workflow
from articles.models import (
    Article,
    ArticleEvent,
    Delivery,
    IssueDelivery,
    IssueEvent,
    IssueStory,
    NewsletterIssue,
    Notification,
    NotificationDigest,
    NotificationKind,
    PartnerUsage,
    ShareFanout,
    ViewCount,
    WebhookDelivery,
    WebhookEndpoint,
)
from articles.newsletters import issues as newsletter_issues
from articles.newsletters import sending, subscriptions
from articles.newsletters.models import SubscriptionEvent
from articles.sharing import fanout
from comments import moderation
from comments.models import Blind, Comment, ModerationAction, RefusedComment
from media import library
from media.models import Photo, PhotoEvent
from newsroom import outbox
from newsroom.celery import app as celery_app
from newsroom.models import OutboxMessage
from tests.conftest import skip_or_fail, staff
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    NewsletterFactory,
    SectionFactory,
    SubscriptionFactory,
    UserFactory,
)
from tests.integration.conftest import start_worker, stop_worker
from tests.media.conftest import as_upload, encode, picture
from tests.processes import Broker
from tests.smtp_sink import SmtpSink

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

Status = OutboxMessage.Status
PURGED_KEY = "story:worker-killed"
# The new worker's settings: a visibility timeout of seconds, with every retry cap (the
# share's, the webhooks', the tasks' backoff) and the task time limit low enough for the
# start-up check (each cap plus the limit must stay below it).
RECOVERING = {
    "CELERY_BROKER_VISIBILITY_TIMEOUT": "5",
    "CELERY_TASK_TIME_LIMIT": "3",
    "TASK_RETRY_MAX_SECONDS": "1",
    "SHARE_RETRY_BASE_SECONDS": "1",
    "SHARE_RETRY_MAX_SECONDS": "1",
    "WEBHOOKS_RETRY_BASE_SECONDS": "1",
    "WEBHOOKS_RETRY_MAX_SECONDS": "1",
}


class Edge(ThreadingHTTPServer):
    """An edge cache that answers every PURGE and remembers its Surrogate-Key header; it
    also stands in for a partner's webhook receiver, remembering each delivery id POSTed."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), PurgeHandler)
        self.purged: list[str] = []
        self.hooks: list[str] = []
        self.url = f"http://127.0.0.1:{self.server_address[1]}/"


class PurgeHandler(BaseHTTPRequestHandler):
    def do_PURGE(self):
        self.server.purged.append(self.headers.get("Surrogate-Key", ""))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.hooks.append(self.headers.get("X-Newsroom-Delivery", ""))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def edge():
    server = Edge()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def kill_broker(django_db_setup, tmp_path_factory):
    """A broker of this module's own: no other worker of the session may take these tasks."""
    if connection.vendor != "postgresql":
        skip_or_fail("integration tests run on PostgreSQL (set DATABASE_URL; see .ci/run)")
    if shutil.which("redis-server") is None:
        skip_or_fail("redis-server is not installed")
    broker = Broker(tmp_path_factory.mktemp("kill-redis"))
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture(scope="module")
def relay():
    """The workers' mail relay: a real SMTP server in this process, keeping every message."""
    sink = SmtpSink().start()
    yield sink
    sink.stop()


class World:
    """The people and places the tasks act on, and what the workers wrote and sent."""

    def __init__(self, moment: str, logs: list[Path], edge: Edge, relay: SmtpSink):
        self.moment = moment
        self.logs = logs
        self.edge = edge
        self.relay = relay
        self.section = SectionFactory(name="사회", slug="society")
        self.editor = staff("editor@example.com", roles.Role.EDITOR, "오세훈")
        self.reporter = staff("returned@example.com", roles.Role.REPORTER, "김기자")
        self.moderator = staff("moderator@example.com", roles.Role.MODERATOR, "박운영")
        self.reader = UserFactory(email="rejected@example.com")

    def story(self, headline: str) -> Article:
        return workflow.create(
            actor=self.editor, section=self.section, headline=headline, summary="요약"
        )

    def mails_to(self, address: str) -> int:
        return len(self.relay.to(address))


# Each task kind: set up the rows it acts on, enqueue it as the app does, and return the
# check that its effect was applied exactly once.


def end_sessions(world: World):
    reader = UserFactory(email="leaving@example.com", password="탈퇴비밀번호")
    session = SessionStore()
    session[SESSION_KEY] = str(reader.pk)
    session.create()
    membership.delete_account(reader, password="탈퇴비밀번호")  # enqueues accounts.end_sessions

    def check():
        assert not Session.objects.filter(session_key=session.session_key).exists()

    return check


def forget_attempts(world: World):
    old, recent = (
        Attempt.objects.create(kind=Attempt.Kind.LOG_IN_FAILED, email_hash=f"{n}" * 64)
        for n in (1, 2)
    )
    Attempt.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30))
    outbox.enqueue("accounts.forget_attempts")

    def check():
        # Of these two: other kinds count attempts of their own (a confirmation mail).
        kept = Attempt.objects.filter(pk__in=[old.pk, recent.pk])
        assert list(kept.values_list("pk", flat=True)) == [recent.pk]

    return check


def run_schedule(world: World):
    story = world.story("예약 기사는 한 번만 나갑니다")
    workflow.submit(story, actor=world.editor)
    workflow.schedule(story, actor=world.editor, at=timezone.now() + timedelta(hours=1))
    Article.objects.filter(pk=story.pk).update(
        scheduled_publish_at=timezone.now() - timedelta(minutes=1)
    )
    outbox.enqueue("articles.run_schedule")

    def check():
        story.refresh_from_db()
        assert story.status == Article.Status.PUBLISHED
        assert ArticleEvent.objects.filter(article=story, action="publish").count() == 1
        assert ShareFanout.objects.filter(article=story).count() == 1

    return check


def purge_trash(world: World):
    story = world.story("휴지통에서 지워질 기사")
    workflow.spike(story, actor=world.editor)
    Article.objects.filter(pk=story.pk).update(spiked_at=timezone.now() - timedelta(days=31))
    outbox.enqueue("articles.purge_trash")

    def check():
        assert not Article.objects.filter(pk=story.pk).exists()
        assert ArticleEvent.objects.filter(action="purged", headline=story.headline).count() == 1

    return check


def flush_views(world: World):
    story = ArticleFactory(section=world.section, status="published")
    # The workers' cache, a folder of the test run's: record the reads where they look.
    shared = FileBasedCache(
        str(Path(os.environ["NEWSROOM_VAR_DIR"]) / "cache"), {"KEY_PREFIX": "newsroom"}
    )
    real, popularity.cache = popularity.cache, shared
    try:
        for _read in range(3):
            popularity.record_view(story.pk)
    finally:
        popularity.cache = real
    outbox.enqueue("articles.flush_views")

    def check():
        assert list(ViewCount.objects.filter(article=story).values_list("count", flat=True)) == [3]

    return check


def returned_story(world: World, reporter, headline: str) -> Article:
    story = workflow.create(
        actor=reporter, section=world.section, headline=headline, summary="요약"
    )
    workflow.submit(story, actor=reporter)  # the editor's notification: its own e-mail task
    workflow.return_for_changes(story, actor=world.editor, note="출처를 밝혀 주세요.")
    return story


def email_notifications(world: World):
    story = returned_story(world, world.reporter, "고쳐 올 기사")  # enqueues the e-mail

    def check():
        [told] = Notification.objects.filter(article=story, kind=NotificationKind.RETURNED)
        assert told.emailed_at is not None
        assert world.mails_to("returned@example.com") == 1

    return check


def notify_returned(world: World):
    # The retired return e-mail's message, still in the outbox at the upgrade, beside the
    # notification's own e-mail of the same return: one e-mail between them.
    reporter = staff("retired@example.com", roles.Role.REPORTER, "이기자")
    story = returned_story(world, reporter, "옛 알림의 기사")
    event = ArticleEvent.objects.get(article=story, action="return")
    outbox.enqueue("articles.notify_returned", story.pk, event.pk)

    def check():
        assert Notification.objects.filter(article=story, recipient=reporter).count() == 1
        assert world.mails_to("retired@example.com") == 1

    return check


def send_digests(world: World):
    reporter = staff("digest@example.com", roles.Role.REPORTER, "최기자")
    notifications.set_preferences(reporter, {NotificationKind.RETURNED: Delivery.DIGEST})
    returned_story(world, reporter, "하루에 한 번 알릴 기사")
    outbox.enqueue("articles.send_digests")

    def check():
        # The digest goes out from DIGEST_HOUR on (the site's time): before it, none today.
        expected = 1 if notifications.digest_day() else 0
        assert NotificationDigest.objects.filter(recipient=reporter).count() == expected
        assert world.mails_to("digest@example.com") == expected

    return check


def send_reminders(world: World):
    story = world.story("삼십 분 뒤 엠바고가 풀릴 기사")
    workflow.set_embargo(
        story, actor=world.editor, until=timezone.now() + timedelta(minutes=30), source="통계청"
    )
    outbox.enqueue("articles.send_reminders")

    def check():
        told = Notification.objects.filter(kind=NotificationKind.EMBARGO_LIFTING, article=story)
        assert list(told.values_list("recipient", flat=True)) == [world.editor.pk]

    return check


def shared_once(story: Article) -> None:
    [fan_out] = ShareFanout.objects.filter(article=story)
    deliveries = list(fan_out.deliveries.all())
    assert len(deliveries) == 6
    for delivery in deliveries:
        assert delivery.is_finished, (delivery.network, delivery.status)
        assert delivery.attempts == 1, (delivery.network, delivery.attempts)
        sent = OutboxMessage.objects.filter(task_name="articles.deliver_share", args=[delivery.pk])
        assert sent.count() == 1, delivery.network


def fan_out_share(world: World):
    story = world.story("퍼뜨릴 기사")
    workflow.publish(story, actor=world.editor)  # enqueues articles.fan_out_share

    return lambda: shared_once(story)


def deliver_share(world: World):
    story = world.story("카드가 한 번 만들어질 기사")
    workflow.publish(story, actor=world.editor)
    # What the fan-out task does (its own message then finds the fan-out started).
    fanout.start(ShareFanout.objects.get(article=story).pk)  # six articles.deliver_share

    return lambda: shared_once(story)


def deliver_webhook(world: World):
    # The receiver on 127.0.0.1 is reachable because the workers' settings list it
    # (NEWSROOM_TEST_WEBHOOK_ADDRESSES, read only by tests/settings.py).
    WebhookEndpoint.objects.create(name="파트너", url=world.edge.url, events=["published"])
    story = world.story("파트너에게 한 번 알릴 기사")
    workflow.publish(story, actor=world.editor)  # enqueues articles.deliver_webhook

    def check():
        [delivery] = WebhookDelivery.objects.filter(article=story)
        assert delivery.status == WebhookDelivery.Status.DELIVERED
        assert delivery.attempts == 1
        # Sent once: a redelivered task finds it delivered and sends nothing.
        assert world.edge.hooks.count(str(delivery.uuid)) == 1

    return check


def newsletter_issue(world: World, subject: str, recipients: int) -> NewsletterIssue:
    """An issue whose sending the desk has just started (what
    articles.newsletters.issues.start_sending does in one transaction), its first batch
    not yet enqueued."""
    newsletter = NewsletterFactory()
    for _ in range(recipients):
        SubscriptionFactory(newsletter=newsletter)
    issue = NewsletterIssue.objects.create(newsletter=newsletter, subject=subject)
    story = ArticleFactory(section=world.section, status="published")
    IssueStory.objects.create(issue=issue, article=story)
    issue.recipient_count = sending.queue_recipients(issue)
    issue.status = NewsletterIssue.Status.SENDING
    issue.started_at = timezone.now()
    issue.save()
    return issue


def sent_to_each_once(world: World, issue: NewsletterIssue):
    """Every recipient has one SENT delivery, and the relay received each message once,
    or twice for a recipient flagged as possibly sent twice (a killed batch's message in
    flight), never more."""

    def check():
        issue.refresh_from_db()
        assert issue.status == NewsletterIssue.Status.SENT
        deliveries = list(issue.deliveries.select_related("subscription__subscriber"))
        assert len(deliveries) == issue.recipient_count
        assert {delivery.status for delivery in deliveries} == {IssueDelivery.Status.SENT}
        for delivery in deliveries:
            received = world.mails_to(delivery.subscription.subscriber.email)
            assert 1 <= received <= 1 + delivery.possible_duplicate, (delivery.pk, received)
        received = sum(world.mails_to(d.subscription.subscriber.email) for d in deliveries)
        flagged = sum(delivery.possible_duplicate for delivery in deliveries)
        assert len(deliveries) <= received <= len(deliveries) + flagged

    return check


def send_newsletter_batch(world: World):
    issue = newsletter_issue(world, "한 번씩만 받을 뉴스레터", recipients=4)
    outbox.enqueue(sending.BATCH_TASK, issue.pk)
    return sent_to_each_once(world, issue)


def resume_newsletter_sending(world: World):
    # Its batches stopped half an hour ago (the last gave up while the relay was down).
    issue = newsletter_issue(world, "멈췄다 다시 나갈 뉴스레터", recipients=3)
    NewsletterIssue.objects.filter(pk=issue.pk).update(
        started_at=timezone.now() - timedelta(minutes=30)
    )
    outbox.enqueue("articles.resume_newsletter_sending")
    return sent_to_each_once(world, issue)


def end_blinds(world: World):
    comment = CommentFactory(story__section=world.section)
    moderation.blind(comment, actor=world.moderator, claimant="홍길동", claim="명예훼손", days=1)
    Blind.objects.filter(comment=comment).update(ends_at=timezone.now() - timedelta(minutes=1))
    outbox.enqueue("comments.end_blinds")

    def check():
        comment.refresh_from_db()
        assert comment.status == Comment.Status.PENDING
        ended = ModerationAction.objects.filter(comment=comment, action="blind_ended")
        assert ended.count() == 1

    return check


def forget_partner_usage(world: World):
    partner, _key = partners.create_partner("포털 제휴사", actor=None)
    now = timezone.now().replace(second=0, microsecond=0)
    old, recent = (
        PartnerUsage.objects.create(partner=partner, minute=minute, count=3)
        for minute in (now - timedelta(days=3), now)
    )
    outbox.enqueue("articles.forget_partner_usage")

    def check():
        assert list(PartnerUsage.objects.values_list("pk", flat=True)) == [recent.pk]
        assert not PartnerUsage.objects.filter(pk=old.pk).exists()

    return check


def start_due_newsletters(world: World):
    newsletter = NewsletterFactory(name="아침 브리핑", slug="killed-morning")
    SubscriptionFactory(newsletter=newsletter, subscriber__email="briefed@example.com")
    issue = newsletter_issues.create_issue(
        newsletter,
        actor=world.editor,
        subject="한 번만 시작되는 호",
        intro="",
        article_ids=[ArticleFactory(section=world.section, status="published").pk],
    )
    newsletter_issues.schedule(issue, actor=world.editor, at=timezone.now() + timedelta(hours=1))
    NewsletterIssue.objects.filter(pk=issue.pk).update(
        send_at=timezone.now() - timedelta(minutes=1)
    )
    outbox.enqueue("articles.start_due_newsletters")

    def check():
        issue.refresh_from_db()
        assert issue.status in (NewsletterIssue.Status.SENDING, NewsletterIssue.Status.SENT)
        # Started once: one history row, one delivery for the one subscriber.
        assert IssueEvent.objects.filter(issue=issue, action="sending").count() == 1
        assert IssueDelivery.objects.filter(issue=issue).count() == 1

    return check


def forget_refused(world: World):
    story = ArticleFactory(section=world.section, status="published")
    old, recent = (
        RefusedComment.objects.create(story=story, author=world.reader, body=body, rule_word="욕")
        for body in ("오래된 글", "최근 글")
    )
    RefusedComment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    outbox.enqueue("comments.forget_refused")

    def check():
        assert list(RefusedComment.objects.values_list("pk", flat=True)) == [recent.pk]

    return check


def notify_rejected(world: World):
    comment = CommentFactory(story__section=world.section, author=world.reader)
    moderation.reject(comment, actor=world.moderator, reason="profanity")

    def check():
        [action] = ModerationAction.objects.filter(comment=comment, action="rejected")
        assert action.data["notified"] is True
        assert world.mails_to("rejected@example.com") == 1

    return check


def send_subscription_confirmation(world: World):
    newsletter = NewsletterFactory(name="아침 브리핑", slug="briefing")
    subscriptions.subscribe("confirm-me@example.com", [newsletter])  # enqueues the mail

    def check():
        [asked] = SubscriptionEvent.objects.filter(
            subscriber__email="confirm-me@example.com", action="requested"
        )
        assert asked.data["mailed"] is True
        assert world.mails_to("confirm-me@example.com") == 1

    return check


def make_renditions(world: World):
    data = encode(picture(480, 360), "JPEG", quality=70)
    photo = library.upload(as_upload(data), actor=world.reporter).photo

    def check():
        renditions = list(Photo.objects.get(pk=photo.pk).renditions.all())
        assert renditions
        rendered = PhotoEvent.objects.filter(photo_id=photo.pk, action="rendered")
        assert rendered.count() == 1
        # No file of a second run left behind: one file per rendition row.
        folder = Path(renditions[0].file.path).parent
        assert len(list(folder.glob(f"*{photo.content_hash[:12]}*"))) == len(renditions)

    return check


def ping(world: World):
    message = outbox.enqueue("newsroom.ping")

    def check():
        message.refresh_from_db()
        assert message.status == Status.DONE

    return check


def purge_edge(world: World):
    outbox.enqueue("newsroom.purge_edge", [PURGED_KEY])

    def check():
        # The one task whose effect may be repeated: when the kill came after it, or when
        # the new worker's sweep resent the message as lost (after twice the short
        # visibility timeout) before its redelivery ran. Purging twice is harmless: the
        # second finds nothing to drop, and no record of a purge is kept.
        purges = world.edge.purged.count(PURGED_KEY)
        assert purges == 2 if world.moment == "after" else 1 <= purges <= 2

    return check


def sweep_outbox(world: World):
    due = OutboxMessage.objects.create(
        task_name="newsroom.ping", args=[], kwargs={}, next_attempt_at=timezone.now()
    )
    outbox.enqueue("newsroom.sweep_outbox")

    def check():
        due.refresh_from_db()
        assert due.status == Status.DONE
        assert due.attempts == 0  # handed to the broker at the first try, not given up on

    return check


KINDS = {
    "accounts.end_sessions": end_sessions,
    "accounts.forget_attempts": forget_attempts,
    "articles.run_schedule": run_schedule,
    "articles.flush_views": flush_views,
    "articles.purge_trash": purge_trash,
    "articles.notify_returned": notify_returned,
    "articles.email_notifications": email_notifications,
    "articles.send_digests": send_digests,
    "articles.send_reminders": send_reminders,
    "articles.fan_out_share": fan_out_share,
    "articles.deliver_share": deliver_share,
    "articles.deliver_webhook": deliver_webhook,
    "articles.forget_partner_usage": forget_partner_usage,
    "articles.start_due_newsletters": start_due_newsletters,
    "articles.send_subscription_confirmation": send_subscription_confirmation,
    "articles.send_newsletter_batch": send_newsletter_batch,
    "articles.resume_newsletter_sending": resume_newsletter_sending,
    "comments.end_blinds": end_blinds,
    "comments.forget_refused": forget_refused,
    "comments.notify_rejected": notify_rejected,
    "media.make_renditions": make_renditions,
    "newsroom.ping": ping,
    "newsroom.purge_edge": purge_edge,
    "newsroom.sweep_outbox": sweep_outbox,
}


def test_every_task_of_the_project_is_killed_in_the_test():
    # Celery's own tasks and those other test modules register ("tests.…") are not the site's.
    project = {name for name in celery_app.tasks if not name.startswith(("celery.", "tests."))}
    assert set(KINDS) == project


def wait_until(condition, seconds: float, describe) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(describe())
        time.sleep(0.2)


def held(folder: Path) -> list[tuple[str, str]]:
    return [tuple(marker.name.split(" ")) for marker in folder.iterdir()]


def kill_whole(worker) -> None:
    """SIGKILL the worker's main process, then its pool: as a machine losing power would,
    nobody gets to give a message back."""
    pool = [
        int(entry.name)
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit() and parent_of(entry) == worker.pid
    ]
    assert pool, "the worker has no pool process"
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    for child in pool:
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)


def parent_of(process: Path) -> int | None:
    try:
        stat = (process / "stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


@pytest.mark.parametrize("moment", ["before", "after"])
def test_a_whole_worker_killed_with_every_task_in_hand_gives_each_effect_once(
    moment, settings, kill_broker, edge, relay, tmp_path
):
    settings.CELERY_BROKER_URL = kill_broker.url
    settings.WEBHOOKS_ALLOW_HTTP = True
    settings.WEBHOOKS_TEST_ALLOWED_ADDRESSES = ["127.0.0.1"]
    edge.purged.clear()
    edge.hooks.clear()
    relay.clear()
    logs = [tmp_path / "killed.log", tmp_path / "new.log"]
    world = World(moment, logs, edge, relay)
    checks = {name: set_up(world) for name, set_up in KINDS.items()}
    in_broker = OutboxMessage.objects.filter(status=Status.SENT).count()

    common = {
        "CELERY_BROKER_URL": kill_broker.url,
        "EDGE_PURGE_URLS": edge.url,
        "EMAIL_URL": relay.url,
        "WEBHOOKS_ALLOW_HTTP": "true",
        "NEWSROOM_TEST_WEBHOOK_ADDRESSES": "127.0.0.1",
        "SHARE_RETRY_BASE_SECONDS": "1",
        "SHARE_RETRY_MAX_SECONDS": "1",
        "WEBHOOKS_RETRY_BASE_SECONDS": "1",
        "WEBHOOKS_RETRY_MAX_SECONDS": "1",
    }
    holds = tmp_path / "held"
    holds.mkdir()
    killed = start_worker(
        logs[0],
        app="tests.integration.killable_worker",
        # One pool process per message, so every task is in hand at once.
        pool=("--pool=prefork", f"--concurrency={in_broker}"),
        NEWSROOM_HOLD=moment,
        NEWSROOM_HOLD_DIR=str(holds),
        **common,
    )
    try:
        wait_until(
            lambda: len(held(holds)) >= in_broker and set(KINDS) <= {n for n, _ in held(holds)},
            60,
            lambda: f"held {sorted(held(holds))} of {in_broker}:\n{logs[0].read_text()[-3000:]}",
        )
        kill_whole(killed)
    finally:
        if killed.poll() is None:
            killed.kill()
    taken = held(holds)

    recovering = start_worker(
        logs[1], app="tests.integration.killable_worker", **{**common, **RECOVERING}
    )
    try:
        # Redelivered: each task the killed worker held, under its own id, ran to its end.
        def unfinished():
            text = logs[1].read_text()
            return [(n, i) for n, i in taken if f"Task {n}[{i}] succeeded" not in text]

        wait_until(lambda: not unfinished(), 90, lambda: f"not redelivered: {unfinished()}")
        wait_until(
            lambda: not OutboxMessage.objects.exclude(status=Status.DONE).exists(),
            60,
            lambda: list(OutboxMessage.objects.exclude(status=Status.DONE).values()),
        )
        failures = {}
        for name, check in checks.items():
            try:
                check()
            except AssertionError as error:
                failures[name] = repr(error)
        assert not failures, failures
    finally:
        stop_worker(recovering)
