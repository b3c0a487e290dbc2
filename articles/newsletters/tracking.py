"""Open tracking (NEWSLETTER_OPEN_TRACKING, off unless switched on; the privacy text says
which): each recipient's message carries a 1x1 image at an address naming their delivery,
signed so that nobody can mark another's as opened. The token never expires: an issue read
a month later is opened then. Many mail apps fetch images on delivery or never, so the
count is a lower or an upper bound, not a truth: the desk says "opened (where images
load)"."""

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from articles.models import IssueDelivery
from newsroom.links import absolute_url

OPEN_SALT = "articles.newsletters.opened"


def open_token(delivery_id: int) -> str:
    return signing.dumps(delivery_id, salt=OPEN_SALT, compress=False)


def open_url(delivery_id: int) -> str:
    return absolute_url(
        reverse("newsletter-tracking:opened", kwargs={"token": open_token(delivery_id)})
    )


def record_open(token: str) -> bool:
    """The delivery the token names marked opened, the first time only (an image fetched
    again changes nothing). Returns whether the token named a delivery."""
    try:
        delivery_id = signing.loads(token, salt=OPEN_SALT)
    except signing.BadSignature:
        return False
    if not isinstance(delivery_id, int):
        return False
    delivery = IssueDelivery.objects.filter(pk=delivery_id)
    if delivery.filter(opened_at__isnull=True).update(opened_at=timezone.now()):
        return True
    return delivery.exists()
