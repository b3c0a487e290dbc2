"""What the mail provider reports back about an issue's messages: the only code that changes
deliveries from those reports and suspends addresses.

django-anymail's tracking webhooks (articles/newsletters/tracking_urls.py) turn each
provider's payload into an AnymailTrackingEvent and send anymail.signals.tracking, which
`record` receives:

- delivered: the delivery's delivered_at; opened: its opened_at (the first time only);
- bounced (hard): the delivery BOUNCED and its address suspended; complained (marked as
  spam): COMPLAINED and suspended. A suspended address gets no further issue
  (sending.queue_recipients leaves it out). A bounce's suspension is lifted when the
  address subscribes and confirms again by mail; a complaint's only when the account
  holding the address verified subscribes again from its my page: the public form mails
  no one who marked us as spam (articles.newsletters.subscriptions, which reads
  suspended_for_complaint). A complaint after a bounce's suspension becomes its reason;
- rejected or failed (the provider refused to send it): the delivery FAILED with the reason;
- deferred, a soft bounce and anything else: a log line, nothing changed.

Providers retry a webhook until it is answered 2xx, so every report may come twice: each
change applies once (a bounced delivery stays as it is, a suspended address is not
suspended again, the first delivery and opening times stay). A report naming a message of
no issue (a sign-up e-mail, another site's, or an issue's under a relay's own id) changes
no delivery: a hard bounce or a complaint of it still suspends the address, since it says
the mailbox is dead or unwilling; anything else is logged and answered 200 like the rest.
"""

import logging

from anymail.signals import AnymailTrackingEvent, EventType, tracking
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone

from articles.models import IssueDelivery, Subscriber, SubscriptionEvent

logger = logging.getLogger(__name__)

Status = IssueDelivery.Status
# Reports that end a delivery, to the status they give it.
ENDING = {
    EventType.BOUNCED: Status.BOUNCED,
    EventType.COMPLAINED: Status.COMPLAINED,
    EventType.REJECTED: Status.FAILED,
    EventType.FAILED: Status.FAILED,
}
SUSPENDING = (EventType.BOUNCED, EventType.COMPLAINED)
# How a complaint's suspension begins its suspended_reason ("complained: <detail>").
COMPLAINT_REASON = f"{EventType.COMPLAINED}:"
# A delivery a report may still end: a complaint may follow a bounce's report or a
# delivery's, never the other way round (nobody complains of a message that bounced).
ENDABLE = {
    Status.BOUNCED: (Status.SENDING, Status.SENT, Status.FAILED),
    Status.COMPLAINED: (Status.SENDING, Status.SENT, Status.FAILED, Status.BOUNCED),
    Status.FAILED: (Status.SENDING, Status.SENT),
}


@receiver(tracking, dispatch_uid="articles.newsletters.bounces.record")
def record(sender, event: AnymailTrackingEvent, esp_name: str, **kwargs) -> None:
    """anymail.signals.tracking's receiver: one provider report applied (see the module's
    docstring). Never raises for a report it cannot place: the provider would retry it for
    days."""
    kind = event.event_type
    if kind == EventType.BOUNCED and is_soft_bounce(event, esp_name):
        kind = EventType.DEFERRED
    if kind not in (EventType.DELIVERED, EventType.OPENED, *ENDING):
        logger.info(
            "newsletter report from %s: %s for %s, nothing to change",
            esp_name,
            event.event_type,
            event.message_id,
        )
        return
    with transaction.atomic():
        delivery = find_delivery(event)
        if (
            delivery is None
            and kind in SUSPENDING
            and suspend_address(event, kind, esp_name=esp_name)
        ):
            return
        if delivery is None:
            logger.info(
                "newsletter report from %s: %s for an unknown message %s (%s)",
                esp_name,
                kind,
                event.message_id,
                event.recipient,
            )
            return
        apply(delivery, kind, event, esp_name=esp_name)


def is_soft_bounce(event: AnymailTrackingEvent, esp_name: str) -> bool:
    """Anymail reports some temporary failures as "bounced": the providers' own payloads
    say which (Postmark's Type, Amazon SES's bounceType)."""
    raw = event.esp_event if isinstance(event.esp_event, dict) else {}
    if esp_name == "Postmark":
        return raw.get("Type") in ("SoftBounce", "Transient", "DnsError")
    if esp_name == "Amazon SES":
        return (raw.get("bounce") or {}).get("bounceType") in ("Transient", "Undetermined")
    return False


