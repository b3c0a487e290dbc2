"""Two server processes sharing a database and a cache, as app servers behind a balancer do:
an editor publishes through one, and the page the other serves from its own in-process tier
changes within a second of the publish's answer."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from tests.conftest import skip_or_fail
from tests.processes import fetch, free_port, gunicorn, wait_for

ROOT = Path(__file__).resolve().parents[2]
HEADLINE = "속보 반도체 수출 사상 최대"

SEED = f"""
import json
from django.test import Client
from accounts import roles
from tests.factories import SectionFactory, UserFactory
from tests.stories import Desk

reporter = UserFactory(email="reporter@example.com")
editor = UserFactory(email="editor@example.com")
roles.grant_role(reporter, roles.Role.REPORTER, actor=None)
roles.grant_role(editor, roles.Role.EDITOR, actor=None)
desk = Desk(reporter, editor, SectionFactory(name="기업과산업", slug="industry"))
desk.story("어제의 기사")
waiting = desk.story({HEADLINE!r}, state="submitted")
client = Client()
client.force_login(editor)
print(json.dumps({{"session": client.cookies["sessionid"].value, "story": waiting.pk}}))
"""


def redis_for_pages() -> str:
    """A Redis database of this test's own (the services' cache database number + 3),
    emptied first: entries of an earlier run would be served as hits."""
    base = os.environ.get("REDIS_URL")
    if not base:
        skip_or_fail("REDIS_URL is not set (make test-services sets it)")
    url = base.rsplit("/", 1)[0] + f"/{int(base.rsplit('/', 1)[1] or 0) + 3}"
    redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture(params=["file", pytest.param("redis", marks=pytest.mark.integration)])
def two_servers(request, tmp_path):
    """Two gunicorn processes on one SQLite database, sharing the file cache or Redis."""
    env = {
        **os.environ,
        "NEWSROOM_VAR_DIR": str(tmp_path),
        "NEWSROOM_READ_DOTENV": "false",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DEBUG": "false",
        "PAGE_CACHE": "on",
        "FRAGMENT_CACHE": "on",
    }
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "DATABASE_URL", "NEWSROOM_TEST_VAR_DIR"):
        env.pop(name, None)
    if request.param == "redis":
        env["REDIS_URL"] = redis_for_pages()
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    seeded = subprocess.run(
        [*manage, "shell", "-c", SEED], cwd=ROOT, env=env, check=True, capture_output=True
    )
    seed = json.loads(seeded.stdout.decode().strip().splitlines()[-1])
    servers, processes = [], []
    try:
        for _ in range(2):
            port = free_port()
            process = gunicorn(env, port)
            processes.append(process)
            wait_for(f"http://127.0.0.1:{port}/healthz", process)
            servers.append(f"http://127.0.0.1:{port}")
        yield servers, seed
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


def test_a_publish_in_one_process_changes_the_page_the_other_serves_within_a_second(
    two_servers,
):
    (publisher, reader), seed = two_servers
    for _ in range(2):
        _status, headers, home = fetch(reader + "/")
    assert headers["X-Page-Cache"] == "hit"
    assert HEADLINE not in home

    session = f"sessionid={seed['session']}; newsroom_desk=1"
    decide = f"{publisher}/desk/articles/{seed['story']}/decide/publish/"
    _status, headers, form = fetch(decide, cookies=session)
    token = form.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    csrf = headers["Set-Cookie"].split("csrftoken=", 1)[1].split(";", 1)[0]
    status, _headers, _body = fetch(
        decide,
        data=f"csrfmiddlewaretoken={token}".encode(),
        cookies=f"{session}; csrftoken={csrf}",
        headers={"Referer": decide, "Content-Type": "application/x-www-form-urlencoded"},
    )
    published = time.monotonic()
    assert status == 302

    while HEADLINE not in (home := fetch(reader + "/")[2]):
        assert time.monotonic() - published < 1.0, "the other process still serves the old page"
        time.sleep(0.05)
    assert HEADLINE in home
