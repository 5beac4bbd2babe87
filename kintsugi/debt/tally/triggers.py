"""Database triggers that log every incident whose debt numbers a write can change.

Triggers, not Django signals: ``QuerySet.update()``, raw SQL, bulk loads and the admin
all write action items, and a tally that missed one of them would show wrong numbers
until the next full count. They are (re)installed after every ``migrate`` because SQLite
drops a table's triggers when Django rebuilds the table to alter it.

Each one inserts ``(team, incident)`` into ``debt_tallylog`` inside the writing
transaction: an insert, so writers never wait for each other or for a page. Pages add
the logged incidents' current numbers to the stored ones; the worker folds them in.

What counts, per action item: status, priority, owner, ticket, target dates, created and
completed times, and the incident it belongs to; per incident: its team, severity and
whether it is restricted; and which services an incident affects. A title edit changes
none of the numbers and is not logged.
"""

# Only this module's constant table and column names are formatted into the SQL.
# ruff: noqa: S608

from __future__ import annotations

from typing import Any

LOG = "debt_tallylog"
ACTION = "postmortems_actionitem"
INCIDENT = "postmortems_incident"
SERVICES = "postmortems_incident_services"

ITEM_COLUMNS = (
    "status",
    "priority",
    "owner_id",
    "due_on",
    "policy_due_on",
    "created_at",
    "completed_at",
    "incident_id",
    "ticket_id",  # "missing an owner, ticket or date" in the weekly review's counts
)
INCIDENT_COLUMNS = ("team_id", "severity", "is_restricted")


def _log_incidents(*incidents: str) -> str:
    """Log the incident(s), each with its current team (distinct rows)."""
    ids = ", ".join(incidents)
    return (
        f"INSERT INTO {LOG} (team_key, incident_id) "
        f"SELECT COALESCE(team_id, 0), id FROM {INCIDENT} WHERE id IN ({ids});"
    )


# An incident's own change: its old team, and its new one when the team changed.
_LOG_OLD_TEAM = (
    f"INSERT INTO {LOG} (team_key, incident_id) VALUES (COALESCE(OLD.team_id, 0), OLD.id);"
)
_LOG_NEW_TEAM = (
    f"INSERT INTO {LOG} (team_key, incident_id) SELECT COALESCE(NEW.team_id, 0), NEW.id "
    "WHERE COALESCE(NEW.team_id, 0) <> COALESCE(OLD.team_id, 0);"
)

# The names of the triggers, and of the previous version's functions (dropped).
_OLD_FUNCTIONS = ("debt_tally_item_changed", "debt_tally_incident_changed")


def changed(columns: tuple[str, ...], distinct: str) -> str:
    """A trigger's condition: one of ``columns`` differs (``IS NOT`` on SQLite, ``IS
    DISTINCT FROM`` on PostgreSQL, so that NULLs compare); shared with Insights."""
    return " OR ".join(f"OLD.{c} {distinct} NEW.{c}" for c in columns)


def pg_trigger(
    name: str, operation: str, table: str, function: str, condition: str = ""
) -> list[str]:
    """A PostgreSQL row trigger, dropped first so that a new version replaces the
    installed one (shared with Insights)."""
    where = f" WHEN ({condition})" if condition else ""
    return [
        f"DROP TRIGGER IF EXISTS {name} ON {table}",
        f"CREATE TRIGGER {name} AFTER {operation} ON {table} FOR EACH ROW{where} "
        f"EXECUTE FUNCTION {function}()",
    ]


