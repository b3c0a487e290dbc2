import time
from pathlib import Path

from django.core.cache import caches
from django.core.management.base import BaseCommand, CommandError

from newsroom import backups


class Command(BaseCommand):
    help = (
        "Restore a backup made by manage.py backup into the database and media folders of "
        "these settings, then check the result against the backup's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The .tar written by manage.py backup.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that already holds stories.",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, archive: Path, force: bool, database: str, **options):
        started = time.monotonic()

        def report(line: str) -> None:
            self.stderr.write(f"[{time.monotonic() - started:6.1f} s] {line}")
            self.stderr.flush()

        try:
            manifest = backups.restore(archive, alias=database, force=force, report=report)
        except backups.BackupError as error:
            raise CommandError(f"Not restored: {error}") from error
        # Cached pages and fragments show the site as it was before the restore.
        for cache in caches.all(initialized_only=False):
            cache.clear()
        code = set(backups.versions()["migrations_in_code"])
        if code != set(manifest["versions"]["migrations_in_code"]):
            self.stderr.write(
                "The backup was made with other migrations than this code has: "
                "run manage.py migrate before serving the site."
            )
        counts = manifest["checksums"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']} and checked it: "
                f"{len(manifest['tables'])} tables with the same row counts; "
                f"{counts.get('stories', {}).get('rows', 0):,} stories, "
                f"{counts.get('revisions', {}).get('rows', 0):,} revisions, "
                f"{counts.get('comments', {}).get('rows', 0):,} comments and "
                f"{sum(folder['files'] for folder in manifest['media'].values()):,} media files "
                f"match their checksums ({time.monotonic() - started:.1f} s)."
            )
        )
