"""The project's own system checks, run by every `manage.py` command (`check --deploy` adds
the deployment ones): what Django's checklist cannot know about this site."""

import sqlite3
from contextlib import closing
from urllib.parse import urlsplit

import redis
from csp.constants import NONE
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.files.storage import storages

# Directives whose only right value here is 'none': no page sets a <base>, embeds a plugin
# or is meant to be framed by another site (a page meant for embedding would loosen
# frame-ancestors for itself, never for the whole site).
NONE_ONLY = ("base-uri", "object-src", "frame-ancestors")
# Any of these in script-src lets an injected script run, which is what the policy is for.
UNSAFE_SCRIPT_SOURCES = ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:")


@register(Tags.security)
def content_security_policy_is_set(app_configs, **kwargs) -> list[Warning]:
    if "csp.middleware.CSPMiddleware" not in settings.MIDDLEWARE:
        return [
            Warning(
                "No Content-Security-Policy header is sent.",
                hint="Add csp.middleware.CSPMiddleware to MIDDLEWARE.",
                id="newsroom.security.W001",
            )
        ]
    directives = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    directives = directives.get("DIRECTIVES") or {}
    problems = []
    if not directives.get("default-src"):
        problems.append("default-src is not set")
    problems += [
        f"{name} is {' '.join(directives.get(name) or ['unset'])}, not 'none'"
        for name in NONE_ONLY
        if list(directives.get(name) or []) != [NONE]
    ]
    problems += [
        f"script-src allows {source}"
        for source in UNSAFE_SCRIPT_SOURCES
        if source in (directives.get("script-src") or [])
    ]
    return [
        Warning(
            f"The Content Security Policy is weaker than the site's: {problem}.",
            hint="See the Security part of newsroom/settings.py.",
            id="newsroom.security.W002",
        )
        for problem in problems
    ]


@register(Tags.security, deploy=True)
def photos_are_served_apart_or_with_nosniff(app_configs, **kwargs) -> list[Warning]:
    """A rendition is always an image Pillow re-encoded, but a browser that sniffed one as
    HTML on the site's own host would run it with the readers' cookies: either the photos
    come from another host, or Django serves them with X-Content-Type-Options: nosniff."""
    photos_host = urlsplit(storages["photos_public"].url("probe.webp")).hostname
    if photos_host and photos_host != urlsplit(settings.SITE_URL).hostname:
        return []
    if (
        settings.SERVE_MEDIA
        and settings.SECURE_CONTENT_TYPE_NOSNIFF
        and "django.middleware.security.SecurityMiddleware" in settings.MIDDLEWARE
    ):
        return []
    return [
        Warning(
            "Photos are served from the site's own host by a server Django cannot see, so "
            "nothing shows that they are sent with X-Content-Type-Options: nosniff.",
            hint=(
                "Serve them from another host (S3_PUBLIC_BUCKET, with S3_PUBLIC_DOMAIN for a "
                "CDN), or let Django serve them behind the edge cache (SERVE_MEDIA=true). A "
                "web server that does send nosniff for /media/: add newsroom.media.W001 to "
                "SILENCED_SYSTEM_CHECKS."
            ),
            id="newsroom.media.W001",
        )
    ]


# Not tagged "database": it opens no connection to the site's database, so every command
# runs it, `check` and `runserver` too, before `migrate` would fail half-way.
@register()
def sqlite_has_fts5_trigram(app_configs, **kwargs) -> list[Error]:
    """Reader search on SQLite reads two FTS5 tables, one with the trigram tokenizer (SQLite
    3.34 or later, built with FTS5)."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return []
    try:
        # Django opens its databases with this same sqlite3 library.
        with closing(sqlite3.connect(":memory:")) as probe:
            probe.execute("CREATE VIRTUAL TABLE probe USING fts5(body, tokenize='trigram')")
    except sqlite3.OperationalError as error:
        return [
            Error(
                f"SQLite {sqlite3.sqlite_version} has no FTS5 trigram tokenizer ({error}).",
                hint="Use a Python whose SQLite is 3.34 or later with FTS5, or PostgreSQL.",
                id="newsroom.search.E001",
            )
        ]
    return []


def broker_eviction_policy(url: str) -> str | None:
    """The broker Redis's maxmemory-policy, or None when it cannot be asked (down: /healthz
    says so; a check that waited for it would hold up every command)."""
    try:
        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        return client.info("memory").get("maxmemory_policy")
    except redis.RedisError:
        return None


# Run by every command and by each Celery worker as it starts (newsroom.celery): a broker
# that evicts keys under memory pressure drops queued tasks without a word.
@register()
def broker_never_evicts(app_configs, **kwargs) -> list[Error]:
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return []
    policy = broker_eviction_policy(url)
    if policy in (None, "noeviction"):
        return []
    return [
        Error(
            f"The broker's Redis evicts keys under memory pressure (maxmemory-policy "
            f"{policy}): queued tasks would be lost without a word.",
            hint=(
                "Give the broker a Redis of its own with maxmemory-policy noeviction (the "
                "cache's Redis may evict: REDIS_URL and CELERY_BROKER_URL differ)."
            ),
            id="newsroom.broker.E001",
        )
    ]


@register(Tags.security, deploy=True)
def webhooks_reach_only_public_https(app_configs, **kwargs) -> list[Error]:
    """Partner webhooks go only to https:// and only to public addresses; the settings that
    loosen either exist for the tests' receiver on 127.0.0.1 (newsroom/settings.py)."""
    errors = []
    if getattr(settings, "WEBHOOKS_ALLOW_HTTP", False):
        errors.append(
            Error(
                "WEBHOOKS_ALLOW_HTTP is on: webhooks may be sent over plain http.",
                hint="Unset WEBHOOKS_ALLOW_HTTP: partners' endpoints must be https://.",
                id="newsroom.webhooks.E001",
            )
        )
    if getattr(settings, "WEBHOOKS_TEST_ALLOWED_ADDRESSES", []):
        errors.append(
            Error(
                "WEBHOOKS_TEST_ALLOWED_ADDRESSES lets webhooks reach private addresses: "
                f"{', '.join(settings.WEBHOOKS_TEST_ALLOWED_ADDRESSES)}.",
                hint="It is for the test settings only: leave it empty.",
                id="newsroom.webhooks.E002",
            )
        )
    return errors
