"""The fan-out of a story's share card to the networks: every change of its state.

`trigger()` is called by articles.workflow in the story's transaction (the row is locked):
when (story, public or not, hash of the shared fields) differs from the story's last
fan-out it writes a ShareFanout with one pending ShareDelivery per network and enqueues
`articles.fan_out_share` through the outbox. That task `start()`s the fan-out: one
`articles.deliver_share` task per network, enqueued together. Each `deliver()`s its
network: it builds the common card once (the share image), stores the network's metadata,
calls Facebook's refresh API where it can, and ends done, skipped (with the reason) or,
after its attempts, failed. Completion is counted on the fan-out row.

Every step is safe to run twice (tasks are delivered at least once): a finished delivery
is left alone, a fan-out is started once, and counting happens only on the move into a
finished state. `rerun()` is the editor's "try again" on a failed delivery.
"""

import hashlib
import json
import logging
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.errors import require
from articles import dependencies, permissions
from articles.errors import DeliveryNotFailed
from articles.events import record
from articles.models import (
    Article,
    Network,
    ShareDelivery,
    ShareFanout,
)
from articles.sharing import card as share_card
from articles.sharing import image as share_image
from articles.sharing import networks, ratelimit
from media.models import Photo
from newsroom import pagecache
from newsroom.links import absolute_url
from newsroom.outbox import enqueue

logger = logging.getLogger(__name__)

Status = ShareDelivery.Status
Reason = ShareDelivery.SkipReason
# A rate-limit wait up to this long is slept through; a longer one is a retry later.
MAX_RATE_SLEEP = 2.0


# --- what is shared -------------------------------------------------------------------------


def shared_fields(article: Article) -> dict:
    """The parts of a story the networks show: its hash decides whether a change needs a
    new fan-out. Uses prefetched photo rows when the caller has them."""
    lead = next((use for use in article.photo_uses.all() if use.is_lead), None)
    photo = article.share_photo or (lead.photo if lead else None)
    alt = ""
    if photo is not None:
        alt = lead.alt_text if lead and lead.photo_id == photo.pk and lead.alt_text else ""
        alt = alt or photo.alt_text
    return {
        "headline": article.headline,
        "share_title": article.share_title,
        "share_description": article.share_description,
        "summary": article.summary,
        "path": article.get_absolute_url(),
        "photo": photo.pk if photo else None,
        "photo_hash": photo.content_hash if photo else "",
        "focal": list(photo.focal_point) if photo else None,
        "image_alt": alt,
    }


def fields_hash(fields: dict) -> str:
    encoded = json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


# --- the trigger ----------------------------------------------------------------------------


def trigger(article: Article, *, reason: str) -> ShareFanout | None:
    """Called by the workflow with the story locked, after its change. Writes a fan-out
    when what the networks should show differs from the last one (a publish, an update or
    correction of a shared field, an unpublish, a republish); else nothing. A story never
    shown publicly has nothing to withdraw. Tasks: articles.fan_out_share after commit."""
    public = article.status == Article.Status.PUBLISHED
    fields = shared_fields(article)
    digest = fields_hash(fields)
    latest = ShareFanout.objects.filter(article=article).order_by("-pk").first()
    if latest is None and not public:
        return None
    if (
        latest is not None
        and latest.is_public == public
        and (latest.fields_hash == digest or not public)
    ):
        return None  # the same card again, or a change to a story the networks dropped
    fanout = ShareFanout.objects.create(
        article=article,
        is_public=public,
        fields_hash=digest,
        fields=fields,
        trigger=reason[:20],
        total=len(Network.values),
    )
    ShareDelivery.objects.bulk_create(
        ShareDelivery(fanout=fanout, network=network) for network in Network.values
    )
    enqueue("articles.fan_out_share", fanout.pk)
    return fanout


@transaction.atomic
def start(fanout_id: int) -> int:
    """Enqueue one delivery task per network, together and once: the fan-out is marked
    started in the same transaction as the outbox rows. Returns how many were enqueued."""
    now = timezone.now()
    if not ShareFanout.objects.filter(pk=fanout_id, started_at__isnull=True).update(started_at=now):
        return 0  # started before (a redelivered task): the outbox owns those messages
    pending = list(
        ShareDelivery.objects.filter(fanout_id=fanout_id, status=Status.PENDING).values_list(
            "pk", flat=True
        )
    )
    for delivery_id in pending:
        enqueue("articles.deliver_share", delivery_id)
    return len(pending)


# --- one network's delivery --------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    status: str
    retry_in: float | None = None  # seconds: the task should run again then


