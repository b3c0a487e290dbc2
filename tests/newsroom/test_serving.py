"""The production process set: deploy/serve.py runs the Procfile and stops it all on Ctrl-C,
and gunicorn with the project's settings reloads on SIGHUP without dropping a request."""

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
from pathlib import Path

from tests.processes import fetch, free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
SERVE = ROOT / "deploy" / "serve.py"


def test_the_procfile_names_the_web_server_the_worker_and_the_scheduler():
    sys.path.insert(0, str(SERVE.parent))
    try:
        import serve
    finally:
        sys.path.remove(str(SERVE.parent))
    table = serve.processes()
    assert {"web", "worker", "beat"} <= set(table)
    assert "deploy/gunicorn.conf.py" in table["web"]
    assert table["worker"].startswith("celery -A newsroom worker")


def test_serve_echoes_each_process_and_stops_them_all_on_ctrl_c(tmp_path):
    procfile = tmp_path / "Procfile"
    marker = tmp_path / "stopped"
    procfile.write_text(
        "# two processes that run until told to stop\n"
        "ticker: while true; do echo tick; sleep 0.2; done\n"
        f"waiter: trap 'echo bye > {marker}; exit 0' TERM; echo ready; "
        "while true; do sleep 0.1; done\n"
    )
    process = subprocess.Popen(
        [sys.executable, str(SERVE), "-f", str(procfile)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not any("waiter | ready" in line for line in lines):
        lines.append(process.stdout.readline())
    assert any("ticker | tick" in line for line in lines) or process.stdout.readline()
    process.send_signal(signal.SIGINT)
    output = process.communicate(timeout=30)[0]
    assert process.returncode == 0
    assert "waiter | stopped (0)" in output
    assert marker.read_text().strip() == "bye", "the process was asked to stop, not killed"
    logs = Path(os.environ["NEWSROOM_VAR_DIR"]) / "log"
    assert (logs / "ticker.log").read_text().count("tick") >= 1


def test_serve_stops_the_rest_when_one_process_ends_by_itself(tmp_path):
    procfile = tmp_path / "Procfile"
    procfile.write_text("short: sleep 0.5; exit 3\nlong: sleep 60\n")
    done = subprocess.run(
        [sys.executable, str(SERVE), "-f", str(procfile)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "short | ended by itself (3): stopping the rest" in done.stdout
    assert "long | stopped" in done.stdout


def workers_of(master: int) -> set[int]:
    listed = subprocess.run(
        ["ps", "--ppid", str(master), "-o", "pid="], capture_output=True, text=True
    ).stdout
    return {int(pid) for pid in listed.split()}


def test_a_reload_under_load_drops_no_request(tmp_path):
    env = {
        **os.environ,
        "NEWSROOM_VAR_DIR": str(tmp_path),
        "NEWSROOM_READ_DOTENV": "false",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DEBUG": "false",
        "WEB_CONCURRENCY": "2",
        "PORT": str(free_port()),
    }
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "DATABASE_URL", "NEWSROOM_TEST_VAR_DIR"):
        env.pop(name, None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(GUNICORN), "newsroom.wsgi", "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{env['PORT']}"
    answers, failures = [], []
    running = threading.Event()
    running.set()

    def reader(path: str):
        while running.is_set():
            try:
                answers.append(fetch(base + path)[0])
            except (OSError, urllib.error.URLError) as error:
                failures.append(repr(error))

    try:
        wait_for(f"{base}/healthz/live", server)
        before = workers_of(server.pid)
        readers = [
            threading.Thread(target=reader, args=(path,)) for path in ["/", "/healthz/live"] * 2
        ]
        for thread in readers:
            thread.start()
        time.sleep(1.5)
        server.send_signal(signal.SIGHUP)
        time.sleep(3)
        server.send_signal(signal.SIGHUP)
        time.sleep(3)
        running.clear()
        for thread in readers:
            thread.join()
        after = workers_of(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    output = (tmp_path / "gunicorn.log").read_text()
    assert output.count("Booting worker") == 6, "two workers, then two more on each reload"
    assert "Logging error" not in output
    assert failures == []
    assert len(answers) > 100
    assert set(answers) == {200}
    assert before
    assert after
    assert not before & after, "every worker was replaced"
