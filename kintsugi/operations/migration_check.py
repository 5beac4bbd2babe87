"""``kintsugi check-migrations``: refuse migrations that would lock a large table.

Each of Kintsugi's migrations is turned into the SQL PostgreSQL would run (what
``sqlmigrate`` prints, from the same loader) and read by ``core.migration_safety``. Nothing
is applied: an empty PostgreSQL database is enough, and CI runs it on every change
(``tests/operations/test_migration_check.py``). Migrations already released, reviewed and
found acceptable (their tables were new or small when they shipped) are listed in
``REVIEWED`` with the reason; a new risky migration fails the check until it is rewritten
(docs/operations.md, "Migration safety") or reviewed and added there.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps as installed_apps
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from kintsugi.core.migration_safety import Risk, python_risks, risks

# (app label, migration) -> why its risks are accepted. Keep the reason concrete.
# Every entry below shipped before the check existed (issue 20); the reason says what an
# upgrade from before it costs.
_EARLY = "released before the check; "
REVIEWED: dict[tuple[str, str], str] = {
    ("postmortems", "0002_actionitem_debt_policy"): _EARLY
    + "fills the new policy dates with one UPDATE per priority (four statements), not a "
    "Python loop over rows",
    ("postmortems", "0003_restricted_index"): _EARLY
    + "a partial index over the few restricted incidents: PostgreSQL still reads the whole "
    "table once while writes to incidents wait",
    ("postmortems", "0004_title_search_index"): _EARLY
    + "PostgreSQL only, the title trigram index; built once while writes to incidents wait",
    ("postmortems", "0005_import_provenance"): _EARLY
    + "a nullable column, its foreign key and two indexes on incidents: one scan each",
    ("debt", "0002_debt_indexes"): _EARLY
    + "two indexes on action items (the largest table after the timeline), built while "
    "writes to action items wait",
    ("debt", "0005_review_indexes"): _EARLY
    + "four indexes on action items, built while writes to action items wait",
    ("debt", "0006_tally_review_counts"): _EARLY + "debt_tallystate has one row per team",
    ("debt", "0007_tally_facts"): _EARLY + "debt_tallystate has one row per team",
    ("insights", "0001_facts"): _EARLY
    + "logs every incident id in batches of 2,000 into a table of its own; incidents are "
    "only read",
    ("insights", "0002_month_sums"): _EARLY
    + "empties Insights' own derived tables and logs every incident id again; incidents "
    "are only read",
    ("insights", "0003_month_sum_level"): _EARLY
    + "an index on Insights' monthly sums: a few rows per team, month and figure",
    ("reviews", "0002_audit_backfill"): _EARLY
    + "one audit entry per published incident, written in bulk; incidents are only read",
    ("search", "0001_search_index"): _EARLY
    + "installs the search triggers and indexes what is written: reads every text once, "
    "writes only the new index table",
    ("search", "0002_index_comments"): "installs the search triggers (comments added) and "
    "nothing else: the ADD COLUMN and CREATE INDEX its code holds are install()'s IF NOT "
    "EXISTS statements, no-ops after 0001/0003; the comments written before are indexed "
    "online in batches (0004 queues them, kintsugi/search/fill.py). It rebuilt the whole "
    "index in its transaction until issue 20 (105 s at 20,000 incidents)",
    ("history", "0003_pack_section_states"): "packs the history's list-section states into "
    "rows and chunks, state by state: writes only the history's own tables (post-mortem "
    "tables are not touched), so a save waits at most for its version to be recorded",
    ("search", "0003_pg_path_tokens"): "PostgreSQL only: drops and re-adds search's own "
    "generated tsvector column and its GIN index (one rewrite of the index table); writes "
    "to post-mortems wait for it because their triggers write that table",
    ("teams", "0002_membership_team_role"): _EARLY
    + "teams_membership has one row per person and team",
    ("teams", "0003_fill_leads_team"): "one UPDATE sets accounts_user.leads_team on the "
    "users who lead a team (a few rows per team); memberships are only read",
    ("trackers", "0003_tracker_secrets"): _EARLY
    + "an index on tracker sync jobs, a queue that is emptied as it runs",
}


@dataclass
class Checked:
    app_label: str
    name: str
    risks: list[Risk] = field(default_factory=list)
    reviewed: str = ""

    @property
    def label(self) -> str:
        return f"{self.app_label}.{self.name}"

    @property
    def refused(self) -> bool:
        return bool(self.risks) and not self.reviewed


class NeedsPostgres(Exception):
    """The check reads PostgreSQL's SQL: another engine cannot produce it."""


def ours() -> set[str]:
    return {c.label for c in installed_apps.get_app_configs() if c.name.startswith("kintsugi.")}


