"""Database triggers that log every incident whose Insights facts a write can change.

The debt tally's pattern (``kintsugi/debt/tally/triggers.py``): triggers rather than
Django signals, because ``QuerySet.update()``, raw SQL, bulk loads and the admin all write
these tables. Each trigger inserts the incident's id into ``insights_factlog`` inside the
writing transaction (an insert: writers never wait for each other or for a page). Pages
read the logged incidents' facts live; the ``insights`` command folds them in. They are
(re)installed after every ``migrate``, as SQLite drops a table's triggers when Django
rebuilds the table.
"""

# Only this module's constant table and column names are formatted into the SQL.
# ruff: noqa: S608

from __future__ import annotations

from typing import Any

from kintsugi.debt.tally import triggers as tally_triggers

LOG = "insights_factlog"
INCIDENT = "postmortems_incident"
# Child tables: (table, the columns whose change matters; the incident column is added).
CHILDREN = {
    "postmortems_timelineevent": ("kind", "occurred_at"),
    "postmortems_factor": ("title", "description"),
    "postmortems_actionitem": ("status", "priority", "due_on", "created_at", "completed_at"),
    "postmortems_incident_services": ("service_id",),
}
INCIDENT_COLUMNS = (
    "started_at",
    "ended_at",
    "team_id",
    "severity",
    "status",
    "published_at",
    "is_restricted",  # the per-month sums keep a restricted incident in rows of its own
)
TABLES = (INCIDENT, *CHILDREN)
PREFIX = "insights_facts_"


def _log(expression: str) -> str:
    return f"INSERT INTO {LOG} (incident_id) VALUES ({expression});"


def _name(table: str, operation: str) -> str:
    return f"{PREFIX}{table.removeprefix('postmortems_')}_{operation}"


def _sqlite() -> list[str]:
    created = [
        f"CREATE TRIGGER {_name(INCIDENT, 'insert')} AFTER INSERT ON {INCIDENT} "
        f"BEGIN {_log('NEW.id')} END",
        f"CREATE TRIGGER {_name(INCIDENT, 'update')} AFTER UPDATE ON {INCIDENT} "
        f"WHEN {tally_triggers.changed(INCIDENT_COLUMNS, 'IS NOT')} BEGIN {_log('NEW.id')} END",
        f"CREATE TRIGGER {_name(INCIDENT, 'delete')} AFTER DELETE ON {INCIDENT} "
        f"BEGIN {_log('OLD.id')} END",
    ]
    for table, columns in CHILDREN.items():
        watched = (*columns, "incident_id")
        created += [
            f"CREATE TRIGGER {_name(table, 'insert')} AFTER INSERT ON {table} "
            f"BEGIN {_log('NEW.incident_id')} END",
            f"CREATE TRIGGER {_name(table, 'update')} AFTER UPDATE ON {table} "
            f"WHEN {tally_triggers.changed(watched, 'IS NOT')} "
            f"BEGIN {_log('OLD.incident_id')} {_log('NEW.incident_id')} END",
            f"CREATE TRIGGER {_name(table, 'delete')} AFTER DELETE ON {table} "
            f"BEGIN {_log('OLD.incident_id')} END",
        ]
    names = [statement.split()[2] for statement in created]
    return [*(f"DROP TRIGGER IF EXISTS {name}" for name in names), *created]


def _postgresql() -> list[str]:
    statements = [
        f"CREATE OR REPLACE FUNCTION insights_log_incident() RETURNS trigger LANGUAGE plpgsql "
        f"AS $$ BEGIN IF TG_OP = 'DELETE' THEN {_log('OLD.id')} ELSE {_log('NEW.id')} END IF; "
        f"RETURN NULL; END $$",
        f"CREATE OR REPLACE FUNCTION insights_log_child() RETURNS trigger LANGUAGE plpgsql "
        f"AS $$ BEGIN IF TG_OP <> 'INSERT' THEN {_log('OLD.incident_id')} END IF; "
        f"IF TG_OP <> 'DELETE' THEN {_log('NEW.incident_id')} END IF; RETURN NULL; END $$",
    ]

    def trigger(table: str, operation: str, function: str, condition: str = "") -> list[str]:
        name = _name(table, operation)
        return tally_triggers.pg_trigger(name, operation.upper(), table, function, condition)

    statements += trigger(INCIDENT, "insert", "insights_log_incident")
    statements += trigger(
        INCIDENT,
        "update",
        "insights_log_incident",
        tally_triggers.changed(INCIDENT_COLUMNS, "IS DISTINCT FROM"),
    )
    statements += trigger(INCIDENT, "delete", "insights_log_incident")
    for table, columns in CHILDREN.items():
        watched = (*columns, "incident_id")
        statements += trigger(table, "insert", "insights_log_child")
        statements += trigger(
            table,
            "update",
            "insights_log_child",
            tally_triggers.changed(watched, "IS DISTINCT FROM"),
        )
        statements += trigger(table, "delete", "insights_log_child")
    return statements


def statements(vendor: str) -> list[str]:
    """The SQL that installs the triggers on ``vendor``; idempotent."""
    if vendor == "sqlite":
        return _sqlite()
    if vendor == "postgresql":
        return _postgresql()
    raise NotImplementedError(f"No Insights triggers for {vendor}; see docs/insights.md.")


def install(connection: Any) -> None:
    tally_triggers.execute_all(connection, statements(connection.vendor))


def installed(connection: Any) -> set[str]:
    """Names of the Insights triggers present in the database (for tests)."""
    return tally_triggers.triggers_named(connection, PREFIX)
