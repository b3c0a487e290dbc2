"""Writing many rows fast, on PostgreSQL and SQLite alike: ids reserved ahead (so that rows
can point at rows not written yet), rows as plain tuples, COPY on PostgreSQL and
executemany on SQLite, the secondary indexes and foreign keys of an empty table set aside
while it fills, and a progress line with rate and ETA.

Rows bypass the models' save(): the generator that calls this writes exactly the columns a
model's save() would have written, the defaults included (Table fills them in).
"""

import json
import sys
import time
from collections.abc import Iterable
from datetime import UTC, datetime

from django.db import connection
from django.db.models import Model
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone


class Table:
    """A model's table as rows of tuples: the columns the caller gives for each row, in
    `given`'s order (attnames: "section_id"), then every other column with its value from
    `constants` or the field's default."""

    def __init__(self, model: type[Model], given: Iterable[str], **constants):
        fields = {field.attname: field for field in model._meta.concrete_fields}
        self.model = model
        self.given = list(given)
        unknown = [name for name in [*self.given, *constants] if name not in fields]
        if unknown:
            raise ValueError(f"{model.__name__} has no column {unknown}")
        now = timezone.now()
        rest = {}
        for name, field in fields.items():
            if name in self.given:
                continue
            if name in constants:
                value = constants[name]
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            elif field.primary_key:
                if isinstance(field, AutoFieldMixin):
                    continue  # the database numbers the rows
                raise ValueError(f"{model.__name__}: give its primary key ({name})")
            else:
                value = field.get_default()
            if value is None and not field.null:
                raise ValueError(f"{model.__name__}.{name} needs a value")
            rest[name] = value
        self.columns = [fields[name].column for name in [*self.given, *rest]]
        self.constants = tuple(rest.values())

    @property
    def name(self) -> str:
        return self.model._meta.db_table


class Writer:
    """Rows into tables inside the caller's transaction."""

    def __init__(self):
        connection.ensure_connection()
        self.vendor = connection.vendor

    def reserve(self, model: type[Model], count: int) -> int:
        """The first of `count` consecutive new ids of `model`'s table, taken from its
        sequence (PostgreSQL) or after its largest id (SQLite: the next insert continues
        after the ids written). A concurrent insert into the same table during the run
        may take one of them: the run then fails on the primary key and rolls back."""
        table, pk = model._meta.db_table, model._meta.pk.column
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                if count == 0:
                    return 0
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), nextval(pg_get_serial_sequence"
                    "(%s, %s)) + %s - 1)",
                    [table, pk, table, pk, count],
                )
                return cursor.fetchone()[0] - count + 1
            cursor.execute(f'SELECT COALESCE(MAX("{pk}"), 0) FROM "{table}"')
            return cursor.fetchone()[0] + 1

    def write(self, table: Table, rows: Iterable[tuple]) -> int:
        """Write `rows` (tuples in `table.given`'s order); returns how many."""
        constants, count = table.constants, 0
        columns = ", ".join(f'"{column}"' for column in table.columns)
        if self.vendor == "postgresql":
            with (
                connection.connection.cursor() as cursor,
                cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy,
            ):
                for row in rows:
                    copy.write_row(row + constants)
                    count += 1
            return count
        placeholders = ", ".join("?" * len(table.columns))
        sql = f'INSERT INTO "{table.name}" ({columns}) VALUES ({placeholders})'
        constants = tuple(_sqlite(value) for value in constants)
        batch = []
        with connection.cursor() as cursor:
            for row in rows:
                batch.append(tuple(_sqlite(value) for value in row) + constants)
                if len(batch) == 5000:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
        return count


def _sqlite(value):
    # What Django's SQLite backend stores: naive UTC datetimes as text, JSON as text.
    if isinstance(value, datetime):
        return str(value.astimezone(UTC).replace(tzinfo=None))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def as_json(value) -> str | dict:
    """A JSONField's value for Writer.write: text for COPY, which PostgreSQL parses."""
    return json.dumps(value, ensure_ascii=False) if connection.vendor == "postgresql" else value