def deliver(delivery_id: int) -> Outcome:
    """One network's part. Re-reads the delivery, the fan-out and the story: a finished
    delivery is not run again, and a fan-out replaced by a newer one (the story was
    unpublished or changed since) gives no card."""
    delivery = _begin(delivery_id)
    if delivery is None or delivery.status != Status.RUNNING:
        return Outcome(delivery.status if delivery else "missing")
    spec = networks.NETWORKS[delivery.network]
    fanout = delivery.fanout
    try:
        card = ensure_card(fanout)
        data = networks.metadata(delivery.network, fields=fanout.fields, card=card)
    except Exception as error:  # a broken photo file, storage trouble: try again later
        logger.exception("share fan-out %s: building the %s card failed", fanout.pk, spec.key)
        return _failed_attempt(delivery, f"{type(error).__name__}: {error}", retry=True)
    ShareDelivery.objects.filter(pk=delivery.pk).update(metadata=data)
    # The story's page shows the stored card and metadata (selectors.stored_share).
    pagecache.touch({dependencies.story(fanout.article_id)})
    if not spec.is_configured():
        return _finish(delivery, Status.SKIPPED, reason=Reason.NOT_CONFIGURED)
    if not spec.can_refresh:
        return _finish(delivery, Status.SKIPPED, reason=Reason.NO_REFRESH_API)
    wait = ratelimit.acquire(
        spec.key, per_minute=settings.SHARE_FACEBOOK_RATE_PER_MINUTE, patience=MAX_RATE_SLEEP
    )
    if wait > MAX_RATE_SLEEP:
        # Not this attempt's fault: back to pending, the attempt not counted.
        ShareDelivery.objects.filter(pk=delivery.pk, status=Status.RUNNING).update(
            status=Status.PENDING, attempts=F("attempts") - 1
        )
        return Outcome(Status.PENDING, retry_in=wait + random.uniform(0, 1))
    if wait:
        time.sleep(wait)
    # Counted before the call: a worker killed during the call still leaves its trace.
    ShareDelivery.objects.filter(pk=delivery.pk).update(refresh_calls=F("refresh_calls") + 1)
    try:
        networks.refresh_facebook(card["url"])
    except networks.RefreshFailed as error:
        return _failed_attempt(delivery, str(error), retry=error.retry)
    return _finish(delivery, Status.DONE)


