"""The edge: the shared caches in front of the app servers, purged by surrogate keys.

Every page the page cache may keep names what it was built from (newsroom.cached_pages
sends the same dependencies in a `Surrogate-Key` header, `header_value`), and every change
that retires those pages here (newsroom.pagecache.touch) also enqueues the task
`newsroom.purge_edge`, which calls `purge(keys)` on each edge of EDGE_PURGE_URLS.

An edge is anything with `purge(keys)` that raises when the purge did not get through (the
task is then retried; purging twice drops nothing more). `Varnish` is the one shipped and
tested (deploy/varnish/newsroom.vcl): an HTTP PURGE with the keys in Surrogate-Key. A CDN
would implement the same method with its own purge-by-tag call and the header it reads
keys from: Fastly (Surrogate-Key, its purge-by-surrogate-key API), Cloudflare (Cache-Tag,
its purge-by-tags API), CloudFront (no tags: an invalidation of the paths the keys stand
for, kept by the app).
"""

import http.client
import re
import urllib.parse
from collections.abc import Collection
from typing import Protocol

from django.conf import settings

HEADER = "Surrogate-Key"
# Longer than a purge of a few keys takes on a local network, short enough that an edge
# that hangs does not hold a worker: the task is retried with backoff.
PURGE_TIMEOUT = 2.0
# Keys are space-separated in the header, and Varnish's xkey also splits on commas: any
# other character stays as it is, the rest is %-escaped, the same way everywhere.
_UNSAFE = re.compile(r"[^A-Za-z0-9:._~/-]")


def edge_key(key: str) -> str:
    return _UNSAFE.sub(lambda found: "".join(f"%{b:02X}" for b in found[0].encode()), key)


def header_value(keys: Collection[str]) -> str:
    return " ".join(sorted(edge_key(key) for key in keys))


class Edge(Protocol):
    def purge(self, keys: Collection[str]) -> None:
        """Drop every object built from any of `keys`; raise if that may not have happened."""


class EdgeError(Exception):
    pass


class Varnish:
    """A varnishd running deploy/varnish/newsroom.vcl at `url`; this server must be in its
    purgers ACL."""

    def __init__(self, url: str):
        self.url = url
        self._parts = urllib.parse.urlsplit(url)

    def __repr__(self) -> str:
        return f"Varnish({self.url!r})"

    def purge(self, keys: Collection[str]) -> None:
        parts = self._parts
        connection_class = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        connection = connection_class(parts.hostname, parts.port, timeout=PURGE_TIMEOUT)
        try:
            connection.request("PURGE", parts.path or "/", headers={HEADER: header_value(keys)})
            response = connection.getresponse()
            response.read()
        except OSError as error:
            raise EdgeError(f"{self.url}: {error}") from error
        finally:
            connection.close()
        if response.status != 200:
            raise EdgeError(f"{self.url} answered the purge with {response.status}")


def configured() -> list[Edge]:
    """One adapter per address in EDGE_PURGE_URLS (none: the site has no edge)."""
    return [Varnish(url) for url in settings.EDGE_PURGE_URLS]
