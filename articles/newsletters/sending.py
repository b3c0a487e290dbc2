"""Sending an issue: the only code that claims and sends deliveries and ends an issue's
sending (what comes back afterwards is articles.newsletters.bounces' and .tracking's).

When sending starts (articles.newsletters.issues.start_sending) every recipient gets a
delivery row in the same transaction, so nobody is skipped whatever happens to the workers
afterwards. The task articles.send_newsletter_batch then claims a batch of rows, sends them
over one SMTP connection at NEWSLETTER_SENDS_PER_MINUTE, marks each row SENT as soon as the
relay took it, and enqueues the next batch through the outbox; the last batch ends the
issue.

A worker killed mid-batch leaves its claimed rows SENDING. Once their claim is older than
CLAIM_LEASE another batch takes them again. The rows are sent in id order and each is marked
right after it went, so of a dead claim's rows only the first one still unmarked can have
gone out before the kill: that one is flagged as a possible duplicate, the others were never
sent. At most one recipient per kill can get the issue twice, and the desk shows how many.
A relay that drops the line mid-message is the same case: that message is flagged. A batch
is never larger than the relay's rate sends in half the lease (batch_size), and a row is
marked only while it is still its batch's claim, so a slow relay cannot hand a live batch's
rows to a second one.

Who unsubscribes or is suspended after the start is skipped (SKIPPED), as is what is left
when an editor stops the sending (articles.newsletters.issues.stop_sending): each batch
looks every STOP_CHECK_EVERY messages.
"""

import logging
import smtplib
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.message import make_msgid
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone

from articles.models import IssueDelivery, IssueEvent, NewsletterIssue, Subscription
from articles.newsletters import rendering, subscriptions, tracking
from newsroom import outbox

logger = logging.getLogger(__name__)

Status = IssueDelivery.Status
IssueStatus = NewsletterIssue.Status
# A claim older than this was left by a worker that died: far longer than a batch takes at
# the slowest rate a relay would set.
CLAIM_LEASE = timedelta(minutes=10)
BATCH_TASK = "articles.send_newsletter_batch"
_INSERT_CHUNK = 2000
DONE = (Status.SENT, Status.FAILED, Status.BOUNCED, Status.COMPLAINED, Status.SKIPPED)
# How often a batch looks whether its issue was stopped on the desk meanwhile.
STOP_CHECK_EVERY = 50


