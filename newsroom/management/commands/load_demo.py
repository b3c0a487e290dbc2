from importlib import import_module, util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from newsroom import outbox


class Command(BaseCommand):
    help = (
        "Load the demo newsroom: staff, readers and content from each app's demo module. "
        "Running it again changes nothing that is already there."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data has public passwords: it is never loaded in production.")
        with transaction.atomic():
            for config in apps.get_app_configs():
                module_name = f"{config.name}.demo"
                if util.find_spec(module_name) is None:
                    continue
                import_module(module_name).load(self.stdout)
        self.stdout.write(f"Background work runs {outbox.describe_mode()}.")
