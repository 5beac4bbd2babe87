"""The facts the tally counts, read from the live tables or from the stored copy.

The stored copy (``TallyItem``, ``TallyService``) is what the stored rows were counted
from; the live tables are what a page must show. Both are turned into the same
``ItemFacts``, so one function (``core.debt.tally.contributions``) counts both.
"""

# Only this module's model table and column names are formatted into the SQL.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from kintsugi.core.debt.tally import OPEN_STATUSES, ItemFacts
from kintsugi.debt.models import TallyItem, TallyLog, TallyService, TallyState
from kintsugi.django_internals import compiled_sql
from kintsugi.postmortems.models import ActionItem, Incident

LIVE_FIELDS = (
    "pk",
    "incident_id",
    "incident__team_id",
    "incident__is_restricted",
    "owner_id",
    "incident__severity",
    "status",
    "priority",
    "due_on",
    "policy_due_on",
    "created_at",
    "completed_at",
    "ticket_id",
)
STORED_FIELDS = (
    "item_id",
    "incident_id",
    "team_key",
    "restricted",
    "owner_id",
    "severity",
    "status",
    "priority",
    "due_on",
    "policy_due_on",
    "created_at",
    "completed_at",
    "has_ticket",
)
THROUGH = Incident.services.through


def _services(pairs: Iterable[tuple[int, int]]) -> dict[int, tuple[int, ...]]:
    found: dict[int, list[int]] = {}
    for incident_id, service_id in pairs:
        found.setdefault(incident_id, []).append(service_id)
    return {incident_id: tuple(sorted(ids)) for incident_id, ids in found.items()}


def _facts(row: tuple[Any, ...], services: dict[int, tuple[int, ...]]) -> ItemFacts:
    item, incident, team, restricted, owner, severity, *rest = row
    status, priority, due_on, policy_due_on, created_at, completed_at, ticket = rest
    return ItemFacts(
        item_id=item,
        incident_id=incident,
        team_key=team or 0,
        restricted=bool(restricted),
        owner_id=owner,
        severity=severity,
        services=services.get(incident, ()),
        status=status,
        priority=priority,
        due_on=due_on,
        policy_due_on=policy_due_on,
        created_at=created_at,
        completed_at=completed_at,
        has_ticket=bool(ticket),
    )


def live_facts(incident_ids: list[int]) -> list[ItemFacts]:
    """The items of these incidents as they are now (two queries)."""
    if not incident_ids:
        return []
    rows = (
        ActionItem.objects.filter(incident_id__in=incident_ids).order_by().values_list(*LIVE_FIELDS)
    )
    pairs = THROUGH.objects.filter(incident_id__in=incident_ids).values_list(
        "incident_id", "service_id"
    )
    services = _services(pairs)
    return [_facts(row, services) for row in rows]


def stored_facts(
    *, incident_ids: list[int] | None = None, team_key: int | None = None
) -> list[ItemFacts]:
    """The items as the stored rows counted them: of some incidents, or of one team."""
    items: QuerySet[TallyItem] = TallyItem.objects.order_by()
    links: QuerySet[TallyService] = TallyService.objects.order_by()
    if incident_ids is not None:
        if not incident_ids:
            return []
        items = items.filter(incident_id__in=incident_ids)
        links = links.filter(incident_id__in=incident_ids)
    if team_key is not None:
        items = items.filter(team_key=team_key)
        links = links.filter(incident_id__in=items.values("incident_id"))
    services = _services(links.values_list("incident_id", "service_id"))
    return [_facts(_parsed(row), services) for row in _raw_rows(items)]


