"""Running manage.py and servers in fresh processes, for what is decided when settings are
read or a process starts."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_manage(*args: str, var_dir: Path | None = None, **variables: str):
    """manage.py with an environment holding only PATH and the given variables (no .env
    file is read). Its files go to `var_dir`, by default the test run's own folder."""
    environment = {
        "PATH": os.environ["PATH"],
        "NEWSROOM_VAR_DIR": str(var_dir or os.environ["NEWSROOM_TEST_VAR_DIR"]),
        "NEWSROOM_READ_DOTENV": "false",
        **variables,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, *, data: bytes | None = None, cookies: str = "", headers=None):
    request = urllib.request.Request(url, data=data, headers={"Cookie": cookies, **(headers or {})})
    opener = urllib.request.build_opener(NoRedirects)
    with opener.open(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read().decode()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, request, response, code, message, headers):
        return response


def wait_for(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped: {process.stdout.read()}")
        try:
            fetch(url)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


def gunicorn(environment: dict, port: int, *, workers: int = 1) -> subprocess.Popen:
    """The site served by gunicorn on 127.0.0.1:`port` with `environment`, its output
    kept for wait_for() to show if it stops."""
    return subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            *("--workers", str(workers), "--bind", f"127.0.0.1:{port}", "newsroom.wsgi"),
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


class Broker:
    """A throw-away redis-server on its own port (nothing kept on disk), stoppable and
    startable again mid-test on the same port; `options` are redis-server's own."""

    def __init__(self, workdir: Path, *options: str):
        self.port = free_port()
        self.url = self.url_of(0)
        self.workdir = workdir
        self.options = options
        self.process: subprocess.Popen | None = None

    def url_of(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.workdir)),
                *self.options,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