def queue_recipients(issue: NewsletterIssue) -> int:
    """One QUEUED delivery for each confirmed subscription of the issue's newsletter whose
    address is not suspended, made in the caller's transaction (the one that starts the
    sending). Returns how many."""
    subscription_ids = list(
        Subscription.objects.filter(
            newsletter_id=issue.newsletter_id,
            status=Subscription.Status.CONFIRMED,
            subscriber__suspended_at__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    IssueDelivery.objects.bulk_create(
        (IssueDelivery(issue=issue, subscription_id=pk) for pk in subscription_ids),
        batch_size=_INSERT_CHUNK,
    )
    return len(subscription_ids)


def send_batch(issue_id: int, *, now=None) -> int:
    """Send the issue's next batch, then enqueue the one after it, or end the issue when
    nothing is left. Idempotent: an issue not sending (ended, or gone) sends nothing.
    Returns how many messages went."""
    issue = NewsletterIssue.objects.select_related("newsletter").filter(pk=issue_id).first()
    if issue is None or issue.status != IssueStatus.SENDING:
        return 0
    rows = _claim(issue, now=now or timezone.now())
    sent = _send(issue, rows) if rows else 0
    if not _left(issue):
        finish(issue)
    elif rows:
        outbox.enqueue(BATCH_TASK, issue.pk)
    # A batch that found every row left claimed by a live batch (a second message for the
    # issue: resume_stalled, a redelivery) ends there: the live one carries the chain on,
    # or resume_stalled once its claim is stale. Enqueueing again would spin until then.
    return sent


def batch_size() -> int:
    """NEWSLETTER_BATCH_SIZE, or fewer when the relay's rate is so low that the batch would
    not be sent within half of CLAIM_LEASE: a batch still sending when its claim goes stale
    would be taken again and sent twice."""
    within = settings.NEWSLETTER_SENDS_PER_MINUTE * CLAIM_LEASE.total_seconds() / 60 / 2
    return max(1, min(settings.NEWSLETTER_BATCH_SIZE, int(within)))


def _claim(issue: NewsletterIssue, *, now) -> list[IssueDelivery]:
    """Take up to batch_size() rows: queued ones, and those of a dead claim (whose
    first unsent row is flagged as possibly sent already, see the module's docstring)."""
    stale = Q(status=Status.SENDING, claimed_at__lt=now - CLAIM_LEASE)
    with transaction.atomic():
        takeable = IssueDelivery.objects.filter(issue=issue).filter(Q(status=Status.QUEUED) | stale)
        ids = list(
            takeable.order_by("pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[: batch_size()]
        )
        if not ids:
            return []
        in_flight = (
            IssueDelivery.objects.filter(stale, pk__in=ids)
            .values("claimed_at")
            .annotate(first=Min("pk"))
            .values_list("first", flat=True)
        )
        IssueDelivery.objects.filter(pk__in=list(in_flight)).update(possible_duplicate=True)
        # The claim's own moment marks its rows: a second worker that read the same ids
        # (SQLite has no row locks) updates none of them, the condition being re-checked.
        IssueDelivery.objects.filter(Q(status=Status.QUEUED) | stale, pk__in=ids).update(
            status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    return list(
        IssueDelivery.objects.filter(pk__in=ids, status=Status.SENDING, claimed_at=now)
        .select_related("subscription__subscriber")
        .order_by("pk")
    )


def _send(issue: NewsletterIssue, rows: list[IssueDelivery]) -> int:
    rendered = rendering.render_issue(issue)
    gap = 60 / settings.NEWSLETTER_SENDS_PER_MINUTE
    started = time.monotonic()
    sent = 0
    connection = get_connection()
    try:
        connection.open()
    except (smtplib.SMTPException, OSError) as error:
        _release(rows, error)  # nothing went: none can be a duplicate
        raise
    try:
        for number, row in enumerate(rows):
            if number and number % STOP_CHECK_EVERY == 0 and _stopped(issue):
                _skip(rows[number:], "The sending was stopped on the desk.")
                break
            subscription = row.subscription
            if subscription.status != Subscription.Status.CONFIRMED:
                _skip([row], "Unsubscribed after the sending started.")
                continue
            if subscription.subscriber.suspended_at is not None:
                _skip([row], "Suspended (a bounce or a complaint) after the sending started.")
                continue
            # Hold the relay's rate: the n-th message goes no sooner than n gaps in.
            wait = started + number * gap - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                message_id = _send_one(issue, rendered, row, connection)
            except smtplib.SMTPRecipientsRefused as refused:
                _mark(row, Status.FAILED, error=str(refused.recipients))
                continue
            except (smtplib.SMTPException, OSError) as error:
                # The relay went away: this row and the rest of the batch go back to the
                # queue, and the task is retried with backoff. Unless the relay answered
                # with a refusal, this row's message may have been taken before the line
                # dropped: sending it again may make a second copy.
                in_flight = not isinstance(error, smtplib.SMTPResponseException)
                _release(rows[number:], error, possibly_sent=row if in_flight else None)
                raise
            if not _mark(row, Status.SENT, message_id=message_id):
                # The claim went stale and another batch took its rows (a relay far slower
                # than its rate): they are that batch's now.
                logger.warning("newsletter issue %s: a batch's claim was taken over", issue.pk)
                break
            sent += 1
    finally:
        connection.close()
    logger.info("newsletter issue %s: %s of %s sent in this batch", issue.pk, sent, len(rows))
    return sent


def _stopped(issue: NewsletterIssue) -> bool:
    return not NewsletterIssue.objects.filter(pk=issue.pk, status=IssueStatus.SENDING).exists()


def _send_one(issue, rendered, row: IssueDelivery, connection) -> str:
    subscription = row.subscription
    message_id = make_msgid(domain=DNS_NAME)
    unsubscribe_url = subscriptions.unsubscribe_url(subscription)
    headers = {
        **subscriptions.list_unsubscribe_headers(subscription, url=unsubscribe_url),
        "List-Id": f"<{issue.newsletter.slug}.newsletters.{DNS_NAME}>",
        "Message-ID": message_id,
        "Precedence": "bulk",
    }
    mail = rendering.message(
        rendered,
        to=subscription.subscriber.email,
        unsubscribe_url=unsubscribe_url,
        open_url=tracking.open_url(row.pk) if settings.NEWSLETTER_OPEN_TRACKING else "",
        headers=headers,
        connection=connection,
    )
    mail.send()
    # A provider's API backend (django-anymail) gives its own id, which its webhooks name.
    status = getattr(mail, "anymail_status", None)
    return (status.message_id if status and status.message_id else None) or message_id


def _mark(row: IssueDelivery, status: str, *, message_id: str = "", error: str = "") -> bool:
    """The row's outcome, if the row is still this batch's claim. Returns whether it was."""
    return bool(
        _still_claimed([row]).update(
            status=status, sent_at=timezone.now(), message_id=message_id, error=error[:2000]
        )
    )


def _still_claimed(rows: list[IssueDelivery]):
    # Every row of one batch carries the claim's moment (see _claim).
    return IssueDelivery.objects.filter(
        pk__in=[row.pk for row in rows], status=Status.SENDING, claimed_at=rows[0].claimed_at
    )


def _release(
    rows: list[IssueDelivery], error: Exception, *, possibly_sent: IssueDelivery | None = None
) -> None:
    if possibly_sent is not None:
        _still_claimed([possibly_sent]).update(possible_duplicate=True)
    _still_claimed(rows).update(status=Status.QUEUED, claimed_at=None, error=str(error)[:2000])


def _skip(rows: list[IssueDelivery], reason: str) -> None:
    _still_claimed(rows).update(status=Status.SKIPPED, error=reason)


def skip_queued(issue: NewsletterIssue, reason: str) -> int:
    """Every row of the issue not yet claimed, left unsent (a stopped sending), in the
    caller's transaction; a batch under way skips its own rows at its next look
    (STOP_CHECK_EVERY). Returns how many."""
    return IssueDelivery.objects.filter(issue=issue, status=Status.QUEUED).update(
        status=Status.SKIPPED, error=reason
    )


def _left(issue: NewsletterIssue) -> bool:
    return IssueDelivery.objects.filter(
        issue=issue, status__in=(Status.QUEUED, Status.SENDING)
    ).exists()


def resume_stalled(*, now=None) -> int:
    """Issues still sending whose batches stopped (the task gave up its retries while the
    relay was down, or its message was lost with a worker): a new batch for each issue with
    rows left and none claimed within CLAIM_LEASE. Periodic. Returns how many."""
    now = now or timezone.now()
    recent = IssueDelivery.objects.filter(claimed_at__gte=now - CLAIM_LEASE)
    stalled = (
        NewsletterIssue.objects.filter(status=IssueStatus.SENDING, started_at__lt=now - CLAIM_LEASE)
        .exclude(pk__in=recent.values("issue_id"))
        .values_list("pk", flat=True)
    )
    resumed = 0
    for issue_id in stalled:
        with transaction.atomic():
            outbox.enqueue(BATCH_TASK, issue_id)
        resumed += 1
    return resumed


@transaction.atomic
def finish(issue: NewsletterIssue) -> bool:
    """SENDING -> SENT once every delivery is done. History: sent, with the counts.
    Returns whether this call ended it (a second batch finding it ended does nothing)."""
    issue = NewsletterIssue.objects.select_for_update().filter(pk=issue.pk).first()
    if issue is None or issue.status != IssueStatus.SENDING or _left(issue):
        return False
    counts = progress(issue)
    issue.status = IssueStatus.SENT
    issue.finished_at = timezone.now()
    issue.save(update_fields=["status", "finished_at"])
    IssueEvent.objects.create(
        issue=issue,
        issue_subject=issue.subject,
        action=IssueEvent.Action.SENT,
        from_status=IssueStatus.SENDING,
        to_status=IssueStatus.SENT,
        actor=None,
        actor_name="system",
        data={"sent": counts.sent, "failed": counts.failed, "total": counts.total},
    )
    return True


@dataclass(frozen=True)
class Progress:
    total: int
    queued: int
    in_flight: int
    sent: int
    failed: int
    bounced: int
    complained: int
    skipped: int
    delivered: int
    opened: int
    possible_duplicates: int
    unsubscribed_since: int

    @property
    def done(self) -> int:
        return self.sent + self.failed + self.bounced + self.complained + self.skipped

    @property
    def percent(self) -> int:
        return 100 if not self.total else (100 * self.done) // self.total


def progress(issue: NewsletterIssue) -> Progress:
    """An issue's deliveries counted, in one query: how far sending is, and what came back
    (a bounce or a complaint turns a SENT row into BOUNCED or COMPLAINED, so `done` counts
    every row that has left the queue)."""
    started = issue.started_at or issue.created_at
    counts = IssueDelivery.objects.filter(issue=issue).aggregate(
        total=Count("pk"),
        queued=Count("pk", filter=Q(status=Status.QUEUED)),
        in_flight=Count("pk", filter=Q(status=Status.SENDING)),
        sent=Count("pk", filter=Q(status=Status.SENT)),
        failed=Count("pk", filter=Q(status=Status.FAILED)),
        bounced=Count("pk", filter=Q(status=Status.BOUNCED)),
        complained=Count("pk", filter=Q(status=Status.COMPLAINED)),
        skipped=Count("pk", filter=Q(status=Status.SKIPPED)),
        delivered=Count("pk", filter=Q(delivered_at__isnull=False)),
        opened=Count("pk", filter=Q(opened_at__isnull=False)),
        possible_duplicates=Count("pk", filter=Q(possible_duplicate=True)),
        unsubscribed_since=Count(
            "pk",
            filter=Q(
                subscription__status=Subscription.Status.UNSUBSCRIBED,
                subscription__unsubscribed_at__gte=started,
            ),
        ),
    )
    return Progress(**counts)
