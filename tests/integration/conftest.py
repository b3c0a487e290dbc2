"""Real services for the integration tests: a Redis broker of their own (so it can be
stopped and started again) and a Celery worker reading the test database."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import skip_or_fail
from tests.processes import Broker

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def broker(tmp_path_factory):
    if shutil.which("redis-server") is None:
        skip_or_fail("redis-server is not installed")
    broker = Broker(tmp_path_factory.mktemp("redis"))
    broker.start()
    yield broker
    broker.stop()


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


def start_worker(
    log: Path, *, pool: tuple[str, ...] = ("--pool=solo",), app: str = "newsroom", **variables: str
):
    """A real `celery worker` process of `app` on the test database and the given broker
    (among `variables`), logging to `log`. Returns once it is ready."""
    environment = {**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": "", **variables}
    with log.open("w") as output:
        worker = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", app, "worker", *pool),
                *("--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"),
            ],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while "ready." not in log.read_text():
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            pytest.fail(f"the Celery worker did not start:\n{log.read_text()}")
        time.sleep(0.2)
    worker.log = log
    return worker


def stop_worker(worker) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker, broker, tmp_path_factory):
    """A real `celery worker` on the test database, logging to a file the test can read."""
    if connection.vendor != "postgresql":
        skip_or_fail("integration tests run on PostgreSQL (set DATABASE_URL; see .ci/run)")
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    worker = start_worker(log, CELERY_BROKER_URL=broker.url)
    yield worker
    stop_worker(worker)
