from importlib import import_module, util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from newsroom import outbox


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
        # The demo walks stories through the workflow, which e-mails reporters: those
        # messages go nowhere instead of flooding the console.
        quiet_mail = "django.core.mail.backends.locmem.EmailBackend"
        with override_settings(EMAIL_BACKEND=quiet_mail), transaction.atomic():
            for module in modules:
                module.load(self.stdout)
        for module in modules:
            if hasattr(module, "summary"):
                module.summary(self.stdout)
        self.stdout.write(f"Background work runs {outbox.describe_mode()}.")
