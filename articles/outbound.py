"""HTTP requests to addresses that partners give us (webhooks), without the ORM.

A partner's URL must never reach the site's own services (Redis, PostgreSQL, the edge, the
cloud's metadata address): its host name is resolved once, every address it resolves to
must be a public one, and the connection goes to the address that was checked (the
request keeps the name in its Host header and TLS's SNI, and the certificate is verified
against the name). A second resolution, which a rebinding DNS server would answer with
127.0.0.1, never happens. Redirects are not followed.

Signing: the receiver is given `X-Newsroom-Signature: t=<unix time>,v1=<hex>`, the
HMAC-SHA256 of "<t>.<body>" under the endpoint's secret (see `sign` and `verify`).
"""

import hashlib
import hmac
import http.client
import ipaddress
import secrets
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SIGNATURE_HEADER = "X-Newsroom-Signature"
EVENT_HEADER = "X-Newsroom-Event"
DELIVERY_HEADER = "X-Newsroom-Delivery"
# A receiver should refuse a signature older than this (a replayed request).
SIGNATURE_TOLERANCE_SECONDS = 300
# Of a refused or failed answer, this much of the body is kept as the delivery's error.
KEPT_RESPONSE_BYTES = 500
USER_AGENT = "Newsroom-Webhooks/1"


class TargetRefused(Exception):
    """The address is not one a webhook may reach. Not worth retrying."""


class DeliveryError(Exception):
    """The request did not get a 2xx answer. `retry` says whether trying later may help."""

    def __init__(self, message: str, *, retry: bool, status: int | None = None):
        super().__init__(message)
        self.retry = retry
        self.status = status


# --- the secret and the signature -------------------------------------------------------------


def new_secret() -> str:
    return "whsec_" + secrets.token_hex(32)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={sign(secret, timestamp, body)}"


def verify(
    secret: str,
    header: str,
    body: bytes,
    *,
    now: float | None = None,
    tolerance: int = SIGNATURE_TOLERANCE_SECONDS,
) -> bool:
    """What a receiver does (the README shows the same in a few lines): the header's time
    is recent and one of its v1 values is the HMAC of "<t>.<body>"."""
    parts = [part.strip().partition("=") for part in header.split(",")]
    stamps = [value for key, _eq, value in parts if key == "t"]
    candidates = [value for key, _eq, value in parts if key == "v1"]
    if len(stamps) != 1 or not stamps[0].isdigit() or not candidates:
        return False
    timestamp = int(stamps[0])
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in candidates)


# --- which addresses may be reached --------------------------------------------------------


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (::ffff:127.0.0.1, 6to4, Teredo), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    return None


def address_refusal(text: str) -> str | None:
    """Why a webhook may not connect to the IP address `text`, or None when it may."""
    if text in settings.WEBHOOKS_TEST_ALLOWED_ADDRESSES:
        return None
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])  # drop an IPv6 zone id
    except ValueError:
        return f"{text!r} is not an IP address"
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None:
            reason = address_refusal(str(inner))
            return f"{text} stands for {inner}: {reason}" if reason else None
    for kind in ("loopback", "private", "link_local", "multicast", "reserved", "unspecified"):
        if getattr(address, f"is_{kind}"):
            return f"{address} is a {kind.replace('_', '-')} address"
    if not address.is_global:
        return f"{address} is not a public address"  # 100.64.0.0/10 and the like
    return None


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (tests replace this to play a DNS server)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the checked IP address the connection is pinned to


def url_refusal(url: str) -> str | None:
    """What is wrong with the URL itself (before any name is resolved), or None."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        return str(error)
    allowed = ("https", "http") if settings.WEBHOOKS_ALLOW_HTTP else ("https",)
    if parts.scheme not in allowed:
        return "the address must start with https://"
    if not parts.hostname:
        return "the address has no host"
    if parts.username or parts.password:
        return "the address must not carry a user name or password"
    if port == 0:
        return "port 0 cannot be reached"
    return None


def check_target(url: str) -> Target:
    """Resolve the URL's host once and check every address. Raises TargetRefused, or
    DeliveryError (retry) when the name does not resolve now."""
    refusal = url_refusal(url)
    if refusal:
        raise TargetRefused(refusal)
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    host = parts.hostname
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError) as error:
        raise DeliveryError(f"{host} does not resolve: {error}", retry=True) from error
    if not addresses:
        raise DeliveryError(f"{host} does not resolve", retry=True)
    # Any refused address refuses the name: a resolver may hand out either one next time.
    for address in addresses:
        reason = address_refusal(address)
        if reason:
            raise TargetRefused(f"{host} resolves to {address}: {reason}")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, host, port, path, addresses[0])


def validate_target(url: str) -> None:
    """The model's and the admin form's check of a webhook URL, name resolved."""
    try:
        check_target(url)
    except TargetRefused as refused:
        raise ValidationError(
            _("Webhooks cannot be sent to this address: %(reason)s."),
            code="webhook_target",
            params={"reason": refused},
        ) from refused
    except DeliveryError as error:
        raise ValidationError(
            _("The address's host name does not resolve: %(reason)s."),
            code="webhook_unresolved",
            params={"reason": error},
        ) from error


# --- the request ------------------------------------------------------------------------------


class _Pinned:
    """Connects to the checked address, whatever the host name resolves to by now; the
    name stays in the Host header, in SNI and in the certificate check."""

    def _pin(self, pinned_address: str) -> None:
        self.pinned_address = pinned_address
        # http.client opens its socket through this attribute, set in its __init__.
        self._create_connection = self._connect_pinned

    def _connect_pinned(self, address, timeout=None, source_address=None):
        return socket.create_connection((self.pinned_address, address[1]), timeout, source_address)


class PinnedHTTPConnection(_Pinned, http.client.HTTPConnection):
    def __init__(self, host, port, *, pinned_address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._pin(pinned_address)


class PinnedHTTPSConnection(_Pinned, http.client.HTTPSConnection):
    def __init__(self, host, port, *, pinned_address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._pin(pinned_address)


def post(target: Target, body: bytes, headers: dict[str, str], *, timeout: float) -> int:
    """POST `body` to the checked target; the status code of a 2xx answer, else raises
    DeliveryError (3xx: redirects are not followed; 4xx but 408 and 429: not retried)."""
    connection_class = PinnedHTTPSConnection if target.scheme == "https" else PinnedHTTPConnection
    connection = connection_class(
        target.host, target.port, pinned_address=target.address, timeout=timeout
    )
    try:
        connection.request(
            "POST",
            target.path,
            body=body,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": USER_AGENT,
                **headers,
            },
        )
        response = connection.getresponse()
        excerpt = response.read(KEPT_RESPONSE_BYTES).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException) as error:
        raise DeliveryError(f"{type(error).__name__}: {error}", retry=True) from error
    finally:
        connection.close()
    status = response.status
    if 200 <= status < 300:
        return status
    if 300 <= status < 400:
        where = response.getheader("Location", "")
        raise DeliveryError(
            f"HTTP {status}: redirects are not followed (Location: {where})",
            retry=False,
            status=status,
        )
    retry = status >= 500 or status in (408, 429)
    raise DeliveryError(f"HTTP {status}: {excerpt}".strip(), retry=retry, status=status)
