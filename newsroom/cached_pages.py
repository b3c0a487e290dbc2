"""Whole reader pages from the page cache (newsroom.pagecache), answered before the session,
auth, CSRF and messages middleware run.

A view takes part with `@cacheable(params=..., timeout=...)` and names what its page was
built from with `depends_on(response, keys)`; a response without dependencies is never
kept. Every request for such a view that does not carry the desk's marker cookie is
answered as for an anonymous reader: its cookies are hidden from the view, so no page built
here holds anyone's name, token or message (a signed-in reader's personal parts come from
the page's one personal request). The marker is set at log-in for staff and cleared at
log-out; it proves nothing, its only power is to skip the cache (the desk's own pages check
the session as always).
"""

import hashlib
import time
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseNotModified
from django.http.response import ResponseHeaders
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, quote_etag

from newsroom import edge, pagecache

# Larger pages are served but not kept: nothing the reader pages draw comes near it.
MAX_KEPT_BYTES = 2 * 1024 * 1024
# Longer values are not a query a reader typed; such a page is rendered, not kept.
MAX_PARAMETER_LENGTH = 200
# Proxies and CDNs may keep a page this long: until the edge is purged on publish, a
# corrected story must not be held there for long. Browsers revalidate every time (a
# reader coming back from posting a comment must see it), which the ETag makes cheap.
SHARED_MAX_AGE = 5
STALE_WHILE_REVALIDATE = 30
# Changed with what a kept Page holds, so that a deploy never replays the pages the
# processes before it kept (2: its headers include the caching ones; 3: and the edge's
# Surrogate-Key, without which an edge would keep a page no purge can reach).
KEY_PREFIX = "page3:"
# Never looked up nor kept, whatever their views say: the partner API answers each key
# holder with their own response (articles/api.py); a newsletter's open-tracking image
# marks a delivery at each fetch and the providers' webhooks are POSTs with a secret.
NEVER_CACHED = ("/api/", "/newsletters/opened/", "/newsletters/provider/")


@dataclass(frozen=True)
class Policy:
    """How a view's pages are kept: the query parameters the page reads (any other is
    left out of the key), for how long, and into how many slots (a page kind whose
    addresses readers make up, such as search, gets a fixed number of slots: random
    queries overwrite each other instead of filling the cache)."""

    params: tuple[str, ...] = ()
    timeout: int = 300
    slots: int | None = None


@dataclass(frozen=True)
class Page:
    address: str  # the normalised address, checked on a hit (slots are shared)
    status: int
    headers: tuple[tuple[str, str], ...]  # every header of a replay, its caching ones too
    body: bytes
    etag: str
    last_modified: float


class _CheckedHeaders(ResponseHeaders):
    """A replay's headers, checked for their encoding once, when the page was kept: a hit
    copies them rather than checking each again (a tenth of a hit's time)."""

    def __init__(self, headers: tuple[tuple[str, str], ...]):
        self._store = {name.lower(): (name, value) for name, value in headers}


def cacheable(*, params: tuple[str, ...] = (), timeout: int = 300, slots: int | None = None):
    policy = Policy(params=tuple(sorted(params)), timeout=timeout, slots=slots)

    def decorate(view):
        view.page_cache = policy
        return view

    return decorate


def depends_on(response, keys):
    """Mark `response` as built from `keys` (see newsroom.pagecache); returns it."""
    response.page_dependencies = tuple(sorted(set(keys)))
    return response


def signed_in(request, *, staff: bool) -> None:
    """Set the marker cookies on this response: the reader one, which tells the page's
    script to make its personal request, and for staff the desk's, which skips the cache."""
    request.page_cache_marks = {
        settings.PAGE_CACHE_MEMBER_COOKIE: True,
        settings.PAGE_CACHE_BYPASS_COOKIE: staff,
    }


def signed_out(request) -> None:
    request.page_cache_marks = {
        settings.PAGE_CACHE_MEMBER_COOKIE: False,
        settings.PAGE_CACHE_BYPASS_COOKIE: False,
    }


def _policy(request) -> Policy | None:
    if request.method not in ("GET", "HEAD"):
        return None
    if request.path_info.startswith(NEVER_CACHED):
        return None
    if settings.PAGE_CACHE_BYPASS_COOKIE in request.COOKIES:
        return None
    match = _route(request.path_info)
    policy = getattr(match.func, "page_cache", None) if match is not None else None
    if policy is not None:
        request.resolver_match = match  # the request log names the route of a hit too
    return policy