def _raw_rows(items: QuerySet[TallyItem]) -> list[tuple[Any, ...]]:
    """The rows as the driver gives them: the worker reads 200,000 of these a day, and
    Django's per-value converters (a regular expression per SQLite timestamp) were most
    of the time; ``_parsed`` reads the same text with ``fromisoformat``."""
    sql, params = compiled_sql(items.values_list(*STORED_FIELDS))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def moment_of(value: Any) -> datetime | None:
    """A timestamp as the driver gives it (text on SQLite), aware in UTC."""
    if value is not None and not isinstance(value, datetime):
        value = datetime.fromisoformat(str(value))
    return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _parsed(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A stored row in the types ``_facts`` expects, on SQLite (text) and PostgreSQL."""
    item, incident, team, restricted, owner, severity, status, priority, *rest = row
    due_on, policy_due_on, created_at, completed_at, has_ticket = rest
    return (
        item,
        incident,
        team,
        restricted,
        owner,
        severity,
        status,
        priority,
        _day(due_on),
        _day(policy_due_on),
        moment_of(created_at),
        moment_of(completed_at),
        has_ticket,
    )


def copy_live(incident_ids: list[int] | None) -> None:
    """Replace the stored facts of these incidents (None: of every item) by the live
    ones, in two statements each way: the database copies, Python never sees the rows."""
    q = connection.ops.quote_name
    stored, links = q(TallyItem._meta.db_table), q(TallyService._meta.db_table)
    action, incident = q(ActionItem._meta.db_table), q(Incident._meta.db_table)
    through = q(THROUGH._meta.db_table)
    only, params = "", []
    if incident_ids is not None:
        if not incident_ids:
            return
        marks = ", ".join(["%s"] * len(incident_ids))
        only, params = f" WHERE incident_id IN ({marks})", list(incident_ids)
    columns = ", ".join(q(name) for name in STORED_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {stored}{only}", params)
        cursor.execute(f"DELETE FROM {links}{only}", params)
        cursor.execute(
            f"INSERT INTO {stored} ({columns}) "
            "SELECT a.id, a.incident_id, COALESCE(i.team_id, 0), i.is_restricted, a.owner_id, "
            "i.severity, a.status, a.priority, a.due_on, a.policy_due_on, a.created_at, "
            "a.completed_at, a.ticket_id <> '' "
            f"FROM {action} a JOIN {incident} i ON i.id = a.incident_id"
            + only.replace("incident_id", "a.incident_id"),
            params,
        )
        cursor.execute(
            f"INSERT INTO {links} (incident_id, service_id) "
            f"SELECT incident_id, service_id FROM {through}{only}",
            params,
        )


def oldest_open_in(items: QuerySet[TallyItem], dimension: str, key: str) -> Any:
    """The creation time of the oldest open item of one cell among stored ``items``
    (walks the creation-time index): a minimum cannot be corrected by subtraction."""
    items = items.filter(status__in=OPEN_STATUSES)
    if dimension == "all":
        items = items.filter(team_key=int(key))
    elif dimension == "owner":
        items = items.filter(owner_id=int(key)) if key else items.filter(owner_id__isnull=True)
    elif dimension == "severity":
        items = items.filter(severity=key)
    elif key:
        linked = TallyService.objects.filter(service_id=int(key)).values("incident_id")
        items = items.filter(incident_id__in=linked)
    else:
        items = items.exclude(incident_id__in=TallyService.objects.values("incident_id"))
    return items.order_by("created_at").values_list("created_at", flat=True).first()


def oldest_open_stored(team_key: int, scope: int | None, dimension: str, key: str) -> Any:
    """``oldest_open_in`` for one stored row (a team, and a restricted incident or none)."""
    items = TallyItem.objects.filter(team_key=team_key)
    if scope is None:
        items = items.filter(restricted=False)
    else:
        items = items.filter(incident_id=scope, restricted=True)
    return oldest_open_in(items, dimension, key)


@dataclass
class Logged:
    """What a page corrects the stored rows with, read in one statement (``logged_facts``)."""

    incident_ids: list[int]  # the incidents logged since the last pass (in scope)
    then: list[ItemFacts]  # their items as the stored rows counted them
    now: list[ItemFacts]  # and as they are now
    hidden: set[int]  # those of them the reader may not see (when asked)
    version: int | None  # the organisation's state ``version`` the statement saw


def logged_facts(
    team_keys: list[int] | None,
    *,
    limit: int,
    hidden: QuerySet[Incident] | None,
    state_key: int,
) -> Logged | None:
    """The logged incidents of ``team_keys`` (None: every team), their stored and live
        items and services, which of them ``hidden`` holds, and the ``version`` of the state
    row ``state_key`` (the organisation's):
        one statement instead of seven, so the figures of one moment and one round trip.

        None when more than ``limit`` incidents are logged (the caller reads the live aggregate;
        the statement reads at most ``limit + 1`` of them, so its cost is bounded too).
    """
    q = connection.ops.quote_name
    log, state = q(TallyLog._meta.db_table), q(TallyState._meta.db_table)
    stored, links = q(TallyItem._meta.db_table), q(TallyService._meta.db_table)
    action, incident = q(ActionItem._meta.db_table), q(Incident._meta.db_table)
    through = q(THROUGH._meta.db_table)
    params: list[Any] = []
    where = ""
    if team_keys is not None:
        where = (
            f" WHERE team_key IN ({', '.join(['%s'] * len(team_keys))})"
            if team_keys
            else (" WHERE 1 = 0")
        )
        params += team_keys
    params += [limit + 1, state_key]
    pad = ", NULL" * (len(STORED_FIELDS) - 1)
    stored_columns = ", ".join(f"s.{q(name)}" for name in STORED_FIELDS)
    in_logged = "IN (SELECT incident_id FROM logged)"
    # The two fully typed branches first: PostgreSQL types a chain of UNIONs pair by pair,
    # and two NULL columns met first would be typed as text.
    branches = [
        f"SELECT 'S', {stored_columns} FROM {stored} s WHERE s.incident_id {in_logged}",
        "SELECT 'L', a.id, a.incident_id, i.team_id, i.is_restricted, a.owner_id, i.severity, "
        "a.status, a.priority, a.due_on, a.policy_due_on, a.created_at, a.completed_at, "
        f"a.ticket_id <> '' FROM {action} a JOIN {incident} i ON i.id = a.incident_id "
        f"WHERE a.incident_id {in_logged}",
        f"SELECT 'G', incident_id{pad} FROM logged",
        f"SELECT 'V', version{pad} FROM {state} WHERE team_key = %s",
        f"SELECT 's', incident_id, service_id{pad[6:]} FROM {links} WHERE incident_id {in_logged}",
        f"SELECT 'l', incident_id, service_id{pad[6:]} FROM {through} WHERE incident_id {in_logged}",
    ]
    if hidden is not None:
        hidden_sql, hidden_params = compiled_sql(hidden.values("pk"))
        branches.append(
            f"SELECT 'H', id{pad} FROM {incident} WHERE is_restricted AND id {in_logged} "
            f"AND id IN ({hidden_sql})"
        )
        params += hidden_params
    sql = (
        f"WITH logged AS (SELECT DISTINCT incident_id FROM {log}{where} "
        "ORDER BY incident_id LIMIT %s) " + " UNION ALL ".join(branches)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found: dict[str, list[tuple[Any, ...]]] = {}
    for kind, *row in rows:
        found.setdefault(kind, []).append(tuple(row))
    ids = sorted(int(row[0]) for row in found.get("G", []))
    if len(ids) > limit:
        return None
    versions = [row[0] for row in found.get("V", [])]
    then_services = _services((row[0], row[1]) for row in found.get("s", []))
    now_services = _services((row[0], row[1]) for row in found.get("l", []))
    return Logged(
        incident_ids=ids,
        then=[_facts(_parsed(row), then_services) for row in found.get("S", [])],
        now=[_facts(_parsed(row), now_services) for row in found.get("L", [])],
        hidden={int(row[0]) for row in found.get("H", [])},
        version=int(versions[0]) if versions else None,
    )
