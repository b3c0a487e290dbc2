from django.core.management.base import BaseCommand

from comments import moderation


class Command(BaseCommand):
    help = (
        "Return to review the comments whose temporary blind (임시조치) has ended. For cron "
        "users; celery beat and run_periodic run it every minute."
    )

    def handle(self, *args, **options):
        ended = moderation.end_blinds()
        self.stdout.write(f"Ended {ended} temporary blinds.")
