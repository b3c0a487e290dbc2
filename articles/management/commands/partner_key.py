from django.core.management.base import BaseCommand, CommandError

from articles import partners
from articles.models import Partner


class Command(BaseCommand):
    help = (
        "Make a content API partner and print its key (shown only this once), or with "
        "--rotate give an existing partner a new key; the old one stops working at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--rate", type=int, default=60, help="Requests per minute.")
        parser.add_argument("--rotate", action="store_true", help="A new key for NAME.")

    def handle(self, *args, name, rate, rotate, **options):
        existing = Partner.objects.filter(name=name.strip()).first()
        if rotate:
            if existing is None:
                raise CommandError(f"No partner is named {name!r}.")
            key = partners.rotate_key(existing, actor=None)
        elif existing is not None:
            raise CommandError(f"{name!r} exists already: use --rotate for a new key.")
        elif rate < 1:
            raise CommandError("--rate must be 1 or more.")
        else:
            _partner, key = partners.create_partner(name, actor=None, rate_per_minute=rate)
        self.stdout.write(key)
