"""Backups of the whole site: the database and the uploaded files in one .tar, with a
manifest of row counts and checksums that `restore` checks twice, before it touches the
target (is the archive whole?) and after (does the restored site hold the same rows and
files?).

One .tar rather than a folder: it is one file to copy off the machine, rotate and check,
and it is written under a `.partial` name and renamed when complete, so a backup cut short
never looks like a finished one. It is not compressed: pg_dump's custom format is
compressed already, and photos (JPEG, PNG, WebP) do not shrink.

Inside the archive:
    database.dump / database.sqlite3   pg_dump -Fc, or SQLite's online backup
    media/<storage alias>/...          every file of each file-system storage
    checksums/<kind>.tsv               one line per row or file: id, sha256
    manifest.json                      written last: a truncated archive has none

The database snapshot and the checksums come from the same moment: on PostgreSQL, pg_dump
reads the snapshot of the transaction that computes them (pg_export_snapshot); on SQLite
they are computed from the backed-up copy. Media files are named by their content hash
and never rewritten, so copying them after the snapshot finds every file it names.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections, models
from django.db.migrations.loader import MigrationLoader
from django.db.utils import load_backend
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
CHUNK = 1 << 20
# The texts whose every row is checksummed, by the name the manifest gives them.
TEXTS = {
    "stories": ("articles.Article", "body"),
    "revisions": ("articles.Revision", "content"),
    "comments": ("comments.Comment", "body"),
}


class BackupError(Exception):
    """A backup that cannot be made or restored, with what to do about it."""


Report = Callable[[str], None]


@dataclass(frozen=True)
class Folder:
    """Where a file-system storage keeps its files, and the storage aliases sharing it."""

    alias: str  # the first alias in STORAGES with this location: its name in the archive
    location: Path
    aliases: tuple[str, ...]


# --- Backup ------------------------------------------------------------------------------


def backup(destination: Path, *, alias: str = "default", report: Report) -> tuple[Path, dict]:
    """Write a backup to `destination` (a folder: a new dated file in it; or a .tar name).
    Returns the archive's path and its manifest."""
    if destination.suffix != ".tar":
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        destination = destination / f"newsroom-{stamp}.tar"
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    engine = engine_of(alias)
    started = time.monotonic()
    try:
        with (
            tempfile.TemporaryDirectory(dir=destination.parent) as scratch,
            tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive,
        ):
            work = Path(scratch)
            report("Database: taking a snapshot")
            with engine.snapshot(work) as (dump, wrapper):
                report(f"Database: {dump.stat().st_size:,} bytes; counting rows")
                summary = summarise(wrapper, work, report=report)
                database_versions = engine.versions(wrapper)
            members = {dump.name: _add(archive, dump, dump.name)}
            media, present = {}, {}
            for folder in file_folders():
                lines, present[folder.location] = [], set()
                report(f"Media: {folder.alias} ({folder.location})")
                for path, relative in _walk(folder.location):
                    name = f"media/{folder.alias}/{relative}"
                    lines.append(f"{name}\t{_add(archive, path, name)['sha256']}")
                    present[folder.location].add(relative)
                media[folder.alias] = {"aliases": list(folder.aliases), "files": len(lines)}
                report(f"Media: {folder.alias}, {len(lines):,} files")
                tsv = work / f"files-{folder.alias}.tsv"
                tsv.write_text("".join(f"{line}\n" for line in sorted(lines)), encoding="utf-8")
                members[f"checksums/files-{folder.alias}.tsv"] = _add(
                    archive, tsv, f"checksums/files-{folder.alias}.tsv"
                )
            for kind in summary["checksums"]:
                name = f"checksums/{kind}.tsv"
                members[name] = _add(archive, work / f"{kind}.tsv", name)
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "seconds": round(time.monotonic() - started, 1),
                "engine": engine.vendor,
                "database": dump.name,
                "versions": {**versions(), **database_versions},
                **summary,
                "media": media,
                "external_storages": external_storages(),
                "files_named_but_absent": _named_but_absent(work, summary["checksums"], present),
                "members": members,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(time.time())
            archive.addfile(info, io.BytesIO(data))
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
    return destination, manifest


