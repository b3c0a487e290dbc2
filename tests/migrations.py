"""Helpers for the tests that prove a migration keeps the rows made before it."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate the app to `targets`, the other apps staying at their latest; returns the
    models as they were then."""
    executor = MigrationExecutor(connection)
    (app, _name), *_ = targets
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != app]
    executor.migrate(targets)
    return executor.loader.project_state([*targets, *others]).apps


def to_the_latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
