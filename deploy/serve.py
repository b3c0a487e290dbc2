"""Runs the processes of the Procfile beside it, as a platform that reads one would: each in
its own process group, its output written to var/log/<name>.log (under NEWSROOM_VAR_DIR when
it is set) and echoed to the terminal with its name in front. Ctrl-C (or SIGTERM) stops them
all: SIGTERM first, so gunicorn and Celery finish what they are doing, SIGKILL for what is
still running after GRACE seconds. When one process ends by itself the others are stopped
too and the exit status says so: a half-running site is worse than a stopped one.

    python deploy/serve.py [-f PROCFILE] [name ...]   # all processes, or only those named

The commands run through bash, so ${VARIABLE:-default} works as on such platforms.
"""

import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROCFILE = ROOT / "Procfile"
GRACE = 20  # seconds: above gunicorn's graceful_timeout and Celery's warm shutdown of a task


def processes(procfile: Path = PROCFILE) -> dict[str, str]:
    """The Procfile's `name: command` lines, in order (comments and blank lines skipped)."""
    found = {}
    for line in procfile.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, command = line.partition(":")
        found[name.strip()] = command.strip()
    return found


def start(name: str, command: str, logs: Path) -> tuple[subprocess.Popen, object]:
    log = (logs / f"{name}.log").open("a", buffering=1)
    # The commands are the virtualenv's (gunicorn, celery): its bin first, as `activate` does.
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    process = subprocess.Popen(
        ["bash", "-c", command],
        cwd=ROOT,
        env={**os.environ, "PATH": path},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own group: a terminal's Ctrl-C reaches only us
    )
    return process, log


def stop(running: dict[str, subprocess.Popen]) -> None:
    for process in running.values():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + GRACE
    for process in running.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def main(arguments: list[str]) -> int:
    procfile = PROCFILE
    if arguments[:1] == ["-f"]:
        procfile, arguments = Path(arguments[1]), arguments[2:]
    names = arguments
    table = processes(procfile)
    unknown = [name for name in names if name not in table]
    if unknown:
        print(f"not in the Procfile: {', '.join(unknown)}", file=sys.stderr)
        return 2
    chosen = {name: table[name] for name in names or table}
    logs = Path(os.environ.get("NEWSROOM_VAR_DIR", ROOT / "var")) / "log"
    logs.mkdir(parents=True, exist_ok=True)
    width = max(map(len, chosen))
    running, outputs = {}, selectors.DefaultSelector()
    stopping = False

    def on_signal(signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    for name, command in chosen.items():
        process, log = start(name, command, logs)
        running[name] = process
        outputs.register(process.stdout, selectors.EVENT_READ, (name, log))
        print(f"{name:>{width}} | started (pid {process.pid}): {command}", flush=True)
    ended = None
    while not stopping and ended is None:
        for key, _ in outputs.select(timeout=0.5):
            name, log = key.data
            line = key.fileobj.readline()
            if not line:
                outputs.unregister(key.fileobj)
                continue
            text = line.decode(errors="replace").rstrip("\n")
            log.write(text + "\n")
            print(f"{name:>{width}} | {text}", flush=True)
        ended = next((name for name, proc in running.items() if proc.poll() is not None), None)
    if ended is not None:
        status = running[ended].returncode
        print(f"{ended:>{width}} | ended by itself ({status}): stopping the rest", flush=True)
    else:
        print(f"{'serve':>{width}} | stopping (up to {GRACE} s)", flush=True)
    stop(running)
    for name, process in running.items():
        print(f"{name:>{width}} | stopped ({process.returncode})", flush=True)
    return 1 if ended is not None else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
