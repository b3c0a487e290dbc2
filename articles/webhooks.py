"""Partner webhooks: story events POSTed, signed, to the endpoints registered in the admin.

The workflow calls `announce()` with the story locked, after its change and its history
row: one WebhookDelivery per active endpoint that asked for the event, each enqueued as an
`articles.deliver_webhook` task (sent after commit, so a rolled-back publish sends
nothing). `deliver()` is the task's body: it re-reads the delivery and its endpoint, checks
the address again (resolved once, the connection pinned to the checked address), signs
and POSTs, and ends delivered, skipped (the endpoint or its partner was switched off) or,
after its attempts, failed.

Tasks are delivered at least once: a delivery that got through is never sent again, and
the delivery id (X-Newsroom-Delivery) is the same on every attempt, for the receiver to
recognise a repeat of one cut off mid-request.
"""

import json
import logging
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.errors import require
from articles import outbound, permissions
from articles.errors import WebhookDelivered
from articles.models import Article, WebhookDelivery, WebhookEndpoint, WebhookEvent
from newsroom.links import absolute_url
from newsroom.outbox import enqueue

logger = logging.getLogger(__name__)

Status = WebhookDelivery.Status


# --- the trigger ----------------------------------------------------------------------------


def payload(article: Article, event: str, event_id: int) -> dict:
    """What a partner is told: which story, where it is and its times; never the body."""
    data = {
        "event": event,
        "event_id": event_id,
        "occurred_at": timezone.now().isoformat(),
        "story": {
            "id": article.pk,
            "url": absolute_url(article.get_absolute_url()),
            "headline": article.headline,
            "published_at": article.published_at.isoformat() if article.published_at else None,
            "revised_at": article.revised_at.isoformat() if article.revised_at else None,
        },
    }
    if event == WebhookEvent.CORRECTED:
        correction = article.corrections.order_by("-created_at", "-pk").first()
        if correction is not None:
            data["correction"] = {
                "note": correction.note,
                "created_at": correction.created_at.isoformat(),
            }
    return data


def deliverable_endpoints():
    """The endpoints that are sent anything: switched on, of a partner switched on (one
    without a partner, from before partners owned endpoints, as before)."""
    return WebhookEndpoint.objects.filter(is_active=True).exclude(partner__is_active=False)


def announce(article: Article, event: str, event_id: int | None) -> list[WebhookDelivery]:
    """Called by the workflow after a story event (`event_id`: its ArticleEvent; None, a
    repeated click, announces nothing). Writes one delivery per active endpoint that asked
    for `event`, once per endpoint and event. Tasks: articles.deliver_webhook after commit."""
    WebhookEvent(event)  # an unknown kind is a programming error, not a silent no-op
    if event_id is None:
        return []
    # Few endpoints, and JSON "contains" is not portable (SQLite): filtered here.
    endpoints = [each for each in deliverable_endpoints() if each.wants(event)]
    if not endpoints:
        return []
    data = payload(article, event, event_id)
    created = []
    for endpoint in endpoints:
        delivery, new = WebhookDelivery.objects.get_or_create(
            endpoint=endpoint,
            event=event,
            event_id=event_id,
            defaults={"article": article, "payload": data},
        )
        if new:
            enqueue("articles.deliver_webhook", delivery.pk)
            created.append(delivery)
    return created


# --- one delivery --------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    status: str
    retry_in: float | None = None  # seconds: the task should run again then


def body_of(delivery: WebhookDelivery) -> bytes:
    """The exact bytes signed and sent: the payload with the delivery's own id."""
    document = {"id": str(delivery.uuid), **delivery.payload}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def headers_for(delivery: WebhookDelivery, secret: str, body: bytes, *, now: int) -> dict:
    return {
        outbound.SIGNATURE_HEADER: outbound.signature_header(secret, now, body),
        outbound.EVENT_HEADER: delivery.event,
        outbound.DELIVERY_HEADER: str(delivery.uuid),
    }


def deliver(delivery_id: int) -> Outcome:
    """Send one delivery (the task's body). A finished delivery is left as it is."""
    delivery = _begin(delivery_id)
    if delivery is None or delivery.status != Status.RUNNING:
        return Outcome(delivery.status if delivery else "missing")
    endpoint = delivery.endpoint
    try:
        # Resolved and checked again now: the name may point elsewhere since registration.
        target = outbound.check_target(endpoint.url)
        body = body_of(delivery)
        status = outbound.post(
            target,
            body,
            headers_for(delivery, endpoint.secret, body, now=int(time.time())),
            timeout=settings.WEBHOOKS_HTTP_TIMEOUT,
        )
    except outbound.TargetRefused as refused:
        logger.warning("webhook %s: %s refused: %s", delivery.pk, endpoint.url, refused)
        return _finish(delivery, Status.FAILED, error=f"refused: {refused}")
    except outbound.DeliveryError as error:
        return _failed_attempt(delivery, error)
    except Exception as error:
        # A receiver dripping its answer until the soft time limit, or a fault of ours: the
        # row must not stay "sending" for ever. Logged, and tried again later.
        logger.exception("webhook %s: sending to %s failed", delivery.pk, endpoint.url)
        failure = outbound.DeliveryError(f"{type(error).__name__}: {error}", retry=True)
        return _failed_attempt(delivery, failure)
    return _finish(delivery, Status.DELIVERED, status_code=status)


