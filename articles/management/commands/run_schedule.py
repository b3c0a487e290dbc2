from django.core.management.base import BaseCommand

from articles import workflow


class Command(BaseCommand):
    help = (
        "Publish the scheduled stories whose time has come and take down those due to come "
        "down. For cron users; celery beat and run_periodic run it every 30 seconds."
    )

    def handle(self, *args, **options):
        done = workflow.run_schedule()
        self.stdout.write(
            f"Published {done['published']}, unpublished {done['unpublished']} stories."
        )
