"""Two outbox relays at once on SQLite, the zero-setup site's database: two processes (the
dev server's after-commit relay and the periodic runner, say) sweep the same 500 due
messages against one database file, and each message is handed over exactly once. The
test database of pytest-django cannot take a second writer, so the relays run as separate
processes on a file database of their own (tests/outbox_relay.py)."""

import subprocess
import sys

import pytest

from tests.processes import ROOT, run_manage

MESSAGES = 500


@pytest.fixture
def database(tmp_path):
    """A migrated SQLite file in its own folder, holding MESSAGES due outbox rows."""
    migrated = run_manage("migrate", "--no-input", var_dir=tmp_path)
    assert migrated.returncode == 0, migrated.stderr
    filled = run_manage(
        "shell",
        "-c",
        "from django.utils import timezone; from newsroom.models import OutboxMessage as M; "
        "M.objects.bulk_create(M(task_name='newsroom.sweep_outbox', "
        f"next_attempt_at=timezone.now()) for _ in range({MESSAGES}))",
        var_dir=tmp_path,
    )
    assert filled.returncode == 0, filled.stderr
    return tmp_path


def relay(var_dir, start_file, notes_file) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.outbox_relay", str(start_file), str(notes_file)],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "NEWSROOM_VAR_DIR": str(var_dir),
            "NEWSROOM_READ_DOTENV": "false",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_relays_at_once_on_sqlite_hand_over_each_message_once(database):
    start = database / "start"
    notes = [database / "first.txt", database / "second.txt"]
    relays = [relay(database, start, note) for note in notes]
    start.touch()
    outcomes = [process.communicate(timeout=120) for process in relays]

    for process, (_out, err) in zip(relays, outcomes, strict=True):
        assert process.returncode == 0, err
    delivered = [int(out.split()[-1]) for out, _ in outcomes]
    handed = [line for note in notes if note.exists() for line in note.read_text().split()]
    assert sum(delivered) == MESSAGES
    assert len(handed) == len(set(handed)) == MESSAGES