def check_migrations(
    *,
    using: str = "default",
    app_labels: set[str] | None = None,
    unapplied_only: bool = False,
    min_rows: int = 0,
    reviewed: dict[tuple[str, str], str] | None = None,
) -> list[Checked]:
    """Every migration of ``app_labels`` (Kintsugi's apps by default), in the order
    ``migrate`` applies them, with its risks."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise NeedsPostgres(
            "check-migrations reads the SQL PostgreSQL would run: set DATABASE_URL to a "
            "PostgreSQL database (an empty one will do; nothing is changed)."
        )
    reviewed = REVIEWED if reviewed is None else reviewed
    labels = app_labels or ours()
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    applied = set(MigrationRecorder(connection).applied_migrations()) if unapplied_only else set()
    rows = _estimated_rows(connection) if min_rows else {}
    checked: list[Checked] = []
    for key in _in_order(loader):
        if key[0] not in labels or key in applied:
            continue
        migration = loader.graph.nodes[key]
        sql = loader.collect_sql([(migration, False)])
        found = risks(
            sql,
            large=(lambda table: rows.get(table, 0) >= min_rows) if min_rows else _everything,
            in_place=_in_place_type_changes(loader, connection, key),
        )
        found += run_python_risks(migration)
        checked.append(Checked(key[0], key[1], found, reviewed.get(key, "") if found else ""))
    return checked


def run_python_risks(migration: Any) -> list[Risk]:
    """What the ``RunPython`` steps of ``migration`` do to whole tables, read from their
    code and the project functions they call (``core.migration_safety.python_risks``)."""
    from django.db.migrations.operations import RunPython

    found: list[Risk] = []
    for operation in migration.operations:
        if isinstance(operation, RunPython):
            found += python_risks(python_sources(operation.code))
    return found


def python_sources(function: Callable[..., Any], depth: int = 4) -> list[str]:
    """The source of ``function`` and of the Kintsugi functions it calls, down to
    ``depth`` calls (imports inside a function, as migrations write them, are followed)."""
    sources: list[str] = []
    seen: set[int] = set()

    def visit(func: Any, level: int) -> None:
        func = inspect.unwrap(func)
        if id(func) in seen or not inspect.isfunction(func):
            return
        seen.add(id(func))
        try:
            source = textwrap.dedent(inspect.getsource(func))
        except (OSError, TypeError):
            return
        sources.append(source)
        if level >= depth:
            return
        for callee in _callees(func, source):
            module = getattr(callee, "__module__", "") or ""
            if module.startswith("kintsugi."):
                visit(callee, level + 1)

    visit(function, 0)
    return sources


def _callees(func: Any, source: str) -> list[Any]:
    """The functions ``func`` calls by name (``f()``) or through a module (``m.f()``),
    resolved in its module's globals and the imports in its own body."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names: dict[str, Any] = dict(func.__globals__)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                try:
                    module = importlib.import_module(node.module)
                    value = getattr(module, alias.name, None)
                    if value is None:
                        value = importlib.import_module(f"{node.module}.{alias.name}")
                except ImportError:
                    continue
                names[alias.asname or alias.name] = value
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        target = node.func
        if isinstance(target, ast.Name):
            found.append(names.get(target.id))
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            found.append(getattr(names.get(target.value.id), target.attr, None))
    return [callee for callee in found if callee is not None]


def _everything(table: str) -> bool:
    return True


def _in_order(loader: MigrationLoader) -> list[tuple[str, str]]:
    seen: dict[tuple[str, str], None] = {}
    for leaf in sorted(loader.graph.leaf_nodes()):
        for key in loader.graph.forwards_plan(leaf):
            seen.setdefault(key, None)
    return list(seen)


def _estimated_rows(connection: BaseDatabaseWrapper) -> dict[str, int]:
    """PostgreSQL's estimate of each table's rows (kept by ANALYZE and autovacuum)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, GREATEST(c.reltuples, 0)::bigint FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()"
        )
        return {name: int(count) for name, count in cursor.fetchall()}


_VARCHAR = re.compile(r"^varchar\((\d+)\)$")


def _in_place_type_changes(
    loader: MigrationLoader, connection: BaseDatabaseWrapper, key: tuple[str, str]
) -> frozenset[tuple[str, str]]:
    """AlterField steps that PostgreSQL does without a rewrite: a ``varchar`` made longer
    or turned into ``text`` (or a type left as it was)."""
    from django.db.migrations.operations import AlterField

    migration = loader.graph.nodes[key]
    if not any(isinstance(op, AlterField) for op in migration.operations):
        return frozenset()
    state = loader.project_state(key, at_end=False)
    safe: set[tuple[str, str]] = set()
    for operation in migration.operations:
        if isinstance(operation, AlterField):
            before: Any = state.apps.get_model(key[0], operation.model_name)
            old = before._meta.get_field(operation.name)
            new_state = state.clone()
            operation.state_forwards(key[0], new_state)
            after: Any = new_state.apps.get_model(key[0], operation.model_name)
            new = after._meta.get_field(operation.name)
            if _widens(old.db_type(connection), new.db_type(connection)):
                safe.add((after._meta.db_table, new.column))
        operation.state_forwards(key[0], state)
    return frozenset(safe)


def _widens(old: str | None, new: str | None) -> bool:
    if old == new:
        return True
    old_size = _VARCHAR.match(old or "")
    if old_size and new == "text":
        return True
    new_size = _VARCHAR.match(new or "")
    return bool(old_size and new_size and int(new_size.group(1)) >= int(old_size.group(1)))