def _sqlite() -> list[str]:
    changed_item = changed(ITEM_COLUMNS, "IS NOT")
    changed_incident = changed(INCIDENT_COLUMNS, "IS NOT")
    created = [
        f"CREATE TRIGGER IF NOT EXISTS debt_tally_item_insert AFTER INSERT ON {ACTION} "
        f"BEGIN {_log_incidents('NEW.incident_id')} END",
        f"CREATE TRIGGER IF NOT EXISTS debt_tally_item_update AFTER UPDATE ON {ACTION} "
        f"WHEN {changed_item} BEGIN {_log_incidents('OLD.incident_id', 'NEW.incident_id')} END",
        f"CREATE TRIGGER IF NOT EXISTS debt_tally_item_delete AFTER DELETE ON {ACTION} "
        f"BEGIN {_log_incidents('OLD.incident_id')} END",
        f"CREATE TRIGGER IF NOT EXISTS debt_tally_incident_update AFTER UPDATE ON {INCIDENT} "
        f"WHEN {changed_incident} BEGIN {_LOG_OLD_TEAM} {_LOG_NEW_TEAM} END",
        f"CREATE TRIGGER IF NOT EXISTS debt_tally_incident_delete AFTER DELETE ON {INCIDENT} "
        f"BEGIN {_LOG_OLD_TEAM} END",
        f"CREATE TRIGGER IF NOT EXISTS debt_tally_services_insert AFTER INSERT ON {SERVICES} "
        f"BEGIN {_log_incidents('NEW.incident_id')} END",
        f"CREATE TRIGGER IF NOT EXISTS debt_tally_services_delete AFTER DELETE ON {SERVICES} "
        f"BEGIN {_log_incidents('OLD.incident_id')} END",
    ]
    # Dropped first, so that a new version of a trigger replaces the installed one.
    names = [statement.split()[5] for statement in created]
    return [*(f"DROP TRIGGER IF EXISTS {name}" for name in names), *created]


def _postgresql() -> list[str]:
    def function(name: str, body: str) -> str:
        return (
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {body} RETURN NULL; END $$"
        )

    return [
        function(
            "debt_tally_log_item",
            f"IF TG_OP = 'INSERT' THEN {_log_incidents('NEW.incident_id')} "
            f"ELSIF TG_OP = 'DELETE' THEN {_log_incidents('OLD.incident_id')} "
            f"ELSE {_log_incidents('OLD.incident_id', 'NEW.incident_id')} END IF;",
        ),
        function(
            "debt_tally_log_incident",
            f"{_LOG_OLD_TEAM} IF TG_OP = 'UPDATE' THEN {_LOG_NEW_TEAM} END IF;",
        ),
        *pg_trigger("debt_tally_item_insert", "INSERT", ACTION, "debt_tally_log_item"),
        *pg_trigger(
            "debt_tally_item_update",
            "UPDATE",
            ACTION,
            "debt_tally_log_item",
            changed(ITEM_COLUMNS, "IS DISTINCT FROM"),
        ),
        *pg_trigger("debt_tally_item_delete", "DELETE", ACTION, "debt_tally_log_item"),
        *pg_trigger(
            "debt_tally_incident_update",
            "UPDATE",
            INCIDENT,
            "debt_tally_log_incident",
            changed(INCIDENT_COLUMNS, "IS DISTINCT FROM"),
        ),
        *pg_trigger("debt_tally_incident_delete", "DELETE", INCIDENT, "debt_tally_log_incident"),
        *pg_trigger("debt_tally_services_insert", "INSERT", SERVICES, "debt_tally_log_item"),
        *pg_trigger("debt_tally_services_delete", "DELETE", SERVICES, "debt_tally_log_item"),
        *(f"DROP FUNCTION IF EXISTS {name}()" for name in _OLD_FUNCTIONS),
    ]


def statements(vendor: str) -> list[str]:
    """The SQL that installs the triggers on ``vendor``; idempotent."""
    if vendor == "sqlite":
        return _sqlite()
    if vendor == "postgresql":
        return _postgresql()
    raise NotImplementedError(f"No tally triggers for {vendor}; see docs/debt.md.")


def execute_all(connection: Any, sql: list[str]) -> None:
    """Run trigger statements in order (shared with the Insights facts' triggers)."""
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


def triggers_named(connection: Any, prefix: str) -> set[str]:
    """Names of the triggers whose name starts with ``prefix`` (SQLite or PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [prefix + "%"],
            )
        else:
            cursor.execute(
                "SELECT DISTINCT tgname FROM pg_trigger WHERE tgname LIKE %s", [prefix + "%"]
            )
        return {row[0] for row in cursor.fetchall()}


def install(connection: Any) -> None:
    execute_all(connection, statements(connection.vendor))


def installed(connection: Any) -> set[str]:
    """Names of the tally triggers present in the database (for tests and ``check``)."""
    return triggers_named(connection, "debt_tally_")
