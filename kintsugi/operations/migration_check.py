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

import re
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps as installed_apps
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from kintsugi.core.migration_safety import Risk, risks

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
    ("search", "0002_index_comments"): "reinstalls the search triggers (comments added) and "
    "rebuilds the index as 0001 does: reads every text table once, writes only search's own "
    "table; no source table is locked beyond the read",
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
        checked.append(Checked(key[0], key[1], found, reviewed.get(key, "") if found else ""))
    return checked


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
