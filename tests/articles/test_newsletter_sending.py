"""Sending an issue: every confirmed recipient once, in batches through the outbox at the
relay's rate; a killed worker's claim taken again with at most one possible duplicate."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from articles.models import IssueDelivery, IssueEvent, IssueStory, NewsletterIssue, Subscription
from articles.newsletters import sending
from newsroom.models import OutboxMessage
from tests.factories import NewsletterFactory, SubscriberFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db
Status = IssueDelivery.Status
# A last batch's queries besides one per message: the issue; the claim (its savepoint, the
# ids, the in-flight check, the update) and its rows; the stories (picks, stories, photos);
# what is left; the end (its savepoint, the lock, what is left, the counts, the update and
# the history row).
BATCH_QUERIES = 18


@pytest.fixture
def newsletter(db):
    return NewsletterFactory(name="아침 브리핑", slug="morning")


def sending_issue(newsletter, story) -> NewsletterIssue:
    """An issue the desk has just started sending (articles.newsletters.issues.start_sending
    does this in one transaction)."""
    issue = NewsletterIssue.objects.create(newsletter=newsletter, subject="오늘의 경제")
    IssueStory.objects.create(issue=issue, article=story)
    issue.recipient_count = sending.queue_recipients(issue)
    issue.status = NewsletterIssue.Status.SENDING
    issue.started_at = timezone.now()
    issue.save()
    return issue


@pytest.fixture
def story(desk):
    return desk.story("반도체 수출 석 달째 증가")


def subscribers(newsletter, count: int) -> list:
    return [SubscriptionFactory(newsletter=newsletter) for _ in range(count)]


def test_every_confirmed_recipient_gets_the_issue_once_and_nobody_else(
    newsletter, story, django_capture_on_commit_callbacks
):
    wanted = subscribers(newsletter, 3)
    SubscriptionFactory(newsletter=newsletter, status="pending", confirmed_at=None)
    SubscriptionFactory(newsletter=newsletter, status="unsubscribed")
    SubscriptionFactory(
        newsletter=newsletter, subscriber=SubscriberFactory(suspended_at=timezone.now())
    )
    SubscriptionFactory()  # another newsletter's
    issue = sending_issue(newsletter, story)

    with django_capture_on_commit_callbacks(execute=True):
        sent = sending.send_batch(issue.pk)

    assert sent == 3
    assert issue.recipient_count == 3
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        subscription.subscriber.email for subscription in wanted
    )
    message = mail.outbox[0]
    assert message.subject == "오늘의 경제"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert "/newsletters/unsubscribe/" in message.alternatives[0].content
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENT
    assert issue.finished_at is not None
    assert list(IssueEvent.objects.filter(issue=issue).values_list("action", flat=True)) == ["sent"]
    assert set(issue.deliveries.values_list("status", flat=True)) == {Status.SENT}
    assert all(issue.deliveries.values_list("message_id", flat=True))


def test_batches_follow_each_other_through_the_outbox_until_all_are_sent(
    newsletter, story, settings, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_BATCH_SIZE = 2
    subscribers(newsletter, 5)
    issue = sending_issue(newsletter, story)

    with django_capture_on_commit_callbacks(execute=True):
        first = sending.send_batch(issue.pk)

    assert first == 2
    assert len(mail.outbox) == 5
    assert OutboxMessage.objects.filter(task_name=sending.BATCH_TASK).count() == 2
    assert sending.progress(issue).sent == 5
    assert NewsletterIssue.objects.get(pk=issue.pk).status == NewsletterIssue.Status.SENT


def test_the_next_batch_is_enqueued_only_after_the_batch_commits(
    newsletter, story, settings, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_BATCH_SIZE = 2
    subscribers(newsletter, 3)
    issue = sending_issue(newsletter, story)

    with django_capture_on_commit_callbacks() as callbacks:
        sending.send_batch(issue.pk)

    assert len(callbacks) == 1
    assert len(mail.outbox) == 2


def test_the_relays_rate_is_held_within_a_batch(newsletter, story, settings, monkeypatch):
    settings.NEWSLETTER_SENDS_PER_MINUTE = 600  # one every 0.1 s
    subscribers(newsletter, 4)
    issue = sending_issue(newsletter, story)
    clock = [0.0]
    monkeypatch.setattr(sending.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(
        sending.time, "sleep", lambda seconds: clock.__setitem__(0, clock[0] + seconds)
    )

    sending.send_batch(issue.pk)

    assert clock[0] == pytest.approx(0.3)
    assert len(mail.outbox) == 4


def test_a_dead_workers_claim_is_taken_again_with_its_one_message_in_flight_flagged(
    newsletter, story, django_capture_on_commit_callbacks
):
    subscribers(newsletter, 4)
    issue = sending_issue(newsletter, story)
    rows = list(issue.deliveries.order_by("pk"))
    # The killed worker claimed all four 11 minutes ago and had sent the first.
    dead_claim = timezone.now() - timedelta(minutes=11)
    issue.deliveries.update(status=Status.SENDING, claimed_at=dead_claim, attempts=1)
    IssueDelivery.objects.filter(pk=rows[0].pk).update(status=Status.SENT)

    with django_capture_on_commit_callbacks(execute=True):
        sent = sending.send_batch(issue.pk)

    assert sent == 3
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        row.subscription.subscriber.email for row in rows[1:]
    )
    flagged = issue.deliveries.filter(possible_duplicate=True)
    assert list(flagged.values_list("pk", flat=True)) == [rows[1].pk]
    counts = sending.progress(issue)
    assert counts.possible_duplicates == 1
    assert counts.sent == 4


def test_a_claim_still_fresh_is_left_to_its_worker(
    newsletter, story, django_capture_on_commit_callbacks
):
    subscribers(newsletter, 2)
    issue = sending_issue(newsletter, story)
    issue.deliveries.update(status=Status.SENDING, claimed_at=timezone.now(), attempts=1)

    with django_capture_on_commit_callbacks(execute=True):
        assert sending.send_batch(issue.pk) == 0

    assert mail.outbox == []
    assert NewsletterIssue.objects.get(pk=issue.pk).status == NewsletterIssue.Status.SENDING
    # The live batch carries the chain on: a second one spinning beside it would not help.
    assert not OutboxMessage.objects.filter(task_name=sending.BATCH_TASK).exists()


def test_a_refused_recipient_fails_alone(newsletter, story, monkeypatch):
    refused, fine = subscribers(newsletter, 2)
    issue = sending_issue(newsletter, story)
    real_send = mail.EmailMultiAlternatives.send

    def send(message, *args, **kwargs):
        if message.to == [refused.subscriber.email]:
            raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"no such user")})
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", send)

    sending.send_batch(issue.pk)

    failed = issue.deliveries.get(subscription=refused)
    assert failed.status == Status.FAILED
    assert "no such user" in failed.error
    assert issue.deliveries.get(subscription=fine).status == Status.SENT
    assert sending.progress(issue).failed == 1


def test_a_relay_gone_puts_the_rest_of_the_batch_back_and_the_task_is_retried(
    newsletter, story, monkeypatch
):
    subscribers(newsletter, 3)
    issue = sending_issue(newsletter, story)
    real_send = mail.EmailMultiAlternatives.send
    calls = []

    def send(message, *args, **kwargs):
        calls.append(message.to[0])
        if len(calls) == 2:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", send)

    with pytest.raises(smtplib.SMTPServerDisconnected):
        sending.send_batch(issue.pk)

    statuses = list(issue.deliveries.order_by("pk").values_list("status", flat=True))
    assert statuses == [Status.SENT, Status.QUEUED, Status.QUEUED]
    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", real_send)
    sending.send_batch(issue.pk)
    assert len(mail.outbox) == 3
    assert set(issue.deliveries.values_list("status", flat=True)) == {Status.SENT}


def test_an_issue_not_sending_sends_nothing(newsletter, story):
    subscribers(newsletter, 2)
    issue = sending_issue(newsletter, story)
    NewsletterIssue.objects.filter(pk=issue.pk).update(status=NewsletterIssue.Status.SENT)

    assert sending.send_batch(issue.pk) == 0
    assert sending.send_batch(issue.pk + 100) == 0
    assert mail.outbox == []


def test_the_progress_is_counted_in_one_query(newsletter, story, django_assert_num_queries):
    subscribers(newsletter, 3)
    issue = sending_issue(newsletter, story)
    sending.send_batch(issue.pk)

    with django_assert_num_queries(1):
        counts = sending.progress(issue)

    assert (counts.total, counts.sent, counts.done, counts.percent) == (3, 3, 3, 100)


def test_only_stalled_issues_are_resumed(newsletter, story, django_capture_on_commit_callbacks):
    subscribers(newsletter, 2)
    stalled = sending_issue(newsletter, story)
    busy = sending_issue(newsletter, story)
    long_ago = timezone.now() - timedelta(minutes=30)
    NewsletterIssue.objects.filter(pk__in=[stalled.pk, busy.pk]).update(started_at=long_ago)
    busy.deliveries.filter(pk=busy.deliveries.first().pk).update(
        status=Status.SENDING, claimed_at=timezone.now()
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert sending.resume_stalled() == 1

    assert NewsletterIssue.objects.get(pk=stalled.pk).status == NewsletterIssue.Status.SENT
    assert NewsletterIssue.objects.get(pk=busy.pk).status == NewsletterIssue.Status.SENDING


@pytest.mark.parametrize("recipients", [2, 5])
def test_a_batch_runs_a_fixed_number_of_queries_and_one_per_message(
    newsletter, story, recipients, django_assert_num_queries
):
    """One UPDATE per message (its mark, right after the relay took it: what keeps a killed
    worker's duplicates to one) and the rest per batch, not per row: the issue, the claim,
    the rendering's stories, the end."""
    subscribers(newsletter, recipients)
    issue = sending_issue(newsletter, story)

    with django_assert_num_queries(BATCH_QUERIES + recipients):
        assert sending.send_batch(issue.pk) == recipients


def test_who_unsubscribes_or_is_suspended_after_the_start_is_skipped(newsletter, story):
    left, suspended, kept = subscribers(newsletter, 3)
    issue = sending_issue(newsletter, story)
    Subscription.objects.filter(pk=left.pk).update(status="unsubscribed")
    type(suspended.subscriber).objects.filter(pk=suspended.subscriber_id).update(
        suspended_at=timezone.now()
    )

    sending.send_batch(issue.pk)

    assert [message.to[0] for message in mail.outbox] == [kept.subscriber.email]
    assert issue.deliveries.get(subscription=left).status == Status.SKIPPED
    assert issue.deliveries.get(subscription=suspended).status == Status.SKIPPED
    counts = sending.progress(issue)
    assert (counts.sent, counts.skipped, counts.done, counts.percent) == (1, 2, 3, 100)
    assert NewsletterIssue.objects.get(pk=issue.pk).status == NewsletterIssue.Status.SENT


def test_a_batch_stops_at_its_next_look_once_the_sending_is_stopped(newsletter, story, monkeypatch):
    monkeypatch.setattr(sending, "STOP_CHECK_EVERY", 2)
    subscribers(newsletter, 5)
    issue = sending_issue(newsletter, story)
    real_send = mail.EmailMultiAlternatives.send

    def send(message, *args, **kwargs):
        # The editor stops the sending while the first message goes.
        NewsletterIssue.objects.filter(pk=issue.pk).update(status=NewsletterIssue.Status.CANCELLED)
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", send)

    assert sending.send_batch(issue.pk) == 2
    statuses = list(issue.deliveries.order_by("pk").values_list("status", flat=True))
    assert statuses == [Status.SENT, Status.SENT, Status.SKIPPED, Status.SKIPPED, Status.SKIPPED]


def test_a_batch_is_never_more_than_the_rate_sends_in_half_the_lease(settings):
    settings.NEWSLETTER_BATCH_SIZE = 500
    settings.NEWSLETTER_SENDS_PER_MINUTE = 40  # a slow relay: 200 in 5 minutes

    assert sending.batch_size() == 200
    settings.NEWSLETTER_SENDS_PER_MINUTE = 12000
    assert sending.batch_size() == 500


def test_a_batch_whose_claim_was_taken_over_stops_and_leaves_the_rows_to_the_other(
    newsletter, story, monkeypatch
):
    subscribers(newsletter, 3)
    issue = sending_issue(newsletter, story)
    real_send = mail.EmailMultiAlternatives.send
    other_claim = timezone.now() + timedelta(seconds=1)

    def send(message, *args, **kwargs):
        # A second batch took the claim (gone stale) while this message was on the wire.
        issue.deliveries.filter(status=Status.SENDING).update(claimed_at=other_claim)
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", send)

    assert sending.send_batch(issue.pk) == 0
    assert len(mail.outbox) == 1
    assert set(issue.deliveries.values_list("status", "claimed_at")) == {
        (Status.SENDING, other_claim)
    }


@pytest.mark.parametrize(
    ("error", "flagged"),
    [
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), True),
        (smtplib.SMTPDataError(451, b"try again later"), False),
    ],
)
def test_a_message_the_relay_may_have_taken_before_dropping_the_line_is_flagged(
    newsletter, story, monkeypatch, error, flagged
):
    subscribers(newsletter, 2)
    issue = sending_issue(newsletter, story)

    def send(message, *args, **kwargs):
        raise error

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", send)

    with pytest.raises(type(error)):
        sending.send_batch(issue.pk)

    first, second = issue.deliveries.order_by("pk")
    assert (first.status, first.possible_duplicate) == (Status.QUEUED, flagged)
    assert (second.status, second.possible_duplicate) == (Status.QUEUED, False)


def test_a_relay_that_cannot_be_reached_puts_the_batch_back_unflagged(newsletter, story, settings):
    subscribers(newsletter, 2)
    issue = sending_issue(newsletter, story)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2

    with pytest.raises(ConnectionRefusedError):
        sending.send_batch(issue.pk)

    assert set(issue.deliveries.values_list("status", "possible_duplicate")) == {
        (Status.QUEUED, False)
    }
