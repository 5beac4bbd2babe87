"""``AddIndexConcurrently`` / ``RemoveIndexConcurrently`` (``kintsugi.migration_operations``)
on the database under test: run this file on SQLite and with a PostgreSQL ``DATABASE_URL``.

A throwaway model is created with the real schema editor, the operation builds and drops
its index, and the database's own catalogue says whether the index is there.
"""

from __future__ import annotations

import pytest
from django.db import NotSupportedError, connection, migrations, models, transaction
from django.db.migrations.state import ProjectState

from kintsugi.core.migration_safety import risks
from kintsugi.migration_operations import AddIndexConcurrently, RemoveIndexConcurrently

pytestmark = pytest.mark.django_db(transaction=True)

APP = "opsindex"
TABLE = "opsindex_probe"
INDEX = models.Index(fields=["name", "created"], name="probe_name_created")


def _indexes() -> set[str]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, TABLE)
    return {name for name, info in found.items() if info["index"]}


@pytest.fixture
def probe():
    """A real table with rows; dropped afterwards (this test's transaction commits)."""
    create = migrations.CreateModel(
        "Probe",
        [
            ("id", models.BigAutoField(primary_key=True)),
            ("name", models.CharField(max_length=40)),
            ("created", models.IntegerField()),
        ],
    )
    state = ProjectState()
    new = state.clone()
    create.state_forwards(APP, new)
    with connection.schema_editor() as editor:
        create.database_forwards(APP, editor, state, new)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {TABLE} (name, created) VALUES (%s, %s)",  # noqa: S608 - constant
            [(f"row {n}", n) for n in range(200)],
        )
    yield new
    with connection.schema_editor() as editor:
        create.database_backwards(APP, editor, new, state)


def _apply(operation, state, *, atomic: bool = False) -> ProjectState:
    after = state.clone()
    operation.state_forwards(APP, after)
    with connection.schema_editor(atomic=atomic) as editor:
        operation.database_forwards(APP, editor, state, after)
    return after


def test_it_builds_and_drops_the_index(probe) -> None:
    add = AddIndexConcurrently("probe", INDEX)
    with_index = _apply(add, probe)
    assert INDEX.name in _indexes()
    assert with_index.models[APP, "probe"].get_index_by_name(INDEX.name)
    # backwards (Django passes the later state first): the index goes again
    with connection.schema_editor(atomic=False) as editor:
        add.database_backwards(APP, editor, with_index, probe)
    assert INDEX.name not in _indexes()
    # RemoveIndexConcurrently, forwards and back
    with_index = _apply(add, probe)
    remove = RemoveIndexConcurrently("probe", INDEX.name)
    without = _apply(remove, with_index)
    assert INDEX.name not in _indexes()
    with connection.schema_editor(atomic=False) as editor:
        remove.database_backwards(APP, editor, without, with_index)
    assert INDEX.name in _indexes()


def test_the_sql_is_concurrent_on_postgresql_and_plain_elsewhere(probe) -> None:
    after = probe.clone()
    add = AddIndexConcurrently("probe", INDEX)
    add.state_forwards(APP, after)
    with connection.schema_editor(collect_sql=True, atomic=False) as editor:
        add.database_forwards(APP, editor, probe, after)
    sql = " ".join(editor.collected_sql)
    assert "CREATE INDEX" in sql
    assert ("CONCURRENTLY" in sql) == (connection.vendor == "postgresql")
    if connection.vendor == "postgresql":
        # what check-migrations reads: accepted, even with the table counted as large
        assert risks(editor.collected_sql, large=lambda table: True) == []
    assert INDEX.name not in _indexes()  # collected, not run


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's refusal")
def test_it_refuses_inside_a_transaction_on_postgresql(probe) -> None:
    with pytest.raises(NotSupportedError, match="atomic = False"), transaction.atomic():
        _apply(AddIndexConcurrently("probe", INDEX), probe, atomic=True)
    assert INDEX.name not in _indexes()


def test_describe_names_the_index() -> None:
    assert "probe_name_created" in AddIndexConcurrently("probe", INDEX).describe()
    assert "probe_name_created" in RemoveIndexConcurrently("probe", INDEX.name).describe()
