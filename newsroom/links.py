"""Absolute addresses. SITE_URL is the one truth for every link that leaves the page (share
cards, e-mails, preview links): the host a request came in on may be a proxy's, a load
balancer's or 0.0.0.0."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """The site's address of `path`; an address that is absolute already (a photo in an
    object store) is kept as it is."""
    return path if path.startswith(("http://", "https://")) else settings.SITE_URL + path
