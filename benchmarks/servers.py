"""Benchmark: the same site under gunicorn (the project's gthread settings, and sync workers)
and under granian, to choose the WSGI server.

Run from the project root after `make install` and `pip install granian` (it is measured,
not used):

    .venv/bin/python benchmarks/servers.py [--seconds 8] [--connections 16] [--rounds 2]

It builds the demo newsroom once in a folder of its own (SQLite, the file cache: the
servers are what differs, not the database), then for each server starts it with the same
number of processes (WEB_CONCURRENCY, 2 a core plus one, as deploy/gunicorn.conf.py says),
and drives each page with wrk (benchmarks/wrk/get.lua): the liveness check (no query, no
template: the server's own cost), the home page and a story from the page cache (what
readers mostly get), and the home page rendered (PAGE_CACHE=off in a second start). Rounds
alternate the servers, so the shared machine's load falls on both; the table gives each
server's median requests a second and p99 over the rounds.
"""

import argparse
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: the project's packages

from benchmarks.pages import free_port, run_child, wrk  # noqa: E402

WORKERS = 2 * multiprocessing.cpu_count() + 1
BIN = Path(sys.executable).parent
GUNICORN = [str(BIN / "gunicorn"), "newsroom.wsgi", "-c", "deploy/gunicorn.conf.py"]
SERVERS = {
    # The project's settings (deploy/gunicorn.conf.py): gthread workers.
    "gunicorn": lambda port: [*GUNICORN, "--bind", f"127.0.0.1:{port}"],
    "gunicorn sync": lambda port: [
        *GUNICORN,
        *("--bind", f"127.0.0.1:{port}", "--worker-class", "sync"),
    ],
    "granian": lambda port: [
        str(BIN / "granian"),
        *("--interface", "wsgi", "--workers", str(WORKERS)),
        *("--host", "127.0.0.1", "--port", str(port)),
        "newsroom.wsgi:application",
    ],
}


def environment(var_dir: Path, **extra: str) -> dict:
    env = {
        "PATH": os.environ["PATH"],
        "NEWSROOM_VAR_DIR": str(var_dir),
        "NEWSROOM_READ_DOTENV": "false",
        "DEBUG": "false",
        "WEB_CONCURRENCY": str(WORKERS),
        **extra,
    }
    return env


def prepare(var_dir: Path) -> str:
    """The demo newsroom in `var_dir`; returns the path of its first story."""
    env = environment(var_dir)
    manage = [sys.executable, "manage.py"]
    run_child([*manage, "migrate", "--noinput", "-v", "0"], env, 300)
    run_child([*manage, "load_demo"], env, 600)
    latest = (
        "from articles.models import Article; "
        "print(Article.objects.filter(status='published').latest('published_at')"
        ".get_absolute_url())"
    )
    return run_child([*manage, "shell", "-c", latest], env, 120).strip().splitlines()[-1]


def wait_ready(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def measure(server: str, env: dict, paths: list[str], seconds: int, connections: int) -> dict:
    port = free_port()
    process = subprocess.Popen(
        SERVERS[server](port),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    results = {}
    try:
        base = f"http://127.0.0.1:{port}"
        wait_ready(base + "/healthz/live")
        for path in paths:
            urllib.request.urlopen(base + path).read()  # warm: the page cache, the templates
            row = wrk(
                base + path, connections=connections, threads=2, seconds=seconds, script="get.lua"
            )
            errors = sum(
                row[key] for key in ("status_errors", "connect_errors", "read_errors", "timeouts")
            )
            results[path] = (
                row["requests"] / (row["duration_us"] / 1e6),
                row["p99_us"] / 1000,
                errors,
            )
    finally:
        os.killpg(process.pid, 15)
        process.wait(30)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    options = parser.parse_args()
    if not (BIN / "granian").exists():
        print("granian is not installed (pip install granian): measuring gunicorn only")
        del SERVERS["granian"]
    var_dir = Path(tempfile.mkdtemp(prefix="newsroom-servers-"))
    try:
        story = prepare(var_dir)
        cached = ["/healthz/live", "/", story]
        rows: dict[tuple[str, str], list[tuple[float, float, int]]] = {}
        for _ in range(options.rounds):
            for server in SERVERS:
                for label, env, paths in (
                    ("cached", environment(var_dir), cached),
                    ("rendered", environment(var_dir, PAGE_CACHE="off"), ["/"]),
                ):
                    found = measure(server, env, paths, options.seconds, options.connections)
                    for path, result in found.items():
                        name = f"{path} ({label})" if path != "/healthz/live" else path
                        rows.setdefault((name, server), []).append(result)
        print(
            f"\n{WORKERS} processes each, wrk -c{options.connections} -t2 "
            f"-d{options.seconds}s, median of {options.rounds} rounds: requests a second "
            "(p99 ms)\n\n| page | "
            + " | ".join(SERVERS)
            + " | errors |\n|---|"
            + "---|" * (len(SERVERS) + 1)
        )
        for name in dict.fromkeys(name for name, _ in rows):
            cells, errors = [], 0
            for server in SERVERS:
                values = rows[name, server]
                rate = statistics.median(r for r, _, _ in values)
                p99 = statistics.median(p for _, p, _ in values)
                errors += sum(e for _, _, e in values)
                cells.append(f"{rate:,.0f} ({p99:.1f})")
            shown = name if len(name) < 40 else "a story (cached)"
            print(f"| {shown} | " + " | ".join(cells) + f" | {errors} |")
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
