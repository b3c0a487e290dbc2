import logging
import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import RequestFactory
from django.views.defaults import server_error

from newsroom import outbox
from newsroom.requestlog import LineFormatter, current_request_id
from tests.processes import run_manage

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:1/0"


def request_lines(caplog):
    return [r for r in caplog.records if r.name == "newsroom.requests"]


def test_each_request_writes_one_line_with_its_id_user_status_and_duration(
    client, caplog, reporter
):
    client.force_login(reporter)
    with caplog.at_level(logging.INFO, logger="newsroom.requests"):
        response = client.get("/desk/")

    [line] = request_lines(caplog)
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    assert line.request_id == request_id
    message = line.getMessage()
    assert "route=/desk/" in message
    assert "status=200" in message
    assert f"user={reporter.pk}" in message
    assert "duration_ms=" in message


@pytest.mark.parametrize("created", [1_764_720_000.25, 1_764_720_000.999, 1_764_720_001.0])
def test_a_log_line_carries_the_same_date_and_time_as_pythons_own_format(created):
    pattern = "%(asctime)s %(levelname)s %(message)s"
    lean, plain = LineFormatter(pattern), logging.Formatter(pattern)
    for moment in (created - 1, created):  # the second before, then this one (kept)
        record = logging.makeLogRecord({"msg": "x", "levelname": "INFO", "created": moment})
        record.msecs = (moment - int(moment)) * 1000
        assert lean.format(record) == plain.format(record)


def test_a_proxys_request_id_is_kept_only_behind_trusted_proxies(client, settings):
    assert client.get("/healthz", headers={"x-request-id": "edge-42"})["X-Request-ID"] != "edge-42"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client.get("/healthz", headers={"x-request-id": "edge-42"})["X-Request-ID"] == "edge-42"
    bad = client.get("/healthz", headers={"x-request-id": "<script>"})["X-Request-ID"]
    assert bad != "<script>"


def test_a_task_caused_by_a_request_logs_with_that_requests_id(
    caplog, django_capture_on_commit_callbacks
):
    with (
        caplog.at_level(logging.INFO),
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        token = current_request_id.set("req-7")
        message = outbox.enqueue("newsroom.ping")
        current_request_id.reset(token)
    assert message.request_id == "req-7"
    [ping] = [r for r in caplog.records if "ping answered by" in r.getMessage()]
    assert ping.request_id == "req-7"


def test_healthz_answers_ok_when_everything_works(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "failing": [],
        "database": "ok",
        "cache": "ok",
        "broker": "not configured",
    }
    assert response["Cache-Control"] == "no-store"


def test_liveness_answers_while_the_parts_fail_and_readiness_does_not(client, monkeypatch):
    from newsroom import health

    def broken():
        raise RuntimeError("connection refused")

    monkeypatch.setattr(health, "_database_ok", broken)
    live = client.get("/healthz/live")
    assert (live.status_code, live.json()) == (200, {"status": "ok"})
    assert live["Cache-Control"] == "no-store"
    ready = client.get("/healthz/ready")
    assert ready.status_code == 503
    assert ready.json()["failing"] == ["database"]


def test_liveness_asks_nothing_of_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/healthz/live").status_code == 200


def test_healthz_names_a_redis_cache_that_is_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["cache"]
    assert cache.get("anything") is None, "the site itself keeps working without its cache"


def test_healthz_names_a_broker_that_is_down(client, settings):
    settings.CELERY_BROKER_URL = DEAD_REDIS
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["broker"]


def test_healthz_names_a_database_that_fails(client, monkeypatch):
    from newsroom import health

    def broken():
        raise RuntimeError("connection refused")

    monkeypatch.setattr(health, "_database_ok", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "database" in response.json()["failing"]


def test_the_404_page_is_korean_and_shows_nothing_technical(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "요청하신 페이지를 찾을 수 없습니다." in response.text
    assert "Traceback" not in response.text
    assert "urls" not in response.text


def test_the_english_404_page_is_under_en(client):
    response = client.get("/en/no-such-page/")
    assert "We could not find that page." in response.text


def test_the_500_page_is_korean_and_english_and_shows_nothing_technical():
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "잠시 후 다시 시도해 주세요." in page
    assert "Something went wrong on our side." in page
    assert "Traceback" not in page
    assert "SECRET" not in page


def test_production_error_pages_show_nothing_technical_and_healthz_answers_plain_http(
    tmp_path,
):
    variables = {
        "NEWSROOM_ENV": "production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "news.example.com",
        "SITE_URL": "https://news.example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "EMAIL_URL": "smtp://127.0.0.1:25",
    }
    # As a deployment does: the database, then the hashed static files.
    for step in (("migrate", "-v", "0"), ("collectstatic", "--noinput", "-v", "0")):
        assert run_manage(*step, var_dir=tmp_path, **variables).returncode == 0
    script = (
        "from django.test import Client; "
        "client = Client(HTTP_HOST='news.example.com', raise_request_exception=False); "
        "response = client.get('/no-such-page/', secure=True); "
        "print('HEALTH', client.get('/healthz').status_code); "
        "print('STATUS', response.status_code); print(response.content.decode())"
    )
    result = run_manage("shell", "--no-imports", "-c", script, var_dir=tmp_path, **variables)
    # The site logs to stdout too: the page follows the STATUS line.
    _, _, answer = result.stdout.partition("STATUS ")
    status, _, page = answer.partition("\n")
    assert status == "404", result.stdout + result.stderr
    # A load balancer's plain-http probe is answered, not redirected to https.
    assert re.search(r"HEALTH (\d+)", result.stdout).group(1) == "200"
    assert "요청하신 페이지를 찾을 수 없습니다." in page
    assert "Traceback" not in page
    assert "DEBUG" not in page
    assert "x" * 60 not in page


def test_one_time_keys_in_addresses_never_reach_the_log(client, caplog):
    with caplog.at_level(logging.INFO, logger="newsroom.requests"):
        client.get("/accounts/password/reset/key/secret-key-123/")
    [line] = request_lines(caplog)
    assert "secret-key-123" not in line.getMessage()
    assert "route=/accounts/password/reset/key/" in line.getMessage()


def test_error_responses_are_logged_with_their_request_id(client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/no-such-page/")
    [warning] = [r for r in caplog.records if r.name == "django.request"]
    assert warning.request_id == response["X-Request-ID"]
