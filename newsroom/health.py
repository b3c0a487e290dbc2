"""Whether the parts the site needs answer: the database, the cache and (when configured)
the broker. A check reports; it never raises, whatever the part's client throws."""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from newsroom import outbox
from newsroom.celery import app as celery_app

logger = logging.getLogger(__name__)


def check_all() -> dict[str, str]:
    """Each part's state: "ok", "failing" or "not configured"."""
    checks = {"database": _database_ok, "cache": _cache_ok, "broker": _broker_ok}
    results = {}
    for name, check in checks.items():
        try:
            results[name] = check()
        except Exception as error:  # any client error of any part means "failing"
            logger.warning("healthz: %s failed: %r", name, error)
            results[name] = "failing"
    return results


def _database_ok() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _cache_ok() -> str:
    # django-redis ignores a dead Redis (it fails open): only a read-back proves it works.
    key, value = "newsroom:healthz", uuid.uuid4().hex
    cache.set(key, value, 30)
    return "ok" if cache.get(key) == value else "failing"


def _broker_ok() -> str:
    if not outbox.broker_configured():
        return "not configured"
    with celery_app.connection_for_write(
        settings.CELERY_BROKER_URL,
        connect_timeout=settings.OUTBOX_SEND_TIMEOUT,
        transport_options={"max_retries": 0},
    ) as broker:
        broker.ensure_connection(max_retries=0, timeout=settings.OUTBOX_SEND_TIMEOUT)
    return "ok"
