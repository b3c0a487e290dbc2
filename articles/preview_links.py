"""The signed address of a share-preview link. The signature keeps anyone from guessing
an address; expiry and revocation are checked on the ShareLink row, so a link can be
closed before its time."""

from django.core import signing
from django.urls import reverse

from articles.models import ShareLink

SALT = "articles.share-preview"


def token_for(link: ShareLink) -> str:
    return signing.dumps(link.pk, salt=SALT, compress=False)


def path_for(link: ShareLink) -> str:
    return reverse("articles:shared-preview", args=[token_for(link)])


def link_for(token: str) -> ShareLink | None:
    """The usable link a token names, or None (forged, expired, revoked or gone)."""
    try:
        link_id = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    link = ShareLink.objects.filter(pk=link_id).first() if isinstance(link_id, int) else None
    return link if link is not None and link.is_usable() else None