def _begin(delivery_id: int) -> WebhookDelivery | None:
    with transaction.atomic():
        # The partner is outer-joined (it may be missing), which PostgreSQL cannot lock: the
        # delivery and its endpoint are locked, as before partners owned endpoints.
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self", "endpoint"))
            .select_related("endpoint__partner")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.is_finished:
            return delivery
        # Checked here, not only at the announcement: a partner or endpoint switched off
        # while its deliveries wait (or retry) is sent nothing more.
        switched_off = _switched_off(delivery.endpoint)
        if switched_off:
            delivery.status = Status.SKIPPED
            delivery.finished_at = timezone.now()
            delivery.last_error = switched_off
            delivery.save(update_fields=["status", "finished_at", "last_error"])
            return delivery
        # One found running was cut off (a worker lost mid-request): it is sent again,
        # under the same delivery id.
        delivery.status = Status.RUNNING
        delivery.attempts += 1
        delivery.started_at = timezone.now()
        delivery.save(update_fields=["status", "attempts", "started_at"])
        return delivery


def _switched_off(endpoint: WebhookEndpoint) -> str:
    """Why nothing is sent to the endpoint now ("" when it may be sent to)."""
    if not endpoint.is_active:
        return "the endpoint was switched off"
    if endpoint.partner is not None and not endpoint.partner.is_active:
        return "the partner was switched off"
    return ""


def retry_delay(attempts: int) -> float:
    """Exponential backoff with jitter, capped well below the broker's visibility timeout
    (checked when the settings are read)."""
    ceiling = min(
        settings.WEBHOOKS_RETRY_MAX_SECONDS,
        settings.WEBHOOKS_RETRY_BASE_SECONDS * 2 ** (attempts - 1),
    )
    return random.uniform(ceiling / 2, ceiling)


def _failed_attempt(delivery: WebhookDelivery, error: outbound.DeliveryError) -> Outcome:
    if not error.retry or delivery.attempts >= settings.WEBHOOKS_MAX_ATTEMPTS:
        return _finish(delivery, Status.FAILED, error=str(error), status_code=error.status)
    WebhookDelivery.objects.filter(pk=delivery.pk, status=Status.RUNNING).update(
        status=Status.PENDING, last_error=str(error)[:2000], last_status_code=error.status
    )
    return Outcome(Status.PENDING, retry_in=retry_delay(delivery.attempts))


def _finish(
    delivery: WebhookDelivery, status: str, *, error: str = "", status_code: int | None = None
) -> Outcome:
    # Only from running: of two copies of a task, only the first move matches.
    WebhookDelivery.objects.filter(pk=delivery.pk, status=Status.RUNNING).update(
        status=status,
        finished_at=timezone.now(),
        last_error=error[:2000],
        last_status_code=status_code,
    )
    return Outcome(status)


# --- the admin's decisions -----------------------------------------------------------------


def rotate_secret(endpoint: WebhookEndpoint) -> str:
    """A new signing secret for the endpoint, returned to be shown once. Deliveries from
    now on, retries of older ones too, are signed with it."""
    endpoint.secret = outbound.new_secret()
    endpoint.save(update_fields=["secret"])
    return endpoint.secret


@transaction.atomic
def redeliver(delivery: WebhookDelivery, *, actor) -> WebhookDelivery:
    """A failed (or skipped) delivery goes round again with a fresh set of attempts, under
    the same delivery id (the webhooks' administrators). One waiting or running is left as
    it is; one delivered is never sent again. Tasks: articles.deliver_webhook."""
    require(permissions.can_manage_webhooks(actor))
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status in (Status.PENDING, Status.RUNNING):
        return delivery
    if delivery.status == Status.DELIVERED:
        raise WebhookDelivered()
    delivery.status = Status.PENDING
    delivery.attempts = 0
    delivery.finished_at = None
    delivery.save(update_fields=["status", "attempts", "finished_at"])
    enqueue("articles.deliver_webhook", delivery.pk)
    return delivery