# Resolving is a fifth of a hit's time: the routes of the addresses seen last are kept.
@lru_cache(maxsize=4096)
def _route(path: str) -> ResolverMatch | None:
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            return resolve(path)
        except Resolver404:
            return None


@receiver(setting_changed)
def _urls_changed(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _route.cache_clear()


def _address(request, policy: Policy) -> str | None:
    if not policy.params or not request.META.get("QUERY_STRING"):
        return request.path
    values = []
    for name in policy.params:
        for value in request.GET.getlist(name):
            value = " ".join(value.split())
            if len(value) > MAX_PARAMETER_LENGTH:
                return None
            if value:
                values.append(f"{name}={value}")
    return request.path + ("?" + "&".join(values) if values else "")


def _key(address: str, policy: Policy) -> str:
    digest = hashlib.sha1(address.encode(), usedforsecurity=False).hexdigest()
    if policy.slots:
        bare = address.split("?", 1)[0]
        path = hashlib.sha1(bare.encode(), usedforsecurity=False).hexdigest()[:12]
        return f"{KEY_PREFIX}{path}:slot{int(digest, 16) % policy.slots}"
    return f"{KEY_PREFIX}{digest}"


def _as_anyone(request) -> None:
    request.COOKIES = {}
    request.META.pop("HTTP_COOKIE", None)


def _keepable(response) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if not getattr(response, "page_dependencies", None) or response.cookies:
        return False
    control = response.get("Cache-Control", "")
    if "private" in control or "no-store" in control or "no-cache" in control:
        return False
    return len(response.content) <= MAX_KEPT_BYTES


def _public_headers(response, etag: str, last_modified: float) -> None:
    # The page is the same for everyone: the session and language middleware's Vary would
    # only make shared caches keep one copy per cookie.
    response.headers.pop("Vary", None)
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=SHARED_MAX_AGE,
        stale_while_revalidate=STALE_WHILE_REVALIDATE,
    )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)


def _kept(address: str, response, body: bytes, etag: str, started: float) -> Page:
    """The page as a hit replays it: the response's headers as they are now (their caching
    ones included), its length, and the mark of a hit."""
    headers = tuple(
        (name, value) for name, value in response.items() if name.lower() != "content-length"
    )
    headers += (("Content-Length", str(len(body))), ("X-Page-Cache", "hit"))
    return Page(address, response.status_code, headers, body, etag, started)


def _replay(request, page: Page):
    if request.headers.get("If-None-Match") == page.etag:
        response = HttpResponseNotModified()
        _public_headers(response, page.etag, page.last_modified)
        response["X-Page-Cache"] = "hit"
        return response
    response = HttpResponse(b"" if request.method == "HEAD" else page.body, status=page.status)
    response.headers = _CheckedHeaders(page.headers)
    return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        policy = _policy(request)
        if policy is None:
            return self._marked(request, self.get_response(request))
        address = _address(request, policy)
        key = _key(address, policy) if address is not None else None
        if key is not None and settings.PAGE_CACHE_ENABLED:
            entry = pagecache.lookup(key)
            if entry is not None and entry.content.address == address:
                return _replay(request, entry.content)
        _as_anyone(request)
        started = time.time()
        response = self.get_response(request)
        if not _keepable(response):
            return response
        body = response.content
        etag = quote_etag(hashlib.md5(body, usedforsecurity=False).hexdigest())
        _public_headers(response, etag, started)
        # What the edge purges it by (newsroom.edge): the dependencies this cache records.
        response[edge.HEADER] = edge.header_value(response.page_dependencies)
        if key is not None and settings.PAGE_CACHE_ENABLED:
            dependencies = response.page_dependencies
            built_from = pagecache.generations.current(dependencies)
            if not pagecache.changed_since(built_from, started):
                page = _kept(address, response, body, etag, started)
                pagecache.store(key, dependencies, built_from, page, policy.timeout)
        response["X-Page-Cache"] = "miss"
        if request.method == "HEAD":
            response.content = b""
            response["Content-Length"] = str(len(body))
        elif request.headers.get("If-None-Match") == etag:
            return _replay(request, _kept(address, response, body, etag, started))
        return response

    @staticmethod
    def _marked(request, response):
        for name, wanted in getattr(request, "page_cache_marks", {}).items():
            if wanted:
                # The reader marker is read by the page's script; neither is a credential.
                response.set_cookie(
                    name,
                    "1",
                    max_age=settings.SESSION_COOKIE_AGE,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=name == settings.PAGE_CACHE_BYPASS_COOKIE,
                    samesite="Lax",
                )
            elif name in request.COOKIES:
                response.delete_cookie(name, samesite="Lax")
        return response
