from django.core.management.base import BaseCommand

from articles.search import index as search


class Command(BaseCommand):
    help = (
        "Write the search entry of every published story again and remove any other. After a "
        "restore from backup, or a change to how search text is made (articles/search/text.py)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Indexed {search.rebuild()} published stories.")