def _begin(delivery_id: int) -> ShareDelivery | None:
    with transaction.atomic():
        delivery = (
            ShareDelivery.objects.select_for_update()
            .select_related("fanout")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.is_finished:
            return delivery
        fanout = delivery.fanout
        latest = (
            ShareFanout.objects.filter(article_id=fanout.article_id)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
        status = Article.objects.filter(pk=fanout.article_id).values_list("status", flat=True)
        still_public = status.first() == Article.Status.PUBLISHED
        if latest != fanout.pk or (fanout.is_public and not still_public):
            _finish(delivery, Status.SKIPPED, reason=Reason.SUPERSEDED)
            delivery.status = Status.SKIPPED
            return delivery
        # A delivery found running was cut off (a worker lost mid-task): run it again.
        delivery.status = Status.RUNNING
        delivery.attempts += 1
        delivery.started_at = timezone.now()
        delivery.save(update_fields=["status", "attempts", "started_at"])
        return delivery


def ensure_card(fanout: ShareFanout) -> dict:
    """The networks' common card, built once per fan-out: the first delivery to get here
    renders and stores the share image, the others (and repeats) read it back. Two at
    once render the same bytes under the same name, and only one card is kept."""
    if fanout.card_ready_at is not None:
        return fanout.card
    fields = fanout.fields
    url = absolute_url(fields["path"])
    if not fanout.is_public:
        card = {"public": False, "url": url}
        image_url = ""
    else:
        image = render_image(fields)
        image_url = store_image(image)
        card = {
            "public": True,
            "url": url,
            "title": share_card.shorten(
                fields["share_title"] or fields["headline"], share_card.TITLE_LIMIT
            ),
            "description": share_card.shorten(
                fields["share_description"] or fields["summary"], share_card.DESCRIPTION_LIMIT
            ),
            "image_url": image_url,
            "image_width": image.width,
            "image_height": image.height,
            "image_alt": fields["image_alt"] or fields["headline"],
        }
    ShareFanout.objects.filter(pk=fanout.pk, card_ready_at__isnull=True).update(
        card=card, image_url=image_url, card_ready_at=timezone.now()
    )
    fanout.refresh_from_db(fields=["card", "image_url", "card_ready_at"])
    return fanout.card


def render_image(fields: dict) -> share_image.ShareImage:
    photo = _photo_pixels(fields.get("photo"))
    return share_image.compose(
        fields["headline"],
        photo=photo,
        focal=tuple(fields["focal"]) if fields.get("focal") else (0.5, 0.5),
        site_name=settings.SITE_NAME,
        brand_color=settings.SITE_BRAND_COLOR,
    )


def _photo_pixels(photo_id: int | None):
    """The photo's largest JPEG rendition (re-encoded, upright), else its original."""
    photo = Photo.objects.filter(pk=photo_id).first() if photo_id else None
    if photo is None:
        return None
    renditions = [r for r in photo.renditions.all() if r.format == "JPEG" and r.spec != "share"]
    if renditions:
        best = max(renditions, key=lambda rendition: rendition.width)
        with best.file.open("rb") as handle:
            return share_image.open_photo(handle.read())
    with photo.original.open("rb") as handle:
        return share_image.open_photo(handle.read())


def image_name(image: share_image.ShareImage) -> str:
    """A hash of the bytes: a changed headline or photo is a new URL, which is the only
    way to a new card on X, KakaoTalk and LinkedIn."""
    return f"share/{image.content_hash[:2]}/{image.content_hash[:40]}.jpg"


def store_image(image: share_image.ShareImage) -> str:
    storage = storages["photos_public"]
    name = image_name(image)
    if not storage.exists(name):
        storage.save(name, ContentFile(image.data))
    return absolute_url(storage.url(name))


def retry_delay(attempts: int) -> float:
    """Exponential backoff with jitter, capped well below the broker's visibility timeout
    (checked when the settings are read)."""
    ceiling = min(
        settings.SHARE_RETRY_MAX_SECONDS, settings.SHARE_RETRY_BASE_SECONDS * 2 ** (attempts - 1)
    )
    return random.uniform(ceiling / 2, ceiling)


def _failed_attempt(delivery: ShareDelivery, error: str, *, retry: bool) -> Outcome:
    attempts = ShareDelivery.objects.values_list("attempts", flat=True).get(pk=delivery.pk)
    if not retry or attempts >= settings.SHARE_MAX_ATTEMPTS:
        return _finish(delivery, Status.FAILED, error=error)
    ShareDelivery.objects.filter(pk=delivery.pk, status=Status.RUNNING).update(
        status=Status.PENDING, last_error=error[:2000]
    )
    return Outcome(Status.PENDING, retry_in=retry_delay(attempts))


def _finish(delivery: ShareDelivery, status: str, *, reason: str = "", error: str = "") -> Outcome:
    """Move into a finished state and count it on the fan-out, once: of two copies of a
    task, only the first move matches."""
    now = timezone.now()
    with transaction.atomic():
        fields = {"status": status, "skip_reason": reason, "finished_at": now}
        if error:
            fields["last_error"] = error[:2000]
        moved = ShareDelivery.objects.filter(
            pk=delivery.pk, status__in=[Status.PENDING, Status.RUNNING]
        ).update(**fields)
        if moved:
            ShareFanout.objects.filter(pk=delivery.fanout_id).update(finished=F("finished") + 1)
            ShareFanout.objects.filter(
                pk=delivery.fanout_id, finished=F("total"), completed_at__isnull=True
            ).update(completed_at=now)
    return Outcome(status)


# --- the editor's decision ----------------------------------------------------------------


@transaction.atomic
def rerun(delivery: ShareDelivery, *, actor) -> ShareDelivery:
    """A failed delivery goes round again with a fresh set of attempts (editors). One
    already waiting or running is left as it is (a second click). Only the story's latest
    fan-out is re-run. History: "share_rerun" on the story. Tasks: articles.deliver_share."""
    delivery = (
        ShareDelivery.objects.select_for_update()
        .select_related("fanout__article")
        .get(pk=delivery.pk)
    )
    article = delivery.fanout.article
    require(permissions.is_editor(actor))
    if delivery.status in (Status.PENDING, Status.RUNNING):
        return delivery
    latest = ShareFanout.objects.filter(article=article).order_by("-pk").first()
    if delivery.status != Status.FAILED or latest is None or latest.pk != delivery.fanout_id:
        raise DeliveryNotFailed()
    delivery.status = Status.PENDING
    delivery.attempts = 0
    delivery.finished_at = None
    delivery.save(update_fields=["status", "attempts", "finished_at"])
    ShareFanout.objects.filter(pk=delivery.fanout_id).update(
        finished=F("finished") - 1, completed_at=None
    )
    record(
        article,
        "share_rerun",
        actor,
        article.status,
        article.status,
        data={"delivery": delivery.pk, "network": delivery.network, "error": delivery.last_error},
    )
    enqueue("articles.deliver_share", delivery.pk)
    return delivery
