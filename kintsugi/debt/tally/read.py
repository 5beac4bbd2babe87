"""The debt dashboard and this week's review counts read from the tally, without writing.

A page reads the stored rows (a few hundred), the incidents logged since the worker's
last pass, and those incidents' items twice: as the stored rows counted them and as they
are now. It subtracts the first and adds the second (``core.debt.tally``), so the numbers
are those of the live items without recounting them and without taking a lock. No
statement here writes; the worker (``compute``) folds the log in.

The reads are three statements: the teams' states, the stored rows, and everything logged
(the incidents, their stored and live items and services, which of them the reader may
not see: ``facts.logged_facts``, one statement where there were seven). The last two each
read the organisation's ``version``; a worker pass that lands between them changes it, and
a page that corrects the rows reads again (it never mixes two passes' rows and log).
When the tally is not usable (not counted today or with another at-risk threshold,
because no worker ran, or more than ``READ_LIMIT`` incidents logged since its last pass)
the caller falls back to the live aggregate, which also reads only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Min, Q, QuerySet, Sum

from kintsugi.accounts.models import User
from kintsugi.core.debt.dashboard import GroupBy, worst_first
from kintsugi.core.debt.tally import (
    COUNTED,
    OPENED_IN_WEEK,
    TREND_WEEKS,
    Cell,
    ItemFacts,
    Tally,
    TallyDay,
)
from kintsugi.core.debt.weekly_review import SectionKey
from kintsugi.debt.models import TallyItem, TallyRow, TallyState
from kintsugi.debt.selectors.dashboard import Counts, Dashboard, Row, counts_of, oldest_open
from kintsugi.debt.selectors.dashboard import trend_points as _trend_points
from kintsugi.debt.selectors.policy import PolicyBook
from kintsugi.debt.tally import facts
from kintsugi.debt.tally.compute import (
    EVERYTHING,
    PUBLIC,
    all_team_keys,
    at_risk_days,
    corrected_cell,
    is_fresh,
)
from kintsugi.django_internals import compiled_sql
from kintsugi.postmortems import access
from kintsugi.postmortems.models import ActionItem, Incident
from kintsugi.teams.models import Service, Team

# More incidents logged since the worker's last pass than this: read the live aggregate.
READ_LIMIT = 300
ATTEMPTS = 3
DASHBOARD_DIMENSIONS = ("all", "owner", "severity", "service", "trend")
CellMap = dict[tuple[str, str], Cell]


def _visible_rows(
    user: User, team_keys: list[int], everyone: bool, hidden: QuerySet[Incident] | None
) -> QuerySet[TallyRow]:
    """The rows to add up: the organisation's when every team is asked for, else the teams'.

    People who see every incident read the rows with everything in; everyone else reads
    the rows without restricted incidents and adds those they may see, one by one.
    ``hidden`` is ``access.hidden_incidents(user)`` when ``user`` may not see everything,
    built once by the caller (building it is a tenth of the page's CPU time).
    """
    seen = access.sight(user)
    if seen is access.Sight.NOTHING:
        return TallyRow.objects.none()
    if seen is access.Sight.EVERYTHING:  # visible_incidents filters nothing for them
        if everyone:
            return TallyRow.objects.filter(team_key=EVERYTHING)
        return TallyRow.objects.filter(team_key__in=team_keys)
    if hidden is None:
        hidden = access.hidden_incidents(user)
    mine = Q(team_key__in=team_keys, incident_id__isnull=False) & ~Q(
        incident_id__in=hidden.values("pk")
    )
    if everyone:
        return TallyRow.objects.filter(Q(team_key=PUBLIC) | mine)
    return TallyRow.objects.filter(Q(team_key__in=team_keys, incident_id__isnull=True) | mine)


def _stored(
    user: User,
    team_keys: list[int],
    everyone: bool,
    dimensions: tuple[str, ...],
    hidden: QuerySet[Incident] | None = None,
) -> tuple[CellMap, int | None]:
    """The stored rows summed per (dimension, key); the key of ``all`` is the team. And
    the organisation's ``version`` in the same statement, so that the caller knows which
    pass's rows these are.

    Summed by the database and read from the cursor (about 300 rows): through the ORM,
    its per-value converters cost ten times the query (10 ms of the dashboard's 45)."""
    found = (
        _visible_rows(user, team_keys, everyone, hidden)
        .filter(dimension__in=dimensions)
        .values_list("dimension", "key")
        .annotate(*(Sum(name) for name in COUNTED), Min("oldest_open"))
        .order_by()
    )
    sql, params = compiled_sql(found)
    state = connection.ops.quote_name(TallyState._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT v.version, s.* FROM {state} v LEFT JOIN ({sql}) s ON 1 = 1 "  # noqa: S608
            "WHERE v.team_key = %s",
            [*params, EVERYTHING],
        )
        rows = cursor.fetchall()
    version = int(rows[0][0]) if rows else None
    cells = {
        (dimension, key): Cell(
            values=[int(value or 0) for value in sums], oldest_open=facts.moment_of(oldest)
        )
        for _version, dimension, key, *sums, oldest in rows
        if dimension is not None
    }
    return cells, version


@dataclass
class _Scope:
    """Whose numbers: the teams asked for, and which restricted incidents are hidden."""

    user: User
    team_keys: list[int]
    everyone: bool
    hidden: set[int]

    def counts(self, item: ItemFacts) -> bool:
        if not self.everyone and item.team_key not in self.team_keys:
            return False
        return item.scope is None or item.scope not in self.hidden


def _grouped(tally: Tally, dimensions: tuple[str, ...]) -> CellMap:
    grouped: CellMap = {}
    for (_team, _scope, dimension, key), cell in tally.cells.items():
        if dimension not in dimensions:
            continue
        into = grouped.setdefault((dimension, key), Cell())
        into.values = [a + b for a, b in zip(into.values, cell.values, strict=True)]
        if cell.oldest_open is not None and (
            into.oldest_open is None or cell.oldest_open < into.oldest_open
        ):
            into.oldest_open = cell.oldest_open
    return grouped


def _oldest_elsewhere(scope: _Scope, logged: list[int], dimension: str, key: str) -> Any:
    """The oldest open item of one cell among the stored facts of the incidents not
    logged: needed only when a logged item was the cell's oldest. Rare."""
    items = TallyItem.objects.exclude(incident_id__in=logged)
    if not scope.everyone:
        items = items.filter(team_key__in=scope.team_keys)
    if access.sight(scope.user) is not access.Sight.EVERYTHING:
        hidden = access.hidden_incidents(scope.user).values("pk")
        items = items.exclude(restricted=True, incident_id__in=hidden)
    return facts.oldest_open_in(items, dimension, key)


def _corrected(
    stored: CellMap, removed: CellMap, added: CellMap, scope: _Scope, logged: list[int]
) -> CellMap:
    """Stored + added - removed, for the cells the logged incidents' items touch (the rest
    as stored); empty cells dropped (as a live count has no group without items)."""

    def shown(cell_key: tuple[str, str], cell: Cell) -> bool:
        return not cell.is_empty or cell_key[0] in ("trend", "review")

    result: CellMap = {key: cell for key, cell in stored.items() if shown(key, cell)}
    for cell_key in {*removed, *added}:
        cell = corrected_cell(
            stored.get(cell_key, Cell()),
            removed.get(cell_key, Cell()),
            added.get(cell_key, Cell()),
            lambda: _oldest_elsewhere(scope, logged, *cell_key),  # noqa: B023 - called at once
        )
        if shown(cell_key, cell):
            result[cell_key] = cell
        else:
            result.pop(cell_key, None)
    return result


def read_cells(
    user: User,
    team_keys: list[int] | None,
    *,
    today: date,
    book: PolicyBook,
    dimensions: tuple[str, ...],
) -> CellMap | None:
    """The corrected cells of the teams in ``team_keys`` (None: every team) as ``user``
    may see them; None when the tally is not usable (the caller reads the live aggregate
    then)."""
    everyone = team_keys is None
    keys = all_team_keys() if team_keys is None else team_keys
    # Everyone but admins may have restricted incidents hidden among the logged ones.
    hidden = None
    if access.sight(user) is not access.Sight.EVERYTHING:
        hidden = access.hidden_incidents(user)
    for _attempt in range(ATTEMPTS):
        states = {
            state.team_key: state
            for state in TallyState.objects.filter(team_key__in=[EVERYTHING, *keys])
        }
        org = states.get(EVERYTHING)
        if org is None or org.computed_for != today:
            return None
        if not all(is_fresh(states.get(key), today, book) for key in keys):
            return None
        logged = facts.logged_facts(
            None if everyone else keys, limit=READ_LIMIT, hidden=hidden, state_key=EVERYTHING
        )
        if logged is None:
            return None
        stored, version = _stored(user, keys, everyone, dimensions, hidden)
        scope = _Scope(user, keys, everyone, logged.hidden)
        day = TallyDay.of(today)

        def threshold(key: int) -> int:
            return at_risk_days(key, book)

        removed = Tally().count([i for i in logged.then if scope.counts(i)], day, threshold)
        added = Tally().count([i for i in logged.now if scope.counts(i)], day, threshold)
        cells = _corrected(
            stored,
            _grouped(removed, dimensions),
            _grouped(added, dimensions),
            scope,
            logged.incident_ids,
        )
        if not logged.incident_ids:
            # Nothing to correct: the rows alone are one pass's sums, whichever pass.
            return cells
        # The rows, the log and the facts of one pass: no pass landed between the reads.
        if version == logged.version == org.version:
            return cells
    return None


Labels = dict[str, tuple[str | None, str]]
# The groups whose keys are ids, and the table and columns their labels are read from.
_LABELLED = {
    GroupBy.TEAM: (Team, ("slug", "name", "name")),
    GroupBy.OWNER: (User, ("username", "first_name", "last_name")),
    GroupBy.SERVICE: (Service, ("slug", "name", "name")),
}


def _labels(keys: dict[GroupBy, set[str]]) -> dict[GroupBy, Labels]:
    """``{group: {tally key: (page key, label)}}``: slugs and usernames link, ids do not.

    The teams, owners and services are read in one statement, from the cursor: three
    ORM queries cost a sixth of the dashboard's CPU time."""
    q = connection.ops.quote_name
    branches, params = [], []
    for group, (model, (link, first, last)) in _LABELLED.items():
        ids = sorted({int(key) for key in keys.get(group, ()) if key.isdigit()})
        if not ids:
            continue
        marks = ", ".join(["%s"] * len(ids))
        branches.append(
            f"SELECT '{group.value}', id, {q(link)}, {q(first)}, {q(last)} "  # noqa: S608
            f"FROM {q(model._meta.db_table)} WHERE id IN ({marks})"  # an enum's value, names
        )
        params += ids
    rows: list[tuple[Any, ...]] = []
    if branches:
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(branches), params)
            rows = cursor.fetchall()
    found: dict[GroupBy, Labels] = {}
    for group in GroupBy:
        labels: Labels = {"": (None, group.none_label)}
        if group is GroupBy.TEAM:
            labels["0"] = (None, group.none_label)
        if group not in _LABELLED:
            labels.update({key: (key, key) for key in keys.get(group, ())})
        found[group] = labels
    for group_value, pk, link, first, last in rows:
        group = GroupBy(group_value)
        if group is GroupBy.OWNER:  # first and last names; the username without them
            found[group][str(pk)] = (link, f"{first} {last}".strip() or link)
        else:
            found[group][str(pk)] = (link, first)
    return found


def _named(cell: Cell) -> dict[str, Any]:
    named: dict[str, Any] = dict(zip(COUNTED, cell.values, strict=True))
    named["oldest_open"] = cell.oldest_open
    return named


def tally_dashboard(
    user: User,
    items: QuerySet[ActionItem],
    *,
    team_keys: list[int] | None,
    today: date,
    book: PolicyBook,
) -> Dashboard | None:
    """The dashboard of the teams in ``team_keys`` (0: no team; None: every team) as
    ``user`` may see it, or None when the tally is not usable.

    ``items`` are the same items, visible and filtered, for the oldest-items list (a
    ``LIMIT`` query). Constant work in the data size: when every team is asked for, the
    organisation's rows are read instead of each team's.
    """
    cells = read_cells(user, team_keys, today=today, book=book, dimensions=DASHBOARD_DIMENSIONS)
    if cells is None:
        return None
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for (dimension, key), cell in cells.items():
        found.setdefault(dimension, {})[key] = _named(cell)
    dimensions = {
        GroupBy.TEAM: "all",
        GroupBy.OWNER: "owner",
        GroupBy.SEVERITY: "severity",
        GroupBy.SERVICE: "service",
    }
    labels_of = _labels({group: set(found.get(dimensions[group], {})) for group in GroupBy})
    groups = {}
    for group in GroupBy:
        cells_of = found.get(dimensions[group], {})
        labels = labels_of[group]
        groups[group] = worst_first(
            group,
            [
                Row(*labels.get(key, (None, "(deleted)")), counts_of(counts, today))
                for key, counts in cells_of.items()
            ],
        )
    teams = found.get("all", {})
    total = _total(list(teams.values()), today)
    trend = found.get("trend", {})
    counts = (
        [trend.get(str(i), {}).get("open", 0) for i in range(TREND_WEEKS)],
        [trend.get(str(i), {}).get("overdue", 0) for i in range(TREND_WEEKS)],
    )
    return Dashboard(
        today=today,
        total=total,
        groups=groups,
        trend=_trend_points(today, TREND_WEEKS, counts),
        oldest=oldest_open(items),
        extra={"source": "tally"},
    )


def _total(rows: list[dict[str, Any]], today: date) -> Counts:
    if not rows:
        return Counts()
    summed: dict[str, Any] = {name: sum(row[name] for row in rows) for name in COUNTED}
    oldest = [row["oldest_open"] for row in rows if row["oldest_open"] is not None]
    summed["oldest_open"] = min(oldest) if oldest else None
    return counts_of(summed, today)


def weekly_review_counts(
    user: User,
    *,
    today: date,
    book: PolicyBook,
    team_keys: list[int] | None = None,
) -> tuple[dict[SectionKey, int], int] | None:
    """This week's review as ``user`` may see it, for the teams in ``team_keys`` (None:
    every team): each section's size and the number of items opened this week
    (``weekly_review_page(counted=...)``); None when the tally is not usable."""
    cells = read_cells(user, team_keys, today=today, book=book, dimensions=("review",))
    if cells is None:
        return None
    found = {key: cell.values[0] for (_dimension, key), cell in cells.items()}
    return {key: found.get(key.value, 0) for key in SectionKey}, found.get(OPENED_IN_WEEK, 0)