def find_delivery(event: AnymailTrackingEvent) -> IssueDelivery | None:
    """The delivery the report names, locked: by the message's id (the provider's, given
    when sending through anymail's backend for it, or our Message-ID header, with or
    without its angle brackets). None for any other: a relay reporting under its own ids,
    or a mail that was no issue (a sign-up's, a notification's)."""
    message_id = (event.message_id or "").strip()
    if not message_id:
        return None
    bare = message_id.strip("<>")
    return (
        IssueDelivery.objects.select_for_update(of=("self",))
        .select_related("issue", "subscription__subscriber")
        .filter(message_id__in={message_id, bare, f"<{bare}>"})
        .first()
    )


def suspend_address(event: AnymailTrackingEvent, kind: str, *, esp_name: str) -> bool:
    """A hard bounce or a complaint about a mail that names no delivery still says the
    address is dead or unwilling: its subscriber is suspended, no delivery is touched (the
    report may be of another mail than an issue)."""
    subscriber = (
        Subscriber.objects.filter(email__iexact=event.recipient).first()
        if event.recipient
        else None
    )
    if subscriber is None:
        return False
    reason = event.description or event.mta_response or kind
    return suspend(subscriber, reason=kind, delivery=None, detail=f"{esp_name}: {reason}")


def apply(delivery: IssueDelivery, kind: str, event: AnymailTrackingEvent, *, esp_name: str):
    at = event.timestamp or timezone.now()
    if kind == EventType.DELIVERED:
        IssueDelivery.objects.filter(pk=delivery.pk, delivered_at__isnull=True).update(
            delivered_at=at
        )
        return
    if kind == EventType.OPENED:
        IssueDelivery.objects.filter(pk=delivery.pk, opened_at__isnull=True).update(opened_at=at)
        return
    status = ENDING[kind]
    reason = event.description or event.mta_response or event.reject_reason or kind
    IssueDelivery.objects.filter(pk=delivery.pk, status__in=ENDABLE[status]).update(
        status=status, error=f"{esp_name}: {reason}"[:2000]
    )
    if kind in SUSPENDING:
        suspend(delivery.subscription.subscriber, reason=kind, delivery=delivery, detail=reason)


def suspended_for_complaint(subscriber: Subscriber) -> bool:
    """Whether the address is suspended because its owner marked an issue as spam (suspend
    writes the report's kind first in suspended_reason)."""
    return subscriber.suspended_at is not None and subscriber.suspended_reason.startswith(
        COMPLAINT_REASON
    )


def suspend(
    subscriber: Subscriber, *, reason: str, delivery: IssueDelivery | None, detail: str
) -> bool:
    """Stop every newsletter to the address. History: suspended (once: an address already
    suspended is left as it is, but for a complaint about an address suspended after a
    bounce, which becomes the reason: a confirmation mail may lift a bounce's suspension,
    never a complaint's). Returns whether this call suspended it or changed its reason."""
    now = timezone.now()
    written = f"{reason}: {detail}"[:200]
    changed = Subscriber.objects.filter(Q(pk=subscriber.pk), Q(suspended_at__isnull=True)).update(
        suspended_at=now, suspended_reason=written
    )
    if not changed and reason == EventType.COMPLAINED:
        changed = (
            Subscriber.objects.filter(pk=subscriber.pk, suspended_at__isnull=False)
            .exclude(suspended_reason__startswith=COMPLAINT_REASON)
            .update(suspended_reason=written)
        )
    if not changed:
        return False
    SubscriptionEvent.objects.create(
        subscriber=subscriber,
        newsletter_id=delivery.issue.newsletter_id if delivery else None,
        action=SubscriptionEvent.Action.SUSPENDED,
        actor=None,
        actor_name="system",
        note=detail[:2000],
        data={
            "reason": reason,
            **({"issue": delivery.issue_id, "delivery": delivery.pk} if delivery else {}),
        },
        created_at=now,
    )
    logger.info("newsletter subscriber %s suspended: %s", subscriber.pk, reason)
    return True
