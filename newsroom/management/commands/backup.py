import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from newsroom import backups


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files into one .tar with a manifest of row "
        "counts and checksums (manage.py restore reads it)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="A folder for a new dated .tar (default: var/backups), or the .tar's name.",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, output: Path | None, database: str, **options):
        started = time.monotonic()

        def report(line: str) -> None:
            self.stderr.write(f"[{time.monotonic() - started:6.1f} s] {line}")
            self.stderr.flush()

        try:
            path, manifest = backups.backup(
                output or settings.VAR_DIR / "backups", alias=database, report=report
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        for alias in manifest["external_storages"]:
            self.stderr.write(
                f"Storage {alias!r} is not on disk: its files are not in the archive "
                "(keep the object store's own versioning or replication)."
            )
        for name in manifest["files_named_but_absent"][:10]:
            self.stderr.write(f"Named in the database but missing before the backup: {name}")
        counts = manifest["checksums"]
        self.stdout.write(
            f"{path}: {counts.get('stories', {}).get('rows', 0):,} stories, "
            f"{counts.get('revisions', {}).get('rows', 0):,} revisions, "
            f"{counts.get('comments', {}).get('rows', 0):,} comments, "
            f"{sum(folder['files'] for folder in manifest['media'].values()):,} media files, "
            f"{path.stat().st_size:,} bytes in {time.monotonic() - started:.1f} s."
        )
