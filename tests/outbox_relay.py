"""One outbox relay in a process of its own, for the test of two relays at once on SQLite
(tests/newsroom/test_two_relays_on_sqlite.py): it waits for the start signal, sweeps the
outbox with delivery replaced by a note of each message it was handed, and exits.

    python -m tests.outbox_relay <start file> <notes file>
"""

import os
import sys
import time
from pathlib import Path


def main(start_file: Path, notes_file: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from newsroom import outbox
    from newsroom.models import OutboxMessage

    def note_delivery(message):
        # One write per message, appended: the other relay writes to its own file.
        with notes_file.open("a") as notes:
            notes.write(f"{message.pk}\n")
        OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.DONE)
        return True

    outbox.deliver = note_delivery
    deadline = time.monotonic() + 60
    while not start_file.exists():
        if time.monotonic() > deadline:
            raise SystemExit("no start signal")
        time.sleep(0.01)
    report = outbox.sweep(limit=1000)
    print(report["delivered"])


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
