"""`make serve` from scratch: the production process set on its own database, on the
machine's PostgreSQL and Redis, answering as production does; Ctrl-C stops every process."""

import json
import os
import signal
import subprocess
import time
import urllib.error
from pathlib import Path

import pytest

from tests.processes import fetch, free_port

ROOT = Path(__file__).resolve().parents[2]
DATABASE = "newsroom_serve_ci"

pytestmark = pytest.mark.integration


def ready(base: str, make: subprocess.Popen, log: Path, timeout: float = 300) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if make.poll() is not None:
            raise AssertionError(f"make serve stopped:\n{log.read_text()[-4000:]}")
        try:
            status, _headers, body = fetch(f"{base}/healthz/ready")
            if status == 200:
                return json.loads(body)
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(1)
    raise AssertionError(f"not ready in {timeout:.0f} s:\n{log.read_text()[-4000:]}")


def test_make_serve_runs_the_production_set_and_ctrl_c_stops_it(tmp_path):
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE], check=True
    )
    port, edge_port = free_port(), free_port()
    log = tmp_path / "make-serve.log"
    env = {
        "PATH": os.environ["PATH"],
        "NEWSROOM_VAR_DIR": str(tmp_path / "var"),
        "WEB_CONCURRENCY": "2",
        "CELERY_CONCURRENCY": "1",
    }
    with log.open("w") as output:
        make = subprocess.Popen(
            [
                *("make", "serve", f"SERVE_PORT={port}", f"SERVE_EDGE_PORT={edge_port}"),
                f"SERVE_DB={DATABASE}",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a terminal's Ctrl-C reaches the whole group
        )
    base = f"http://127.0.0.1:{port}"
    try:
        health = ready(base, make, log)
        assert health == {
            "status": "ok",
            "failing": [],
            "database": "ok",
            "cache": "ok",
            "broker": "ok",
        }
        status, _headers, body = fetch(f"{base}/")
        assert status == 200
        assert "솔빛경제" in body
        # Production: no debug page, and the static files with far-future headers.
        with pytest.raises(urllib.error.HTTPError) as missing:
            fetch(f"{base}/no-such-page/")
        assert missing.value.code == 404
        assert "Traceback" not in missing.value.read().decode()
        css = next(part.split('"')[0] for part in body.split('href="')[1:] if ".css" in part)
        assert "immutable" in fetch(f"{base}{css}")[1]["Cache-Control"]
        # Readers come in at the edge: the second request is Varnish's own answer.
        edge = f"http://127.0.0.1:{edge_port}/"
        fetch(edge)
        _status, through, _body = fetch(edge)
        assert int(through["Age"]) >= 0
        assert len(through["X-Varnish"].split()) == 2, "a hit names two transactions"
        assert "Surrogate-Key" not in through
    finally:
        os.killpg(make.pid, signal.SIGINT)
        make.wait(timeout=60)
    text = log.read_text()
    for name in ("web", "worker", "beat", "edge"):
        assert f"{name} | started" in text
    for name in ("web", "worker", "beat"):
        assert f"{name} | stopped (0)" in text, text[-3000:]
    assert "edge | stopped (64)" in text, "varnishd's own status for a stop asked for"
    assert (tmp_path / "var" / "log" / "worker.log").exists()
    with pytest.raises(urllib.error.URLError, match="Connection refused"):
        fetch(f"{base}/healthz/live")