def summarise(wrapper, work: Path, *, report: Report) -> dict:
    """Row counts of every table, the applied migrations, and a checksum of every story
    body, revision, comment and stored file name, read through `wrapper` (a Django
    database connection). Each checksum kind's lines go to work/<kind>.tsv."""
    with wrapper.cursor() as cursor:
        tables = sorted(wrapper.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {wrapper.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
        migrations: dict[str, list[str]] = {}
        if "django_migrations" in counts:
            cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
            for app, name in cursor.fetchall():
                migrations.setdefault(app, []).append(name)
        checksums = {}
        for kind, lines in _checksum_lines(wrapper, cursor, set(tables)):
            report(f"Checksums: {kind}")
            digest, rows = hashlib.sha256(), 0
            with open(work / f"{kind}.tsv", "w", encoding="utf-8") as out:
                for line in lines:
                    out.write(line + "\n")
                    digest.update(line.encode() + b"\n")
                    rows += 1
            checksums[kind] = {"rows": rows, "sha256": digest.hexdigest()}
    return {"tables": counts, "migrations": migrations, "checksums": checksums}


def _checksum_lines(wrapper, cursor, tables: set[str]) -> Iterator[tuple[str, Iterator[str]]]:
    quote = wrapper.ops.quote_name
    for kind, (label, field_name) in TEXTS.items():
        model = apps.get_model(label)
        field = model._meta.get_field(field_name)
        if model._meta.db_table not in tables:
            continue
        cursor.execute(
            f"SELECT {quote(model._meta.pk.column)}, {quote(field.column)} "
            f"FROM {quote(model._meta.db_table)} ORDER BY 1"
        )
        canonical = _canonical_json if isinstance(field, models.JSONField) else str
        yield kind, (f"{pk}\t{_sha(canonical(value).encode())}" for pk, value in _rows(cursor))
    # Every stored file name (photo originals, renditions): the file's checksum is the
    # media listing's; restore checks that each named file came back.
    files = [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField) and model._meta.db_table in tables
    ]
    for model, field in files:
        cursor.execute(
            f"SELECT {quote(model._meta.pk.column)}, {quote(field.column)} "
            f"FROM {quote(model._meta.db_table)} WHERE {quote(field.column)} <> '' ORDER BY 1"
        )
        yield (
            f"file-names-{model._meta.label_lower}.{field.name}",
            (f"{pk}\t{name}" for pk, name in _rows(cursor)),
        )


def _rows(cursor) -> Iterator[tuple]:
    while batch := cursor.fetchmany(2000):
        yield from batch


def _canonical_json(value) -> str:
    # SQLite keeps JSON as written and PostgreSQL's jsonb reorders keys: sorted keys give
    # both the same text.
    if isinstance(value, str):
        value = json.loads(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def versions() -> dict:
    return {
        "django": django.get_version(),
        "python": sys.version.split()[0],
        "migrations_in_code": sorted(
            f"{app}.{name}"
            for app, name in MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes()
        ),
    }


# --- Media folders -----------------------------------------------------------------------


def file_folders() -> list[Folder]:
    """The file-system storages of STORAGES (static files aside: collectstatic makes them),
    one per location."""
    by_location: dict[Path, list[str]] = {}
    for alias in settings.STORAGES:
        if alias == "staticfiles":
            continue
        storage = storages[alias]
        if isinstance(storage, FileSystemStorage):
            by_location.setdefault(Path(storage.location).resolve(), []).append(alias)
    return [Folder(names[0], location, tuple(names)) for location, names in by_location.items()]


def external_storages() -> list[str]:
    """Storages whose files live elsewhere (the object store): not in the archive."""
    return [
        alias
        for alias in settings.STORAGES
        if alias != "staticfiles" and not isinstance(storages[alias], FileSystemStorage)
    ]


def _walk(root: Path) -> Iterator[tuple[Path, str]]:
    if not root.is_dir():
        return
    for directory, subdirectories, names in os.walk(root):
        subdirectories.sort()
        for name in sorted(names):
            path = Path(directory, name)
            if path.is_file() and not path.is_symlink():
                yield path, path.relative_to(root).as_posix()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _add(archive: tarfile.TarFile, path: Path, name: str) -> dict:
    """Add one file, hashing it as it is copied in (one read of each file)."""
    with open(path, "rb") as source:
        info = archive.gettarinfo(fileobj=source, arcname=name)
        hashing = _HashingReader(source)
        archive.addfile(info, hashing)
    return {"bytes": info.size, "sha256": hashing.digest.hexdigest()}


class _HashingReader:
    def __init__(self, source):
        self.source, self.digest = source, hashlib.sha256()

    def read(self, size=-1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        return data


# --- Database engines --------------------------------------------------------------------


def engine_of(alias: str):
    vendor = connections[alias].vendor
    if vendor == "postgresql":
        return Postgres(alias)
    if vendor == "sqlite":
        return Sqlite(alias)
    raise BackupError(f"Backups cover PostgreSQL and SQLite, not {vendor}.")


def _fresh_wrapper(settings_dict: dict, alias: str):
    """A Django connection of its own (not the thread's shared one) to `settings_dict`."""
    return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)


class Postgres:
    vendor = "postgresql"
    dump_name = "database.dump"

    def __init__(self, alias: str):
        self.alias = alias
        self.settings_dict = connections[alias].settings_dict

    @contextmanager
    def snapshot(self, work: Path):
        wrapper = _fresh_wrapper(self.settings_dict, "backup")
        try:
            with wrapper.cursor() as cursor:
                cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                (snapshot,) = cursor.fetchone()
            dump = work / self.dump_name
            self._run("pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={dump}")
            yield dump, wrapper
            with wrapper.cursor() as cursor:
                cursor.execute("ROLLBACK")
        finally:
            wrapper.close()

    def versions(self, wrapper) -> dict:
        return {
            "server": wrapper.pg_version,
            "pg_dump": subprocess.run(
                ["pg_dump", "--version"], capture_output=True, text=True, check=True
            ).stdout.strip(),
        }

    def holds_stories(self) -> bool:
        return _holds_stories(_fresh_wrapper(self.settings_dict, "restore-check"))

    def restore(self, dump: Path) -> None:
        # pg_restore --clean drops only what the dump holds: a table a later migration added
        # would outlive the restore and break the next migrate. So psql empties the schema
        # and replays the dump's SQL (written beside the dump) in one transaction: a restore
        # that fails half-way leaves the database as it was.
        script = dump.with_suffix(".sql")
        self._run(
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            f"--file={script}",
            str(dump),
            into_database=False,
        )
        self._run(
            "psql",
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set=ON_ERROR_STOP=1",
            "--command=DROP SCHEMA public CASCADE",
            "--command=CREATE SCHEMA public",
            f"--file={script}",
        )

    def wrapper(self):
        return _fresh_wrapper(self.settings_dict, "restored")

    def _run(self, program: str, *arguments: str, into_database: bool = True) -> None:
        """`program` with the connection options of the settings (the database itself only
        `into_database`: pg_restore without one writes SQL)."""
        options = self.settings_dict
        command = [program, f"--dbname={options['NAME']}"] if into_database else [program]
        for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if options.get(key):
                command.append(f"{flag}={options[key]}")
        environment = {**os.environ}
        if options.get("PASSWORD"):
            environment["PGPASSWORD"] = str(options["PASSWORD"])
        for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
            if options.get("OPTIONS", {}).get(option):
                environment[variable] = str(options["OPTIONS"][option])
        try:
            subprocess.run(
                [*command, *arguments], env=environment, check=True, capture_output=True, text=True
            )
        except FileNotFoundError as error:
            raise BackupError(f"{program} is not installed (Debian: postgresql-client).") from error
        except subprocess.CalledProcessError as error:
            raise BackupError(f"{program} failed: {error.stderr.strip()}") from error


class Sqlite:
    vendor = "sqlite"
    dump_name = "database.sqlite3"

    def __init__(self, alias: str):
        self.alias = alias
        self.settings_dict = connections[alias].settings_dict

    @contextmanager
    def snapshot(self, work: Path):
        dump = work / self.dump_name
        source = _fresh_wrapper(self.settings_dict, "backup")
        try:
            source.ensure_connection()
            # The online backup API: a consistent copy while the site keeps writing.
            with sqlite3.connect(dump) as copy:
                source.connection.backup(copy)
            copy.close()
        finally:
            source.close()
        wrapper = _fresh_wrapper({**self.settings_dict, "NAME": dump, "OPTIONS": {}}, "copy")
        try:
            yield dump, wrapper
        finally:
            wrapper.close()

    def versions(self, wrapper) -> dict:
        return {"sqlite": sqlite3.sqlite_version}

    def holds_stories(self) -> bool:
        return _holds_stories(_fresh_wrapper(self.settings_dict, "restore-check"))

    def restore(self, dump: Path) -> None:
        # The backup API copies every page into the target in one step, under its write
        # lock: other connections see the old database or the restored one, never a mix.
        connections[self.alias].close()
        target = _fresh_wrapper(self.settings_dict, "restore")
        try:
            target.ensure_connection()
            source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
            try:
                source.backup(target.connection)
            finally:
                source.close()
        finally:
            target.close()

    def wrapper(self):
        return _fresh_wrapper(self.settings_dict, "restored")


def _holds_stories(wrapper) -> bool:
    table = apps.get_model(TEXTS["stories"][0])._meta.db_table
    try:
        with wrapper.cursor() as cursor:
            if table not in wrapper.introspection.table_names(cursor):
                return False
            cursor.execute(f"SELECT 1 FROM {wrapper.ops.quote_name(table)} LIMIT 1")
            return cursor.fetchone() is not None
    finally:
        wrapper.close()


# --- Restore -----------------------------------------------------------------------------


def restore(path: Path, *, alias: str = "default", force: bool, report: Report) -> dict:
    """Restore the backup at `path` into the database `alias` and the media folders of the
    current settings, then check it against the manifest. Returns the manifest.

    Refused, before anything is changed: an archive that is not whole (no manifest, a
    member missing or not matching its checksum), another database engine, a media
    folder the settings keep elsewhere than on disk, and a database that holds stories
    unless `force`."""
    engine = engine_of(alias)
    with _open(path) as archive:
        manifest = _read_manifest(archive)
        if manifest["engine"] != engine.vendor:
            raise BackupError(
                f"This backup is of a {manifest['engine']} database; the target is "
                f"{engine.vendor}. Restore it into the same kind of database."
            )
        folders = _target_folders(manifest)
        if not force and engine.holds_stories():
            raise BackupError(
                "The target database already holds stories. Restoring replaces them: "
                "run again with --force if that is what you want."
            )
        report("Checking the archive")
        expected_files = _check_archive(archive, manifest, report=report)
        with tempfile.TemporaryDirectory() as scratch:
            dump = Path(scratch) / manifest["database"]
            _extract(archive, manifest["database"], dump)
            report("Database: restoring")
            engine.restore(dump)
        for archived, location in folders.items():
            report(f"Media: restoring {archived} into {location}")
            _replace_folder(archive, f"media/{archived}/", location)
    report("Checking the restored site against the manifest")
    problems = verify(manifest, engine, folders, expected_files, report=report)
    if problems:
        raise BackupError("The restored site differs from the backup:\n" + "\n".join(problems))
    return manifest


@contextmanager
def _open(path: Path):
    if not path.is_file():
        raise BackupError(f"No backup at {path}.")
    try:
        with tarfile.open(path, "r:") as archive:
            archive.getmembers()
            yield archive
    except (tarfile.TarError, EOFError) as error:
        raise BackupError(f"{path} is not a whole backup archive ({error}).") from error


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.getmember(MANIFEST)
    except KeyError:
        raise BackupError(
            "The archive has no manifest: the backup was cut short or this is not one of ours."
        ) from None
    try:
        manifest = json.loads(archive.extractfile(member).read())
    except (ValueError, tarfile.TarError) as error:
        raise BackupError(f"The manifest cannot be read ({error}).") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Backup format {manifest.get('format')!r} is not {FORMAT}.")
    return manifest


def _target_folders(manifest: dict) -> dict[str, Path]:
    """Each archived media folder and where the current settings keep it."""
    here = {alias: folder.location for folder in file_folders() for alias in folder.aliases}
    targets = {}
    for archived in manifest["media"]:
        if archived not in here:
            raise BackupError(
                f"The backup holds the files of storage {archived!r}, which these settings "
                "do not keep on disk: restore with the file-system storages."
            )
        targets[archived] = here[archived]
    if len(set(targets.values())) < len(targets):
        raise BackupError(
            "These settings keep several of the backup's storages in one folder: "
            "give each its own folder, as when the backup was made."
        )
    return targets


def _check_archive(archive: tarfile.TarFile, manifest: dict, *, report: Report) -> dict:
    """Every member whole and as listed. Returns {member name: sha256} of the media files."""
    for member in archive.getmembers():
        _safe_name(member)
    listed = dict(manifest["members"])
    for name, expected in listed.items():
        if _member_sha(archive, name) != expected["sha256"]:
            raise BackupError(f"{name} in the archive does not match its checksum: damaged.")
    files = {}
    for alias in manifest["media"]:
        tsv = _member_text(archive, f"checksums/files-{alias}.tsv")
        for line in tsv.splitlines():
            name, sha = line.split("\t")
            files[name] = sha
    present = {
        member.name: member
        for member in archive.getmembers()
        if member.name.startswith("media/") and member.isfile()
    }
    if set(present) != set(files):
        missing, unlisted = sorted(set(files) - set(present)), sorted(set(present) - set(files))
        raise BackupError(
            f"The archive's media files differ from its list: missing {missing[:5]}, "
            f"unlisted {unlisted[:5]}."
        )
    for number, (name, sha) in enumerate(sorted(files.items()), 1):
        if _member_sha(archive, name) != sha:
            raise BackupError(f"{name} in the archive does not match its checksum: damaged.")
        if number % 10_000 == 0:
            report(f"Checked {number:,} of {len(files):,} files")
    return files


def _member_sha(archive: tarfile.TarFile, name: str) -> str:
    try:
        source = archive.extractfile(name)
        digest = hashlib.sha256()
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    except (KeyError, tarfile.TarError, OSError) as error:
        raise BackupError(f"{name} is missing from the archive or cut short ({error}).") from None
    return digest.hexdigest()


def _member_text(archive: tarfile.TarFile, name: str) -> str:
    return archive.extractfile(name).read().decode()


def _safe_name(member: tarfile.TarInfo) -> None:
    # Only plain files and folders, inside the target: no links, devices or ../ names.
    name = PurePosixPath(member.name)
    if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
        raise BackupError(f"The archive holds an unsafe entry: {member.name!r}.")


def _extract(archive: tarfile.TarFile, name: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with archive.extractfile(name) as source, open(target, "wb") as out:
        shutil.copyfileobj(source, out, CHUNK)


def _replace_folder(archive: tarfile.TarFile, prefix: str, location: Path) -> None:
    """Unpack beside the folder, then swap it in: the old files go only once the new ones
    are all written."""
    location.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{location.name}-restoring-", dir=location.parent))
    for member in archive.getmembers():
        if member.isfile() and member.name.startswith(prefix):
            _extract(archive, member.name, staging / member.name[len(prefix) :])
    old = location.with_name(f".{location.name}-replaced-{os.getpid()}")
    if location.exists():
        location.rename(old)
    staging.rename(location)
    shutil.rmtree(old, ignore_errors=True)


def verify(
    manifest: dict, engine, folders: dict[str, Path], files: dict[str, str], *, report: Report
) -> list[str]:
    """What differs between the restored database and folders and the manifest."""
    problems = []
    on_disk, present = {}, {}
    for archived, location in folders.items():
        present[location] = set()
        for path, relative in _walk(location):
            with open(path, "rb") as source:
                on_disk[f"media/{archived}/{relative}"] = hashlib.file_digest(
                    source, "sha256"
                ).hexdigest()
            present[location].add(relative)
    if on_disk != files:
        changed = sorted(
            set(files) ^ set(on_disk) | {n for n in files if on_disk.get(n) != files[n]}
        )
        problems.append(f"{len(changed)} media files differ from the backup's: {changed[:5]}")
    with tempfile.TemporaryDirectory() as scratch:
        wrapper = engine.wrapper()
        try:
            restored = summarise(wrapper, Path(scratch), report=report)
        finally:
            wrapper.close()
        for table, count in manifest["tables"].items():
            if restored["tables"].get(table) != count:
                problems.append(
                    f"table {table}: {restored['tables'].get(table)} rows, backup had {count}"
                )
        if restored["migrations"] != manifest["migrations"]:
            problems.append("the applied migrations differ from the backup's")
        for kind, expected in manifest["checksums"].items():
            if restored["checksums"].get(kind) != expected:
                problems.append(f"{kind}: checksums differ from the backup's")
        absent = set(_named_but_absent(Path(scratch), restored["checksums"], present))
    absent -= set(manifest["files_named_but_absent"])
    problems += [f"named in the database but not restored: {name}" for name in sorted(absent)]
    return problems


def _named_but_absent(work: Path, checksums: dict, present: dict[Path, set[str]]) -> list[str]:
    """Files the database names that are not in their storage's folder."""
    absent = []
    for kind in checksums:
        if not kind.startswith("file-names-"):
            continue
        label, field_name = kind.removeprefix("file-names-").rsplit(".", 1)
        storage = apps.get_model(label)._meta.get_field(field_name).storage
        if not isinstance(storage, FileSystemStorage):
            continue  # kept in the object store, which keeps its own copies
        names = present.get(Path(storage.location).resolve(), set())
        for line in (work / f"{kind}.tsv").read_text("utf-8").splitlines():
            pk, name = line.split("\t", 1)
            if name not in names:
                absent.append(f"{label}.{field_name} #{pk}: {name}")
    return absent
