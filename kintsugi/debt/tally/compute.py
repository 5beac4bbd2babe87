"""The worker's side of the tally: fold the logged incidents in, recount what needs it.

Only the worker (and ``kintsugi debt-tally --rebuild``) writes the tally; pages read it
and correct it in memory for the incidents logged since (``read``). Each pass, in one
transaction holding the organisation's state row:

- the first time (or after ``debt-tally --rebuild``, or a bulk load): copy every item's
  facts and recount every team;
- on a new UTC day (overdue, at risk, the trend and this week's review move with the
  date): recount every team from the stored facts, after folding the log in;
- otherwise: fold the logged incidents in, as a page corrects the rows but written (what
  their items count for now minus what they counted for), store their facts anew, and
  recount the teams whose at-risk threshold changed or that are new;
- add the organisation's rows up from the teams', delete the log rows it read and bump
  the organisation's ``version``, so that a page that read meanwhile reads again.

A team is recounted from its stored facts with the core's ``Tally`` (about 10,000 items a
team on the bench data, 0.3 s); a fold reads only the logged incidents' items. A write committed after the log was read keeps its log row, so
the next pass (and every page meanwhile) still sees it: nothing is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction

from kintsugi.core.debt.tally import COUNTED, Cell, Tally, TallyDay
from kintsugi.debt.models import TallyLog, TallyRow, TallyState
from kintsugi.debt.selectors.policy import PolicyBook
from kintsugi.debt.tally import facts
from kintsugi.teams.models import Team

# The organisation-wide rows, added up from the teams' rows by each pass, so the
# unfiltered dashboard reads about 300 rows instead of every team's: EVERYTHING for
# people who see every incident, PUBLIC (no restricted incident's items) for everyone
# else, who then add the restricted incidents they may see.
EVERYTHING = -2
PUBLIC = -1
# More logged incidents than this in one pass: recount everything instead (a bulk load).
FOLD_LIMIT = 2000


def corrected_cell(
    stored: Cell, removed: Cell, added: Cell, oldest_elsewhere: Callable[[], datetime | None]
) -> Cell:
    """A stored cell with some items' old contributions taken out and their new ones added:
    what a page shows (in memory) and what a worker pass writes.

    Counts subtract; a minimum does not. When the stored oldest open item may be one taken
    out (and no added item is at least as old), ``oldest_elsewhere`` gives the oldest open
    among the items not taken out (a query; rare).
    """
    values = [
        a + b - c for a, b, c in zip(stored.values, added.values, removed.values, strict=True)
    ]
    oldest = stored.oldest_open
    taken = removed.oldest_open is not None and oldest is not None and removed.oldest_open <= oldest
    if taken and (added.oldest_open is None or added.oldest_open > oldest):
        oldest = oldest_elsewhere()
    if added.oldest_open is not None and (oldest is None or added.oldest_open < oldest):
        oldest = added.oldest_open
    return Cell(values=values, oldest_open=oldest if values[0] else None)


def at_risk_days(team_key: int, book: PolicyBook) -> int:
    return book.for_team(team_key or None).at_risk_days


def is_fresh(state: TallyState | None, today: date, book: PolicyBook) -> bool:
    """Counted for today with the team's threshold (the log is read on top of it)."""
    return (
        state is not None
        and state.computed_for == today
        and state.at_risk_days == at_risk_days(state.team_key, book)
    )


def all_team_keys() -> list[int]:
    return [0, *Team.objects.order_by("pk").values_list("pk", flat=True)]


def _team_rows(team_key: int, day: TallyDay, book: PolicyBook) -> list[tuple[Any, ...]]:
    """One team's rows from its stored facts, as ``_insert_rows`` takes them."""
    threshold = at_risk_days(team_key, book)  # a team's items share it (asked 20,000 times)
    tally = Tally().count(facts.stored_facts(team_key=team_key), day, lambda _key: threshold)
    adapt = connection.ops.adapt_datetimefield_value
    return [
        (team, scope, dimension, key, *cell.values, adapt(cell.oldest_open))
        for (team, scope, dimension, key), cell in tally.cells.items()
        if any(cell.values)
    ]


ROW_COLUMNS = ("team_key", "incident_id", "dimension", "key", *COUNTED, "oldest_open")


