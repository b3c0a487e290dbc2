"""A real varnishd with the project's VCL (deploy/varnish/) in front of a real gunicorn on
this test's database: pages are kept at the edge for everyone, a correction made through
the workflow shows through the edge within a second, and a purge sent while the edge is
down stays in the outbox until the edge is back."""

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils.encoding import iri_to_uri

from articles import partners
from newsroom import outbox, pagecache
from newsroom.models import OutboxMessage
from tests.conftest import skip_or_fail
from tests.integration.conftest import database_url
from tests.processes import fetch, free_port, gunicorn, wait_for

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
VARNISHD = ROOT / "deploy" / "varnish" / "varnishd"
CORRECTION = "수출액 단위를 바로잡았습니다."


class Edge:
    """varnishd started by deploy/varnish/varnishd, stoppable and restartable on its port.
    A second address speaks the PROXY protocol, so a test can purge as another machine."""

    def __init__(self, workdir: Path, backend: str, log: Path):
        self.port, self.proxy_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.environment = {
            **os.environ,
            "VARNISH_LISTEN": f"127.0.0.1:{self.port}",
            "VARNISH_BACKEND": backend,
            "VARNISH_WORKDIR": str(workdir),
            "VARNISH_STORAGE": "malloc,32m",
        }
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("a") as output:
            self.process = subprocess.Popen(
                [str(VARNISHD), "-a", f"127.0.0.1:{self.proxy_port},PROXY"],
                env=self.environment,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"varnishd stopped:\n{self.log.read_text()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"varnishd did not listen:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None


@pytest.fixture
def site(transactional_db, settings, tmp_path, desk):
    """gunicorn (two workers) on this test's database, sharing a file cache with this
    process, behind a varnishd purged by this process's changes."""
    if shutil.which("varnishd") is None:
        skip_or_fail("varnishd is not installed (apt-get install varnish varnish-modules)")
    if connection.vendor != "postgresql":
        skip_or_fail("integration tests run on PostgreSQL (set DATABASE_URL; see .ci/run)")
    # Generations bumped here must be the ones the app servers read.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": tmp_path / "cache",
            "KEY_PREFIX": "newsroom",
        }
    }
    pagecache.clear()
    app_port = free_port()
    # varnishd reads its VCL as the varnish user, who cannot enter the test's private
    # tmp_path.
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-edge-"))
    workdir.chmod(0o755)
    edge = Edge(workdir, f"127.0.0.1:{app_port}", tmp_path / "varnishd.log")
    environment = {
        **os.environ,
        "NEWSROOM_VAR_DIR": str(tmp_path),
        "NEWSROOM_READ_DOTENV": "false",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": database_url(),
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "",
        "DEBUG": "false",
        "PAGE_CACHE": "on",
        "FRAGMENT_CACHE": "on",
    }
    environment.pop("NEWSROOM_TEST_VAR_DIR", None)
    app = gunicorn(environment, app_port, workers=2)
    try:
        wait_for(f"http://127.0.0.1:{app_port}/healthz", app)
        edge.start()
        story = desk.story("반도체 수출 석 달째 증가")
        # From here on every change purges the edge.
        settings.EDGE_PURGE_URLS = [edge.url + "/"]
        yield edge, story
    finally:
        edge.stop()
        app.terminate()
        app.wait(timeout=20)
        shutil.rmtree(workdir, ignore_errors=True)


def through(edge: Edge, path: str, **headers):
    status, answer, body = fetch(edge.url + iri_to_uri(path), headers=headers)
    assert status == 200, (path, status)
    # What a page is built from is the edge's business only.
    assert "Surrogate-Key" not in answer, answer
    assert "xkey" not in answer, answer
    return answer["X-Edge-Cache"], answer, body


