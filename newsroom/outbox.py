"""The one way to run background work.

`enqueue()` writes an OutboxMessage in the caller's transaction. After commit the message is
handed to the Celery broker with no retries and a sub-second timeout, or, with no broker
configured, run in-process. Whatever could not be delivered stays pending and the periodic
`sweep()` tries again with backoff, so a publish never fails because Redis is down and a
rolled-back change never runs its tasks.
"""

import logging
import random
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from newsroom.celery import app as celery_app
from newsroom.models import OutboxMessage
from newsroom.requestlog import current_request_id

logger = logging.getLogger(__name__)

OUTBOX_HEADER = "newsroom_outbox_id"
REQUEST_ID_HEADER = "newsroom_request_id"
# Who delivers a message owns it for this long; the sweep leaves it alone meanwhile. Longer
# than any in-process task may run, so a slow task is never delivered twice.
CLAIM_LEASE = timedelta(minutes=5)
FIRST_RETRY_SECONDS = 10
MAX_RETRY_SECONDS = 15 * 60

Status = OutboxMessage.Status


def broker_configured() -> bool:
    return bool(settings.CELERY_BROKER_URL)


def describe_mode() -> str:
    if broker_configured():
        return "on the Celery broker (start a worker: celery -A newsroom worker --beat)"
    return "in-process after each commit (no CELERY_BROKER_URL); run_periodic runs the schedule"


def enqueue(task_name: str, *args, **kwargs) -> OutboxMessage:
    """Record `task_name(*args, **kwargs)` to run once the current transaction commits.

    Arguments must be JSON values (ids, not objects). Nothing runs if the transaction rolls
    back, because the row rolls back with it.
    """
    if task_name not in celery_app.tasks:
        raise LookupError(f"No Celery task is registered as {task_name!r}.")
    message = OutboxMessage.objects.create(
        task_name=task_name,
        args=list(args),
        kwargs=kwargs,
        next_attempt_at=timezone.now() + CLAIM_LEASE,
        request_id=current_request_id.get() if current_request_id.get() != "-" else "",
    )
    transaction.on_commit(partial(_relay, message.pk), robust=True)
    return message


def _relay(message_id: int) -> None:
    message = OutboxMessage.objects.filter(pk=message_id, status=Status.PENDING).first()
    if message is not None:
        deliver(message)


def deliver(message: OutboxMessage) -> bool:
    """Send one claimed message to the broker, or run it here. True when it got through."""
    task = celery_app.tasks[message.task_name]
    if broker_configured():
        try:
            with celery_app.connection_for_write(
                settings.CELERY_BROKER_URL,
                connect_timeout=settings.OUTBOX_SEND_TIMEOUT,
                transport_options={
                    "max_retries": 0,
                    "socket_timeout": settings.OUTBOX_SEND_TIMEOUT,
                    "socket_connect_timeout": settings.OUTBOX_SEND_TIMEOUT,
                },
            ) as connection:
                task.apply_async(
                    message.args,
                    message.kwargs,
                    connection=connection,
                    retry=False,
                    headers={OUTBOX_HEADER: message.pk, REQUEST_ID_HEADER: message.request_id},
                )
        except Exception as error:
            # The broker being away is no reason to give up on the task: keep retrying.
            _record_failure(message, error, may_give_up=False)
            return False
        # Only from pending: a fast worker may already have reported the task done.
        _mark(message.pk, Status.SENT, sent_at=timezone.now(), only_from=[Status.PENDING])
        return True
    token = current_request_id.set(message.request_id or "-")
    try:
        task(*message.args, **message.kwargs)
    except Exception as error:
        _record_failure(message, error)
        return False
    finally:
        current_request_id.reset(token)
    now = timezone.now()
    _mark(message.pk, Status.DONE, attempts=message.attempts + 1, sent_at=now, finished_at=now)
    return True


