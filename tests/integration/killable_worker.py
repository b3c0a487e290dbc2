"""The project's Celery app, for the workers of tests/integration/test_worker_killed.py.

With NEWSROOM_HOLD=before (or after), every task, just before its body runs (or just after
it, before the late acknowledgement), leaves a file named `<task name> <task id>` in
NEWSROOM_HOLD_DIR and then sleeps until the process is killed: the test kills the worker
at a moment it knows, with every task in the same place, instead of guessing one with a
timer. Without NEWSROOM_HOLD the worker runs tasks as usual.

Either way the broker looks for messages past their visibility timeout every second (the
production cadence is every 100 s, nothing against an hour's timeout), so a killed
worker's tasks come back as soon as the short timeout of the test has passed.
"""

import os
import time
from pathlib import Path

from celery.signals import task_postrun, task_prerun
from django.conf import settings

from newsroom.celery import app

app.conf.broker_transport_options = {
    **settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}

HOLD = os.environ.get("NEWSROOM_HOLD", "")


def hold(task_id=None, task=None, **kwargs) -> None:
    (Path(os.environ["NEWSROOM_HOLD_DIR"]) / f"{task.name} {task_id}").touch()
    while True:
        time.sleep(60)


if HOLD == "before":
    task_prerun.connect(hold, weak=False)
elif HOLD == "after":
    task_postrun.connect(hold, weak=False)
elif HOLD:
    raise ValueError(f"NEWSROOM_HOLD={HOLD!r}: before, after or empty")