def purge_as(port: int, client_ip: str, keys: str) -> str:
    """A PURGE arriving from `client_ip` (the PROXY protocol tells varnishd who sent it)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        raw.sendall(
            f"PROXY TCP4 {client_ip} 127.0.0.1 40000 80\r\n"
            f"PURGE / HTTP/1.1\r\nHost: edge\r\nSurrogate-Key: {keys}\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        return raw.recv(200).decode().split("\r\n", 1)[0]


def test_a_correction_shows_through_the_edge_within_a_second(site, desk):
    edge, story = site
    page = story.get_absolute_url()
    assert through(edge, page)[0] == "miss"
    state, answer, _body = through(edge, page)
    assert state == "hit"
    assert int(answer["Age"]) >= 0
    # A signed-in reader gets the same kept page: the parts of their own come apart.
    member = "newsroom_member=1; sessionid=not-a-session"
    assert through(edge, page, Cookie=member)[0] == "hit"
    # Parameters only shared links carry are the same object.
    assert through(edge, page + "?utm_source=kakao&fbclid=x")[0] == "hit"

    # A reader keeps asking while the editor corrects: the time from the commit to the
    # first page through the edge that shows the correction.
    shown_at, stop = [], threading.Event()

    def reader():
        while not stop.is_set() and not shown_at:
            if CORRECTION in through(edge, page)[2]:
                shown_at.append(time.time())
            time.sleep(0.02)

    polling = threading.Thread(target=reader)
    polling.start()
    committed_at = []
    try:
        with transaction.atomic():
            transaction.on_commit(lambda: committed_at.append(time.time()))
            desk.correct(story, CORRECTION)
        polling.join(timeout=5)
    finally:
        stop.set()
        polling.join()
    assert shown_at, "the edge still serves the page from before the correction"
    assert shown_at[0] - committed_at[0] < 1.0


def test_the_edge_keeps_only_what_the_app_says_anyone_may_get(site):
    edge, story = site
    page = story.get_absolute_url()
    through(edge, page)
    assert through(edge, page, Cookie="newsroom_desk=1")[0] == "pass"
    for path in ("/accounts/login/", f"/accounts/personal/?story={story.pk}", "/healthz"):
        through(edge, path)
        assert through(edge, path)[0] in ("pass", "miss"), path
    # Purges come only from the app servers.
    assert purge_as(edge.proxy_port, "203.0.113.9", "home") == "HTTP/1.1 403 Forbidden"
    assert purge_as(edge.proxy_port, "127.0.0.1", f"story:{story.pk}").startswith(
        "HTTP/1.1 200 Purged 1"
    )
    assert through(edge, page)[0] == "miss"


def test_the_edge_passes_the_partner_api_and_keeps_none_of_it(site):
    edge, story = site
    _partner, key = partners.create_partner("엣지 제휴사", actor=None, rate_per_minute=100)
    for _ in range(2):
        state, answer, body = through(edge, "/api/v1/stories/", **{"X-API-Key": key})
        assert state == "pass"
        assert "private" in answer["Cache-Control"]
        assert f'"value": "{story.pk}"' in body
        # The content partnership's full-text feed, under /api/ too.
        state, answer, body = through(edge, "/api/v1/feeds/full-text.xml", **{"X-API-Key": key})
        assert state == "pass"
        assert "private" in answer["Cache-Control"]
        assert story.get_absolute_url() in body
    # The schema, asked for twice without a key, is not kept either.
    for _ in range(2):
        assert through(edge, "/api/v1/openapi.json")[0] == "pass"


def test_a_purge_sent_while_the_edge_is_down_goes_through_when_it_is_back(site, desk, monkeypatch):
    edge, story = site
    monkeypatch.setattr(outbox, "FIRST_RETRY_SECONDS", 0.2)  # the backoff, shortened
    edge.stop()
    story = desk.edit(story, headline="반도체 수출 넉 달째 증가")
    # The edit's own, and the share fan-out's after it (the story shows the new card).
    purges = OutboxMessage.objects.filter(task_name="newsroom.purge_edge")
    assert {message.status for message in purges} == {OutboxMessage.Status.PENDING}
    assert all("Connection refused" in message.last_error for message in purges)
    assert any(f"story:{story.pk}" in message.args[0] for message in purges)

    edge.start()
    page = story.get_absolute_url()
    assert "넉 달째" in through(edge, page)[2]
    assert through(edge, page)[0] == "hit"
    time.sleep(0.2)
    assert outbox.sweep()["delivered"] == len(purges)
    assert {message.status for message in purges.all()} == {OutboxMessage.Status.DONE}
    assert through(edge, page)[0] == "miss"