def finished(message_id: int, *, error: BaseException | None = None) -> None:
    """A worker reports the end of a task it received through the outbox."""
    if error is None:
        _mark(message_id, Status.DONE, finished_at=timezone.now())
    else:
        _mark(message_id, Status.FAILED, finished_at=timezone.now(), last_error=repr(error)[:2000])


def sweep(*, limit: int = 200) -> dict[str, int]:
    """Send again what was lost, deliver the pending messages that are due, then prune
    old done ones.

    Stops at the first broker failure: the rest would only wait for the same timeout.
    """
    now = timezone.now()
    # A message handed over long ago that no worker reported on was lost on the way (a
    # broker restarted without its data): it goes round again. Tasks are idempotent.
    lost = OutboxMessage.objects.filter(status=Status.SENT, sent_at__lt=now - lost_after()).update(
        status=Status.PENDING, next_attempt_at=now
    )
    if lost:
        logger.warning("outbox: %d messages sent but never reported done, resending", lost)
    due = list(
        OutboxMessage.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    delivered = failed = 0
    for message_id in due:
        # Claim by moving the next attempt forward: of two sweepers, only one update matches.
        claimed = OutboxMessage.objects.filter(
            pk=message_id, status=Status.PENDING, next_attempt_at__lte=now
        ).update(next_attempt_at=now + CLAIM_LEASE)
        if not claimed:
            continue
        if deliver(OutboxMessage.objects.get(pk=message_id)):
            delivered += 1
            continue
        failed += 1
        if broker_configured():
            break
    pruned, _ = OutboxMessage.objects.filter(
        status=Status.DONE,
        created_at__lt=now - timedelta(days=settings.OUTBOX_KEEP_DAYS),
    ).delete()
    if due:
        logger.info(
            "outbox sweep: %d due, %d delivered, %d failed, %d pruned",
            len(due),
            delivered,
            failed,
            pruned,
        )
    return {
        "due": len(due),
        "delivered": delivered,
        "failed": failed,
        "lost": lost,
        "pruned": pruned,
    }


def lost_after() -> timedelta:
    """Longer than a task can take with all its retries (each under the visibility
    timeout, after which the broker itself redelivers)."""
    return timedelta(seconds=2 * settings.CELERY_BROKER_VISIBILITY_TIMEOUT)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff with full jitter, capped."""
    ceiling = min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** (attempts - 1))
    return timedelta(seconds=random.uniform(ceiling / 2, ceiling))


def _record_failure(message: OutboxMessage, error: Exception, *, may_give_up: bool = True) -> None:
    attempts = message.attempts + 1
    if may_give_up and attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        logger.error(
            "outbox: giving up on %s #%d after %d attempts: %r",
            message.task_name,
            message.pk,
            attempts,
            error,
        )
        _mark(
            message.pk,
            Status.FAILED,
            attempts=attempts,
            finished_at=timezone.now(),
            last_error=repr(error)[:2000],
            only_from=[Status.PENDING],
        )
        return
    delay = retry_delay(attempts)
    logger.warning(
        "outbox: %s #%d not delivered (attempt %d), retrying in %ds: %r",
        message.task_name,
        message.pk,
        attempts,
        delay.total_seconds(),
        error,
    )
    OutboxMessage.objects.filter(pk=message.pk, status=Status.PENDING).update(
        attempts=attempts,
        next_attempt_at=timezone.now() + delay,
        last_error=repr(error)[:2000],
    )


def _mark(message_id: int, status: str, *, only_from=(Status.PENDING, Status.SENT), **fields):
    OutboxMessage.objects.filter(pk=message_id, status__in=only_from).update(
        status=status, **fields
    )


def requeue(message_ids) -> int:
    """Give failed messages another round of attempts (an operator's decision)."""
    return OutboxMessage.objects.filter(pk__in=message_ids, status=Status.FAILED).update(
        status=Status.PENDING, attempts=0, next_attempt_at=timezone.now(), finished_at=None
    )
