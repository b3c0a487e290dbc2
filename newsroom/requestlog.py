"""One log line per request, and a request id that follows the work it causes.

Every request gets an id (a proxy's X-Request-ID when trusted proxies are configured, else a
new one). The id is on the request's log line, in the X-Request-ID response header, on every
log line written while handling it, and it travels with the tasks the request enqueues, so
an operator can follow one click from the web log into the worker's log.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.utils.log import log_response

current_request_id: ContextVar[str] = ContextVar("request_id", default="-")
logger = logging.getLogger("newsroom.requests")
# What a trusted proxy may hand us as an id: short and harmless in a log line.
ACCEPTED_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class LineFormatter(logging.Formatter):
    """The default format, with each second's date and time written once rather than on
    every line (a server writes thousands of lines a second under load)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._second = None
        self._stamp = ""

    def formatTime(self, record, datefmt=None):  # noqa: N802 (logging.Formatter's name)
        if datefmt is not None:
            return super().formatTime(record, datefmt)
        second = int(record.created)
        if second != self._second:
            self._stamp = time.strftime(self.default_time_format, self.converter(second))
            self._second = second
        return self.default_msec_format % (self._stamp, record.msecs)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every log record (a dash outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _incoming_id(request) or uuid.uuid4().hex
        token = current_request_id.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            if response.status_code >= 400:
                # Django would log these after the id is gone; log them here, with it.
                log_response(f"{response.status_code} {_route(request)}", response=response)
            user = getattr(request, "user", None)
            logger.info(
                "request method=%s route=%s status=%s duration_ms=%.1f user=%s",
                request.method,
                _route(request),
                response.status_code,
                (time.monotonic() - started) * 1000,
                user.pk if user is not None and user.is_authenticated else "-",
            )
        finally:
            current_request_id.reset(token)
        return response


def _route(request) -> str:
    """The URL pattern, not the path: paths carry one-time keys (password reset, e-mail
    confirmation) that must not end up in the logs."""
    match = getattr(request, "resolver_match", None)
    return f"/{match.route}" if match is not None else "(unresolved)"


def _incoming_id(request) -> str | None:
    if not settings.TRUSTED_PROXY_COUNT:
        return None
    value = request.headers.get("X-Request-ID", "")
    return value if ACCEPTED_ID.fullmatch(value) else None
