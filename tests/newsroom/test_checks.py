"""The project's own system checks (newsroom.checks): the policy the site sends, where
photos are served from, SQLite's FTS5, and a broker that never evicts."""

import copy
import shutil
import sqlite3
from types import SimpleNamespace

import pytest
import redis
from csp.constants import SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from newsroom import checks
from newsroom.celery import refuse_a_broker_that_evicts
from tests.processes import Broker


def ids(messages) -> list[str]:
    return [message.id for message in messages]


def test_the_sites_own_policy_passes():
    assert checks.content_security_policy_is_set(None) == []


def test_a_policy_that_allows_a_base_framing_or_inline_scripts_is_reported(settings):
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["base-uri"] = [SELF]
    del policy["DIRECTIVES"]["frame-ancestors"]
    policy["DIRECTIVES"]["script-src"].append(UNSAFE_INLINE)
    settings.CONTENT_SECURITY_POLICY = policy

    messages = checks.content_security_policy_is_set(None)

    assert ids(messages) == ["newsroom.security.W002"] * 3
    assert [message.msg.split(": ", 1)[1] for message in messages] == [
        "base-uri is 'self', not 'none'.",
        "frame-ancestors is unset, not 'none'.",
        "script-src allows 'unsafe-inline'.",
    ]


def test_without_the_csp_middleware_the_missing_header_is_reported(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "csp.middleware.CSPMiddleware"]
    assert ids(checks.content_security_policy_is_set(None)) == ["newsroom.security.W001"]


def photos_at(settings, base_url: str) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "photos_public": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": settings.MEDIA_ROOT, "base_url": base_url},
        },
    }


@pytest.mark.parametrize(
    ("base_url", "serve_media", "expected"),
    [
        ("https://img.example.com/", False, []),
        ("/media/", True, []),
        ("/media/", False, ["newsroom.media.W001"]),
        ("https://news.example.com/media/", False, ["newsroom.media.W001"]),
    ],
    ids=["another host", "django with nosniff", "a server unseen", "the site's host spelt out"],
)
def test_photos_on_the_sites_host_need_django_to_serve_them(
    settings, base_url, serve_media, expected
):
    settings.SITE_URL = "https://news.example.com"
    settings.SERVE_MEDIA = serve_media
    photos_at(settings, base_url)
    assert ids(checks.photos_are_served_apart_or_with_nosniff(None)) == expected


def test_django_serving_photos_without_nosniff_is_reported(settings):
    settings.SERVE_MEDIA = True
    settings.SECURE_CONTENT_TYPE_NOSNIFF = False
    photos_at(settings, "/media/")
    assert ids(checks.photos_are_served_apart_or_with_nosniff(None)) == ["newsroom.media.W001"]


def test_this_machines_sqlite_has_the_trigram_tokenizer(settings):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("this run uses PostgreSQL")
    assert checks.sqlite_has_fts5_trigram(None) == []


class SqliteWithoutFts5:
    def __init__(self, _name):
        pass

    def execute(self, _sql):
        raise sqlite3.OperationalError("no such module: fts5")

    def close(self):
        pass


def test_a_sqlite_without_fts5_stops_the_site_before_migrate(settings, monkeypatch):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("this run uses PostgreSQL")
    # Only the check's view of the library: Django's own connections keep the real one.
    monkeypatch.setattr(
        checks,
        "sqlite3",
        SimpleNamespace(
            connect=SqliteWithoutFts5,
            OperationalError=sqlite3.OperationalError,
            sqlite_version="3.33.0",
        ),
    )

    messages = checks.sqlite_has_fts5_trigram(None)

    assert ids(messages) == ["newsroom.search.E001"]
    assert "no such module: fts5" in messages[0].msg


def test_pages_forbid_a_base_address_plugins_and_framing_by_any_site(db, client):
    response = client.get("/")
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["base-uri"] == policy["object-src"] == policy["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"


@pytest.fixture
def evicting_redis(tmp_path):
    """A Redis of the test's own that evicts keys (allkeys-lru)."""
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server (installed by .ci/run)")
    server = Broker(tmp_path, "--maxmemory-policy", "allkeys-lru")
    server.start()
    yield server.url
    server.stop()


def test_a_broker_that_evicts_is_refused_by_the_checks_and_by_a_starting_worker(
    settings, evicting_redis
):
    settings.CELERY_BROKER_URL = evicting_redis

    assert ids(checks.broker_never_evicts(None)) == ["newsroom.broker.E001"]
    with pytest.raises(ImproperlyConfigured, match="allkeys-lru"):
        refuse_a_broker_that_evicts()


def test_a_broker_that_keeps_every_key_or_cannot_be_asked_passes(settings, evicting_redis):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # nothing listens: /healthz says so
    assert checks.broker_never_evicts(None) == []
    client = redis.Redis.from_url(evicting_redis)
    client.config_set("maxmemory-policy", "noeviction")
    settings.CELERY_BROKER_URL = evicting_redis
    assert checks.broker_never_evicts(None) == []