def _insert_rows(rows: list[tuple[Any, ...]]) -> None:
    """Insert stored rows (``ROW_COLUMNS``, values adapted for the database) in one
    ``executemany``: Django's ``bulk_create`` prepared each of a recount's 16,000 rows'
    fourteen values in Python, a sixth of the recount."""
    if not rows:
        return
    q = connection.ops.quote_name
    columns = ", ".join(q(name) for name in ROW_COLUMNS)
    marks = ", ".join(["%s"] * len(ROW_COLUMNS))
    table = q(TallyRow._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608


def _recount(team_keys: set[int], *, day: TallyDay, book: PolicyBook, now: datetime) -> None:
    for key in sorted(team_keys):
        TallyRow.objects.filter(team_key=key).delete()
        _insert_rows(_team_rows(key, day, book))
        TallyState.objects.update_or_create(
            team_key=key,
            defaults={
                "computed_for": day.today,
                "at_risk_days": at_risk_days(key, book),
                "computed_at": now,
            },
        )


def _rebuild_organisation() -> None:
    q = connection.ops.quote_name
    table = q(TallyRow._meta.db_table)
    names = [q(name) for name in COUNTED]
    sums = ", ".join(f"SUM({name})" for name in names)
    columns = ", ".join(["team_key", "incident_id", "dimension", q("key"), *names, "oldest_open"])
    select = (
        f"SELECT %s, CAST(NULL AS BIGINT), dimension, {q('key')}, {sums}, MIN(oldest_open) "  # noqa: S608
        f"FROM {table} WHERE team_key >= 0 {{only_public}} GROUP BY dimension, {q('key')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE team_key < 0")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {table} ({columns}) "  # noqa: S608
            f"{select.format(only_public='')} UNION ALL "
            f"{select.format(only_public='AND incident_id IS NULL')}",
            [EVERYTHING, PUBLIC],
        )


def _delete_log(ids: list[int]) -> None:
    for start in range(0, len(ids), 500):
        TallyLog.objects.filter(pk__in=ids[start : start + 500]).delete()


def _fold(incidents: list[int], *, skip: set[int], day: TallyDay, book: PolicyBook) -> set[int]:
    """Fold the logged incidents into the stored rows: what their items count for now
    minus what they counted for when stored (as a page does, but written), and store
    their facts anew. Teams in ``skip`` are recounted whole afterwards. The teams changed."""
    then = facts.stored_facts(incident_ids=incidents)
    for start in range(0, len(incidents), 500):
        facts.copy_live(incidents[start : start + 500])
    now = facts.stored_facts(incident_ids=incidents)

    def threshold(key: int) -> int:
        return at_risk_days(key, book)

    removed = Tally().count([i for i in then if i.team_key not in skip], day, threshold)
    added = Tally().count([i for i in now if i.team_key not in skip], day, threshold)
    cells = set(removed.cells) | set(added.cells)
    teams = {team for team, _scope, _dimension, _key in cells}
    stored = {
        (row.team_key, row.incident_id, row.dimension, row.key): row
        for row in TallyRow.objects.filter(team_key__in=teams)
    }
    changed, gone = [], []
    for cell_key in cells:
        team, scope, dimension, key = cell_key
        row = stored.get(cell_key) or TallyRow(
            team_key=team, incident_id=scope, dimension=dimension, key=key
        )
        cell = corrected_cell(
            Cell(values=[getattr(row, name) for name in COUNTED], oldest_open=row.oldest_open),
            removed.cells.get(cell_key, Cell()),
            added.cells.get(cell_key, Cell()),
            # The facts are stored anew above: the stored oldest is the rest's and theirs.
            lambda: facts.oldest_open_stored(team, scope, dimension, key),  # noqa: B023
        )
        for name, value in zip(COUNTED, cell.values, strict=True):
            setattr(row, name, value)
        row.oldest_open = cell.oldest_open
        if any(cell.values):
            changed.append(row)
        elif row.pk is not None:
            gone.append(row.pk)
    TallyRow.objects.filter(pk__in=gone).delete()
    TallyRow.objects.bulk_update(
        [row for row in changed if row.pk is not None], [*COUNTED, "oldest_open"], batch_size=500
    )
    TallyRow.objects.bulk_create([row for row in changed if row.pk is None], batch_size=500)
    return teams


def refresh_all(*, today: date, book: PolicyBook, now: datetime) -> list[int]:
    """The worker's pass; the teams whose rows changed (none when nothing changed)."""
    keys = all_team_keys()
    day = TallyDay.of(today)
    with transaction.atomic():
        TallyState.objects.bulk_create([TallyState(team_key=EVERYTHING)], ignore_conflicts=True)
        org = TallyState.objects.select_for_update().get(team_key=EVERYTHING)
        logged = list(TallyLog.objects.order_by("pk").values_list("pk", "team_key", "incident_id"))
        states = {state.team_key: state for state in TallyState.objects.filter(team_key__gte=0)}
        gone = set(states) - set(keys)
        folded: set[int] = set()
        if org.computed_for is None or len(logged) > FOLD_LIMIT:
            facts.copy_live(None)  # never counted, a rebuild asked for, or a bulk load
            recount = set(keys)
        else:
            # A new day recounts every team from the stored facts (they do not change
            # with the date); the logged incidents' facts are stored anew first.
            new_day = org.computed_for != today
            recount = {key for key in keys if new_day or not is_fresh(states.get(key), today, book)}
            incidents = sorted({incident for _pk, _team, incident in logged})
            folded = _fold(incidents, skip=recount, day=day, book=book) & set(keys)
        if not (logged or recount or gone):
            return []
        TallyRow.objects.filter(team_key__in=gone).delete()
        TallyState.objects.filter(team_key__in=gone).delete()
        _recount(recount, day=day, book=book, now=now)
        _rebuild_organisation()
        _delete_log([pk for pk, _team, _incident in logged])
        TallyState.objects.filter(team_key=EVERYTHING).update(
            version=org.version + 1, computed_for=today, computed_at=now
        )
    return sorted(recount | folded)
