import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from newsroom import outbox
from newsroom.models import OutboxMessage


class Command(BaseCommand):
    help = "Send a ping task through the outbox and wait until a worker has run it."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=30.0)

    def handle(self, *args, timeout: float, **options):
        self.stdout.write(f"Background work runs {outbox.describe_mode()}.")
        with transaction.atomic():
            message = outbox.enqueue("newsroom.ping")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message.refresh_from_db()
            if message.status == OutboxMessage.Status.DONE:
                self.stdout.write(self.style.SUCCESS(f"Ping #{message.pk} done."))
                return
            if message.status == OutboxMessage.Status.FAILED:
                break
            time.sleep(0.2)
        raise CommandError(
            f"Ping #{message.pk} is {message.get_status_display()} after {timeout:g}s: "
            f"{message.last_error or 'no worker picked it up'}"
        )
