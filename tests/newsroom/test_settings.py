import ast
import re
import secrets
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from newsroom import env
from tests.processes import run_manage

ROOT = Path(__file__).resolve().parents[2]


def production(**overrides: str) -> dict[str, str]:
    return {
        "NEWSROOM_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "news.example.com",
        "SITE_URL": "https://news.example.com",
        "DATABASE_URL": "postgres://newsroom@127.0.0.1:5432/newsroom",
        "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.com:587",
        **overrides,
    }


@pytest.mark.parametrize("raw", ["ture", "2", "enabled"])
def test_a_misspelt_boolean_is_refused_with_the_variable_name(monkeypatch, raw):
    monkeypatch.setenv("DEBUG", raw)
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env.boolean("DEBUG", False)


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("OFF", False), ("1", True)])
def test_booleans_accept_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("DEBUG", raw)
    assert env.boolean("DEBUG", not expected) is expected


def test_an_unset_or_blank_variable_takes_the_default(monkeypatch):
    monkeypatch.setenv("OUTBOX_KEEP_DAYS", " ")
    assert env.integer("OUTBOX_KEEP_DAYS", 7) == 7


def test_a_number_that_is_not_one_is_refused(monkeypatch):
    monkeypatch.setenv("OUTBOX_KEEP_DAYS", "seven")
    with pytest.raises(ImproperlyConfigured, match="OUTBOX_KEEP_DAYS"):
        env.integer("OUTBOX_KEEP_DAYS", 7)


def test_a_number_below_its_minimum_is_refused(monkeypatch):
    monkeypatch.setenv("OUTBOX_MAX_ATTEMPTS", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env.integer("OUTBOX_MAX_ATTEMPTS", 8, minimum=1)


def test_a_database_url_of_another_engine_is_refused(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://root@127.0.0.1/newsroom")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env.database("DATABASE_URL", {})


def test_a_broker_url_that_is_not_redis_is_refused(monkeypatch):
    monkeypatch.setenv("CELERY_BROKER_URL", "amqp://guest@127.0.0.1//")
    with pytest.raises(ImproperlyConfigured, match="CELERY_BROKER_URL"):
        env.redis_url("CELERY_BROKER_URL")


def test_a_bad_value_stops_start_up_naming_the_variable():
    result = run_manage("check", DEBUG="ture")
    assert result.returncode != 0
    assert "DEBUG='ture' is not a boolean" in result.stderr


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "EMAIL_URL", "SITE_URL"]
)
def test_production_refuses_to_start_without(missing):
    variables = production()
    del variables[missing]
    result = run_manage("check", **variables)
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def test_production_refuses_debug():
    result = run_manage("check", **production(DEBUG="true"))
    assert result.returncode != 0
    assert "DEBUG must be false" in result.stderr


def test_cache_and_broker_must_not_share_a_redis_database():
    same = "redis://127.0.0.1:6379/3"
    result = run_manage("check", REDIS_URL=same, CELERY_BROKER_URL=same)
    assert result.returncode != 0
    assert "different Redis databases" in result.stderr


S3 = {
    "S3_PUBLIC_BUCKET": "newsroom-renditions",
    "S3_PRIVATE_BUCKET": "newsroom-originals",
    "S3_ACCESS_KEY_ID": "AKIAEXAMPLE",
    "S3_SECRET_ACCESS_KEY": "example-secret",
}


@pytest.mark.parametrize(
    "shape",
    [
        {
            "SERVE_MEDIA": "true",
            "REDIS_URL": "redis://cache.internal:6379/0",
            "CELERY_BROKER_URL": "redis://cache.internal:6379/1",
        },
        {
            **S3,
            "S3_REGION": "ap-northeast-2",
            "S3_PUBLIC_DOMAIN": "img.example.com",
            "KAKAO_JS_KEY": "kakao-js-key",
            "KAKAO_CLIENT_ID": "kakao-client",
            "KAKAO_CLIENT_SECRET": "kakao-secret",
        },
        {**S3, "S3_ENDPOINT_URL": "https://objects.example.net"},
    ],
    ids=["django serves the photos, with redis", "s3 behind a cdn, with kakao", "s3 endpoint"],
)
def test_production_settings_pass_the_deployment_checklist(shape):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production(**shape))
    assert result.returncode == 0, result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_photos_from_the_sites_host_by_an_unseen_server_fail_the_checklist_unless_silenced():
    unseen = run_manage("check", "--deploy", "--fail-level", "WARNING", **production())
    assert unseen.returncode != 0
    assert "newsroom.media.W001" in unseen.stderr

    vouched = production(SILENCED_SYSTEM_CHECKS="newsroom.media.W001")
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **vouched)
    assert result.returncode == 0, result.stderr
    assert "no issues (1 silenced)" in result.stdout


def test_production_cookies_are_secure_and_host_only():
    script = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_NAME, "
        "s.SECURE_HSTS_SECONDS, s.DEBUG)"
    )
    result = run_manage("shell", "-c", script, **production())
    assert result.stdout.splitlines()[-1].split() == [
        "True",
        "True",
        "__Host-sessionid",
        "31536000",
        "False",
    ]


def test_local_mode_serves_plain_http_cookies(settings):
    assert settings.SESSION_COOKIE_SECURE is False
    assert settings.SESSION_COOKIE_NAME == "sessionid"


def test_sqlite_is_opened_for_concurrent_use(settings):
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("this run uses PostgreSQL")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] >= 20
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]


def test_time_and_language_defaults(settings):
    assert settings.TIME_ZONE == "Asia/Seoul"
    assert settings.USE_TZ is True
    assert settings.LANGUAGE_CODE == "ko"
    assert [code for code, _name in settings.LANGUAGES] == ["ko", "en"]


