import time

from django.core.management.base import BaseCommand

from newsroom import outbox
from newsroom.celery import PERIODIC_JOBS
from newsroom.celery import app as celery_app


class Command(BaseCommand):
    help = (
        "Run the periodic jobs in this process (zero-setup mode, no broker). "
        "With a broker, celery beat runs them instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every job once and exit.")
        parser.add_argument("--tick", type=float, default=2.0, help="Seconds between checks.")

    def handle(self, *args, once: bool, tick: float, **options):
        if outbox.broker_configured():
            self.stdout.write(
                "CELERY_BROKER_URL is set: periodic jobs run in celery beat "
                "(celery -A newsroom worker --beat), not here."
            )
            return
        self.stdout.write(f"Running periodic jobs in-process: {', '.join(PERIODIC_JOBS)}")
        last_run: dict[str, float] = {}
        while True:
            now = time.monotonic()
            for name, period in PERIODIC_JOBS.items():
                if once or now - last_run.get(name, float("-inf")) >= period:
                    last_run[name] = now
                    self._run(name)
            if once:
                return
            time.sleep(tick)

    def _run(self, name: str) -> None:
        try:
            celery_app.tasks[name]()
        except Exception as error:  # one failing job must not stop the schedule
            self.stderr.write(f"{name} failed: {error!r}")
