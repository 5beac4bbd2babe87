"""``AddIndexConcurrently`` for migrations that must run on PostgreSQL and on SQLite.

Django's own (``django.contrib.postgres.operations.AddIndexConcurrently``) only runs on
PostgreSQL, and Kintsugi's migrations run on both. On PostgreSQL this builds the index
``CONCURRENTLY`` (writes to the table go on while it is built; the migration must say
``atomic = False``, since PostgreSQL refuses it inside a transaction); elsewhere it is a
plain ``CREATE INDEX``: SQLite has no concurrent build, and its writers are serialised
anyway. ``kintsugi check-migrations`` reads the PostgreSQL SQL, so it accepts it.
"""

from __future__ import annotations

from typing import Any

from django.db import NotSupportedError
from django.db.migrations.operations import AddIndex, RemoveIndex


def _concurrent(schema_editor: Any, operation: str) -> bool:
    """Whether to build or drop concurrently here; refuse PostgreSQL in a transaction."""
    if schema_editor.connection.vendor != "postgresql":
        return False
    if schema_editor.connection.in_atomic_block:
        raise NotSupportedError(
            f"{operation} builds the index CONCURRENTLY on PostgreSQL, which cannot run "
            "inside a transaction: set atomic = False on the migration."
        )
    return True


class AddIndexConcurrently(AddIndex):
    """Create an index without blocking writes on PostgreSQL; plainly elsewhere."""

    atomic = False

    def describe(self) -> str:
        return f"Concurrently create index {self.index.name} on {self.model_name}"

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        if _concurrent(schema_editor, "AddIndexConcurrently"):
            schema_editor.add_index(model, self.index, concurrently=True)
        else:
            schema_editor.add_index(model, self.index)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = from_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        if _concurrent(schema_editor, "AddIndexConcurrently"):
            schema_editor.remove_index(model, self.index, concurrently=True)
        else:
            schema_editor.remove_index(model, self.index)


class RemoveIndexConcurrently(RemoveIndex):
    """Drop an index without blocking writes on PostgreSQL; plainly elsewhere."""

    atomic = False

    def describe(self) -> str:
        return f"Concurrently remove index {self.name} from {self.model_name}"

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = from_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        index = from_state.models[app_label, self.model_name_lower].get_index_by_name(self.name)
        if _concurrent(schema_editor, "RemoveIndexConcurrently"):
            schema_editor.remove_index(model, index, concurrently=True)
        else:
            schema_editor.remove_index(model, index)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        index = to_state.models[app_label, self.model_name_lower].get_index_by_name(self.name)
        if _concurrent(schema_editor, "RemoveIndexConcurrently"):
            schema_editor.add_index(model, index, concurrently=True)
        else:
            schema_editor.add_index(model, index)
