"""A row's small related lists read in the row's own query, as JSON.

prefetch_related spends one query on each relation: on a page showing one story with its
tags, corrections and bylines, or a list of photos with their renditions, that is most of
the page's queries. `rows()` asks the database for a relation's rows as one JSON array on
each outer row (SQLite's json_group_array, PostgreSQL's jsonb_agg), and `instances()` and
`attach()` turn them back into model instances where prefetch_related puts them, so that
`story.tags.all()` reads them without a query, as after a prefetch.

For short lists only: every field of every related row travels in the outer row. The
database does not promise the order of an aggregate's rows: callers sort what they get.
"""

from collections.abc import Iterable
from datetime import UTC
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS
from django.db.models import (
    Aggregate,
    F,
    Func,
    JSONField,
    Model,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.functions import JSONObject
from django.utils.dateparse import parse_date, parse_datetime


class _JSONObject(JSONObject):
    """Django's JSONObject without its question to SQLite whether it has JSON functions:
    a query on the connection's first use, which would make a page's first count differ
    from the next. SQLite builds them in since 3.38 (this project's is 3.40)."""

    def as_sqlite(self, compiler, connection, **extra_context):
        return Func.as_sql(self, compiler, connection, **extra_context)


class _JSONArray(Aggregate):
    """The aggregated rows as a JSON array: json_group_array, or jsonb_agg."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def fields(model: type[Model], path: str = "", **nested: JSONObject) -> JSONObject:
    """A JSON object of every concrete field of `model` (reached by `path` from the rows
    of the subquery), keyed by attribute name, with `nested` objects beside them."""
    prefix = f"{path}__" if path else ""
    for field in model._meta.concrete_fields:
        if field.get_internal_type() == "JSONField":
            # A JSON column arrives as text on SQLite and as JSON on PostgreSQL, which
            # the values cannot tell apart: such a model is read with the ORM.
            raise TypeError(f"{field} is a JSON field: {model.__name__} cannot be folded")
    return _JSONObject(
        **{field.attname: F(prefix + field.attname) for field in model._meta.concrete_fields},
        **nested,
    )


def rows(related: QuerySet, link: str, row: JSONObject, *, outer: str = "pk") -> Subquery:
    """For each outer row, the rows of `related` whose `link` is its `outer` field, as a
    JSON array of `row` (None when there are none)."""
    return Subquery(
        related.filter(**{link: OuterRef(outer)})
        .order_by()
        .values(link)
        .annotate(json_rows=_JSONArray(row))
        .values("json_rows"),
        output_field=JSONField(),
    )


def instances(
    model: type[Model],
    data: Iterable[dict] | None,
    *,
    nested: dict[str, type[Model]] | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> list[Model]:
    """Model instances from `fields()` objects, as if read by the ORM (so nothing about
    them reads the database again); `nested` names the objects of related rows in them,
    set as select_related would (None when the related row's key is)."""
    made = []
    for values in data or ():
        made.append(_instance(model, values, nested or {}, using))
    return made


def attach(instance: Model, accessor: str, objects: list[Model]) -> None:
    """Make `objects` what `instance.<accessor>.all()` returns, without a query: where
    prefetch_related keeps a relation's rows (the same private cache it fills)."""
    manager = getattr(instance, accessor)
    # The names the related managers read their prefetched rows under: a many-to-many's
    # own, a reverse foreign key's accessor.
    cache_name = getattr(manager, "prefetch_cache_name", None) or accessor
    queryset = manager.get_queryset()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[cache_name] = queryset


def _instance(model, values: dict, nested: dict, using: str) -> Model:
    concrete = model._meta.concrete_fields
    obj = model.from_db(
        using,
        [field.attname for field in concrete],
        [_python(field, values.get(field.attname)) for field in concrete],
    )
    for name, related_model in nested.items():
        related = values.get(name) or {}
        pk_name = related_model._meta.pk.attname
        setattr(
            obj,
            name,
            None if related.get(pk_name) is None else _instance(related_model, related, {}, using),
        )
    return obj


def _python(field, value):
    """A JSON value as the ORM would read the column: SQLite keeps datetimes as text in
    UTC without an offset, booleans as 0 and 1."""
    if value is None:
        return None
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        moment = parse_datetime(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if kind == "DateField":
        return parse_date(value)
    if kind == "BooleanField":
        return bool(value)
    if kind == "DecimalField":
        return Decimal(str(value))
    if kind == "FloatField":
        return float(value)
    return value
