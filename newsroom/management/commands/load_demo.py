import time
from importlib import import_module, util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from newsroom import outbox


class Progress:
    """The command's output while it loads: each line as soon as its step is done, with
    the seconds the step took."""

    def __init__(self, stdout):
        self.stdout = stdout
        self.started = self.last = time.monotonic()

    def write(self, line: str) -> None:
        now = time.monotonic()
        self.stdout.write(f"{line} ({now - self.last:.1f} s)")
        self.stdout.flush()
        self.last = now

    def total(self) -> float:
        return time.monotonic() - self.started


class Command(BaseCommand):
    help = (
        "Load the demo newsroom: staff, readers and content from each app's demo module. "
        "Running it again changes nothing that is already there."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data has public passwords: it is never loaded in production.")
        modules = [
            import_module(f"{config.name}.demo")
            for config in apps.get_app_configs()
            if util.find_spec(f"{config.name}.demo") is not None
        ]
        progress = Progress(self.stdout)
        # The demo walks stories through the workflow, which e-mails reporters: those
        # messages go nowhere instead of flooding the console.
        quiet_mail = "django.core.mail.backends.locmem.EmailBackend"
        with override_settings(EMAIL_BACKEND=quiet_mail):
            with transaction.atomic():
                for module in modules:
                    module.load(progress)
            # The commit ran the background work, unless a worker takes it.
            for module in modules:
                if hasattr(module, "committed"):
                    module.committed(progress)
        for module in modules:
            if hasattr(module, "summary"):
                module.summary(self.stdout)
        self.stdout.write(f"Background work runs {outbox.describe_mode()}.")
        self.stdout.write(f"Demo loaded in {progress.total():.1f} s.")
