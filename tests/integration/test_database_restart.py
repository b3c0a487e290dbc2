"""PostgreSQL restarted under a light load (issue 22, section 2): a PostgreSQL of the
test's own, a gunicorn serving the site on it, a reader asking for pages every few
milliseconds and an editor saving. While the database is down every answer is the Korean
503 page (no trace); the site recovers by itself once it is back; and no story is left
half-changed (its version, revisions and history agree)."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail
from tests.processes import free_port, gunicorn, wait_for

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]

SEED = """
import json
from accounts import roles
from tests.factories import SectionFactory, UserFactory
from tests.stories import Desk

reporter = UserFactory(email="reporter@example.com")
editor = UserFactory(email="editor@example.com")
roles.grant_role(reporter, roles.Role.REPORTER, actor=None)
roles.grant_role(editor, roles.Role.EDITOR, actor=None)
desk = Desk(reporter, editor, SectionFactory(name="경제", slug="economy"))
story = desk.story("재시작을 견디는 기사")
print(json.dumps({"path": story.get_absolute_url(), "story": story.pk, "editor": editor.pk}))
"""

SAVES = """
import json, sys, time
from django.db import OperationalError, InterfaceError, close_old_connections
from accounts.models import User
from articles import workflow
from articles.models import Article

editor = User.objects.get(pk={editor})
saved = failed = 0
deadline = time.monotonic() + {seconds}
while time.monotonic() < deadline:
    try:
        story = Article.objects.get(pk={story})
        workflow.save(story, actor=editor, base_version=story.version,
                      content={{"body": f"<p>고친 문장 {{saved}}</p>"}})
        saved += 1
    except (OperationalError, InterfaceError):
        failed += 1
        close_old_connections()
        time.sleep(0.05)
print(json.dumps({{"saved": saved, "failed": failed}}))
"""

CHECK = """
import json
from articles.models import Article
bad = [
    story.pk for story in Article.objects.all()
    if story.revisions.count() != story.version
    or story.revisions.order_by("-number").first().content.get("body") != story.body
]
print(json.dumps(bad))
"""


def pg_bin(name: str) -> str:
    found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
    path = Path(found.stdout.strip()) / name
    if not path.exists():
        skip_or_fail(f"PostgreSQL's {name} is not installed")
    return str(path)


@pytest.fixture
def own_postgres():
    if os.geteuid() == 0 and not shutil.which("runuser"):
        skip_or_fail("needs runuser to run PostgreSQL as a user other than root")
    # Outside pytest's own temporary folders, which only root may enter.
    home = Path(tempfile.mkdtemp(prefix="newsroom-postgres-"))
    data, port = home / "data", free_port()
    as_user = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(home, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        [*as_user, pg_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {home} -c listen_addresses=127.0.0.1 -c fsync=off"

    def ctl(*args: str) -> None:
        # Its log to a file: a server started with the pipe as its output would hold it.
        log = ["-l", str(home / "postgres.log")]
        subprocess.run(
            [*as_user, pg_bin("pg_ctl"), "-D", str(data), "-o", options, *log, "-w", *args],
            check=True,
            capture_output=True,
            timeout=60,
        )

    ctl("start")
    yield f"postgres://postgres@127.0.0.1:{port}/postgres", ctl
    subprocess.run(
        [*as_user, pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
        capture_output=True,
    )
    shutil.rmtree(home, ignore_errors=True)


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_a_database_restart_gives_503_pages_then_recovers_with_nothing_half_written(
    own_postgres, tmp_path
):
    database_url, ctl = own_postgres
    env = {
        **{key: value for key, value in os.environ.items() if key != "NEWSROOM_TEST_VAR_DIR"},
        "NEWSROOM_VAR_DIR": str(tmp_path / "var"),
        "NEWSROOM_READ_DOTENV": "false",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DEBUG": "false",
        "PAGE_CACHE": "off",
        "FRAGMENT_CACHE": "off",
        "DATABASE_URL": database_url,
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    seeded = subprocess.run(
        [*manage, "shell", "-c", SEED], cwd=ROOT, env=env, check=True, capture_output=True
    )
    seed = json.loads(seeded.stdout.decode().strip().splitlines()[-1])
    port = free_port()
    server = gunicorn(env, port, workers=2)
    page = f"http://127.0.0.1:{port}{seed['path']}"
    answers, stop = [], threading.Event()

    def reader():
        while not stop.is_set():
            answers.append(fetch(page))
            time.sleep(0.02)

    try:
        wait_for(f"http://127.0.0.1:{port}/healthz/live", server)
        assert fetch(page)[0] == 200
        saves = subprocess.Popen(
            [*manage, "shell", "-c", SAVES.format(seconds=8, **seed)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        reading = threading.Thread(target=reader)
        reading.start()
        time.sleep(1)
        ctl("-m", "fast", "restart")
        restarted = time.monotonic()
        while fetch(page)[0] != 200:
            assert time.monotonic() - restarted < 15, "the site did not recover by itself"
            time.sleep(0.1)
        time.sleep(0.5)
        stop.set()
        reading.join(timeout=20)
        saved = json.loads(saves.communicate(timeout=60)[0].strip().splitlines()[-1])
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=20)

    statuses = {status for status, _body in answers}
    assert statuses <= {200, 503}, statuses
    refused = [body for status, body in answers if status == 503]
    assert refused, "no request met the restart: it was too short to see"
    assert all("데이터베이스가 잠시 응답하지 않아" in body for body in refused)
    assert not any("Traceback" in body for _status, body in answers)
    assert answers[-1][0] == 200
    assert saved["saved"] > 0
    checked = subprocess.run(
        [*manage, "shell", "-c", CHECK], cwd=ROOT, env=env, check=True, capture_output=True
    )
    assert json.loads(checked.stdout.decode().strip().splitlines()[-1]) == []