def test_env_example_lists_every_variable_the_settings_read():
    settings_source = (ROOT / "newsroom" / "settings.py").read_text()
    read = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', settings_source))
    listed = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert read, "the pattern no longer finds the settings' variables"
    assert sorted(read - listed) == []


def test_production_refuses_an_empty_host_list():
    result = run_manage("check", **production(ALLOWED_HOSTS=" , "))
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must name at least one host" in result.stderr


def test_a_killed_worker_loses_no_task_and_no_retry_waits_past_the_visibility_timeout(settings):
    # Acknowledged only once done, and given back to the broker when the worker dies.
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    timeout = settings.CELERY_BROKER_VISIBILITY_TIMEOUT
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] == timeout
    # A task waiting for its retry is unacknowledged: the longest wait plus the longest run
    # must end before the broker would hand the message to a second worker.
    assert timeout > settings.SHARE_RETRY_MAX_SECONDS + settings.CELERY_TASK_TIME_LIMIT
    assert timeout > settings.WEBHOOKS_RETRY_MAX_SECONDS + settings.CELERY_TASK_TIME_LIMIT
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT < timeout
    assert settings.SHARE_HTTP_TIMEOUT < settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert settings.WEBHOOKS_HTTP_TIMEOUT < settings.CELERY_TASK_SOFT_TIME_LIMIT
    from newsroom.tasks import NewsroomTask

    assert NewsroomTask.retry_backoff_max < timeout


def test_a_rate_limited_share_waits_less_than_the_visibility_timeout(settings):
    # The bucket lends at most `patience` seconds of tokens ahead (articles.sharing.ratelimit),
    # so a postponed delivery waits at most one token's time plus that, plus its jitter.
    from articles.sharing.fanout import MAX_RATE_SLEEP

    slowest_rate = 1 / 60  # SHARE_FACEBOOK_RATE_PER_MINUTE is at least 1
    longest_wait = 1 / slowest_rate + MAX_RATE_SLEEP + 1
    assert (
        longest_wait + settings.CELERY_TASK_TIME_LIMIT < settings.CELERY_BROKER_VISIBILITY_TIMEOUT
    )


# The tasks that set their own countdown, and what bounds it: the share delivery's backoff
# (SHARE_RETRY_MAX_SECONDS, checked at start-up) or its rate-limit wait (above), and the
# webhook delivery's backoff (WEBHOOKS_RETRY_MAX_SECONDS, checked at start-up; both tasks
# write the same `countdown=outcome.retry_in`).
COUNTDOWNS = {("articles/tasks.py", "outcome.retry_in")}


def test_no_task_is_sent_for_later_but_through_a_bounded_countdown():
    """`eta=` would park a message past the visibility timeout; a `countdown=` must be one
    of COUNTDOWNS, whose bounds the tests above check."""
    root = Path(__file__).resolve().parents[2]
    found = set()
    for app in ("accounts", "articles", "comments", "media", "newsroom"):
        for path in (root / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                for keyword in getattr(node, "keywords", []):
                    if keyword.arg == "eta":
                        found.add((str(path.relative_to(root)), "eta"))
                    if keyword.arg == "countdown":
                        found.add((str(path.relative_to(root)), ast.unparse(keyword.value)))
    assert found == COUNTDOWNS


def test_a_retry_cap_longer_than_the_visibility_timeout_stops_start_up():
    result = run_manage(
        "check", CELERY_BROKER_VISIBILITY_TIMEOUT="600", SHARE_RETRY_MAX_SECONDS="600"
    )
    assert result.returncode != 0
    assert "CELERY_BROKER_VISIBILITY_TIMEOUT=600 must be longer" in result.stderr
    assert "SHARE_RETRY_MAX_SECONDS (600)" in result.stderr


def test_a_webhook_retry_cap_longer_than_the_visibility_timeout_stops_start_up():
    result = run_manage(
        "check",
        CELERY_BROKER_VISIBILITY_TIMEOUT="700",
        SHARE_RETRY_MAX_SECONDS="60",
        TASK_RETRY_MAX_SECONDS="60",
        WEBHOOKS_RETRY_MAX_SECONDS="600",
    )
    assert result.returncode != 0
    assert "longer than WEBHOOKS_RETRY_MAX_SECONDS (600)" in result.stderr


def test_production_refuses_plain_http_webhooks():
    result = run_manage("check", **production(WEBHOOKS_ALLOW_HTTP="true"))
    assert result.returncode != 0
    assert "WEBHOOKS_ALLOW_HTTP must be false" in result.stderr


def test_a_task_backoff_cap_longer_than_the_visibility_timeout_stops_start_up():
    result = run_manage(
        "check", CELERY_BROKER_VISIBILITY_TIMEOUT="1000", TASK_RETRY_MAX_SECONDS="900"
    )
    assert result.returncode != 0
    assert "longer than TASK_RETRY_MAX_SECONDS (900)" in result.stderr


def test_a_task_time_limit_longer_than_the_visibility_timeout_stops_start_up():
    result = run_manage("check", CELERY_TASK_TIME_LIMIT="3600")
    assert result.returncode != 0
    assert "plus the task time limit (3600 s)" in result.stderr


@pytest.mark.parametrize(
    ("listed", "served"),
    [
        ({}, ["127.0.0.1", "localhost", "testserver", "192.168.0.5"]),
        ({"ALLOWED_HOSTS": "127.0.0.1,localhost"}, ["127.0.0.1", "localhost", "192.168.0.5"]),
    ],
)
def test_locally_the_host_of_the_site_address_is_served_too(listed, served):
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(' '.join(settings.ALLOWED_HOSTS))",
        SITE_URL="http://192.168.0.5:8000",
        **listed,
    )
    assert result.stdout.splitlines()[-1].split() == served
