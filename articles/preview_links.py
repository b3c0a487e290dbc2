"""The signed address of a preview link. The signature keeps anyone from guessing
an address; expiry and revocation are checked on the PreviewLink row, so a link can be
closed before its time."""

from django.core import signing
from django.urls import reverse

from articles.models import Article, PreviewLink

SALT = "articles.share-preview"


def token_for(link: PreviewLink) -> str:
    return signing.dumps(link.pk, salt=SALT, compress=False)


def path_for(link: PreviewLink) -> str:
    return reverse("articles:shared-preview", args=[token_for(link)])


def link_for(token: str) -> PreviewLink | None:
    """The usable link a token names, or None (forged, expired, revoked or gone)."""
    try:
        link_id = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    # A spiked story's links stop working while it is in the trash.
    links = PreviewLink.objects.exclude(article__status=Article.Status.SPIKED)
    link = links.filter(pk=link_id).first() if isinstance(link_id, int) else None
    return link if link is not None and link.is_usable() else None