# --- setting indexes and foreign keys aside (PostgreSQL) --------------------------------------


class SetAside:
    """The secondary indexes (neither primary keys nor unique) and the foreign keys of
    `tables`, dropped so that COPY only writes the rows, and made again by `restore()`,
    each from its own definition as PostgreSQL gives it (pg_get_indexdef,
    pg_get_constraintdef), so nothing is lost or changed. Only ever for tables that held no
    generated story before (the caller checks): on a live archive the indexes stay.
    Unique indexes stay too: they are what refuses a duplicate the generator got wrong.
    In the caller's transaction: a failure rolls the drop back with everything else."""

    def __init__(self, tables: Iterable[str]):
        self.tables = list(tables)
        self.indexes: list[tuple[str, str]] = []
        self.foreign_keys: list[tuple[str, str, str]] = []

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
                "WHERE t.relname = ANY(%s) AND NOT i.indisprimary AND NOT i.indisunique "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
                [self.tables],
            )
            self.indexes = cursor.fetchall()
            cursor.execute(
                "SELECT t.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k "
                "JOIN pg_class t ON t.oid = k.conrelid WHERE k.contype = 'f' "
                "AND t.relname = ANY(%s)",
                [self.tables],
            )
            self.foreign_keys = cursor.fetchall()
            for table, name, _definition in self.foreign_keys:
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            for name, _definition in self.indexes:
                cursor.execute(f'DROP INDEX "{name}"')

    def restore(self, progress: "Progress") -> float:
        with connection.cursor() as cursor:
            # Each build may use more memory than a query's default: this session only.
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            total = len(self.indexes) + len(self.foreign_keys)
            done = 0
            for _name, definition in self.indexes:
                cursor.execute(definition)
                done += 1
                progress.update(done, total)
            for table, name, definition in self.foreign_keys:
                cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
                done += 1
                progress.update(done, total)
        return progress.done(f"{len(self.indexes)} indexes, {len(self.foreign_keys)} foreign keys")


def analyze(tables: Iterable[str]) -> str:
    """The planner's statistics of `tables`. On PostgreSQL outside a transaction, VACUUM
    (ANALYZE): a table just filled has no visibility map yet, so no index-only scan until
    autovacuum comes by; a live archive has had it. Returns what was run."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("ANALYZE")
            return "ANALYZE"
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        for table in tables:
            cursor.execute(f'{command} "{table}"')
        return command


# --- progress ---------------------------------------------------------------------------------


class Progress:
    """One line on stderr per step: on a terminal rewritten in place (at most 5 times a
    second) with done of total, rate and ETA; elsewhere (a log) the same line at each tenth
    of the step, and the step's final line."""

    def __init__(self, label: str, unit: str = "rows", stream=None):
        self.label, self.unit = label, unit
        self.stream = stream or sys.stderr
        self.live = getattr(self.stream, "isatty", lambda: False)()
        self.started = self.shown = time.monotonic()
        self.tenths = 0
        self.seconds = 0.0

    def update(self, done: int, total: int) -> None:
        now = time.monotonic()
        share = done / total if total else 1
        if self.live:
            if now - self.shown < 0.2:
                return
        elif int(share * 10) <= self.tenths or share >= 1:
            return
        self.shown, self.tenths = now, int(share * 10)
        elapsed = now - self.started
        rate = done / elapsed if elapsed else 0
        eta = (total - done) / rate if rate else 0
        line = (
            f"{self.label}: {done:,}/{total:,} {self.unit} ({share:.0%}), "
            f"{rate:,.0f}/s, ETA {_clock(eta)}"
        )
        self.stream.write(f"\r{line}\033[K" if self.live else f"{line}\n")
        self.stream.flush()

    def done(self, summary: str) -> float:
        self.seconds = time.monotonic() - self.started
        line = f"{self.label}: {summary} in {self.seconds:.1f} s"
        self.stream.write(f"\r{line}\033[K\n" if self.live else f"{line}\n")
        self.stream.flush()
        return self.seconds


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes}:{seconds:02d}"
