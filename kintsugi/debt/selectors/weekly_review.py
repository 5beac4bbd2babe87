"""The weekly review agenda from stored items: SQL narrows the rows, the core decides.

Only the rows that can appear are loaded (open at the end of the week, or created or
closed during it); ``kintsugi.core.debt.weekly_review.build_weekly_review`` then sorts them into
sections exactly as documented, so the page, the Markdown, the email and Slack agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from kintsugi.core.debt.weekly_review import (
    SectionKey,
    WeeklyReview,
    build_weekly_review,
    summary_line,
)
from kintsugi.core.debt.weeks import IsoWeek
from kintsugi.debt.selectors.expressions import OPEN_STATUSES, at_risk_window, is_open
from kintsugi.debt.selectors.policy import PolicyBook
from kintsugi.debt.selectors.snapshots import action_snapshots
from kintsugi.django_internals import compiled_sql
from kintsugi.postmortems.models import ActionItem
from kintsugi.teams.models import Team


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def weekly_review_candidates(items: QuerySet[ActionItem], week: IsoWeek, today: date) -> QuerySet:
    """Rows that may appear on the agenda of ``week`` seen from ``today``.

    Open at the end of the week (still open, or closed after it), or created or closed
    during the week; a closed item without a closing time counts as closed on its creation
    day, as in the core.
    """
    as_of = min(today, week.sunday)
    end = _midnight(as_of + timedelta(days=1))
    start = _midnight(week.monday)
    return items.filter(
        Q(created_at__lt=end)
        & (
            is_open()
            | Q(completed_at__gte=start)
            | Q(completed_at__isnull=True, created_at__gte=start)
        )
    )


def weekly_review(
    items: QuerySet[ActionItem],
    *,
    week: IsoWeek,
    today: date,
    book: PolicyBook,
    team: Team | None = None,
    base_url: str = "",
) -> WeeklyReview:
    """The agenda for already visible ``items``, for one team or everyone (four queries)."""
    if team is not None:
        items = items.filter(incident__team=team)
    snapshots = action_snapshots(
        weekly_review_candidates(items, week, today),
        book=book,
        base_url=base_url,
    )
    return build_weekly_review(
        snapshots, week=week, today=today, team=team.name if team is not None else None
    )


def week_bounds(week: IsoWeek, today: date) -> tuple[date, datetime, datetime]:
    """The agenda's day, and the first and the last instant (exclusive) of its week in UTC."""
    as_of = min(today, week.sunday)
    return as_of, _midnight(week.monday), _midnight(as_of + timedelta(days=1))


def section_conditions(week: IsoWeek, today: date, book: PolicyBook) -> dict[SectionKey, Q]:
    """The SQL twin of ``agenda._section_for``: each item in the first section that applies.

    Seen as of the end of the week (or today): "open then" is created by then and not
    closed by then (a closed item without a closing time closed on its creation day).
    """
    as_of, start, end = week_bounds(week, today)
    existed = Q(created_at__lt=end)
    open_then = existed & (is_open() | Q(completed_at__gte=end))
    overdue = open_then & Q(due_on__lt=as_of)
    at_risk = open_then & Q(due_on__gte=as_of) & at_risk_window(as_of, book)
    missing = Q(owner__isnull=True) | Q(ticket_id="") | Q(due_on__isnull=True)
    calm = open_then & ~Q(due_on__lt=as_of) & ~(Q(due_on__gte=as_of) & at_risk_window(as_of, book))
    closed_in_week = (
        existed
        & ~is_open()
        & (
            Q(completed_at__gte=start, completed_at__lt=end)
            | Q(completed_at__isnull=True, created_at__gte=start)
        )
    )
    return {
        SectionKey.OVERDUE: overdue,
        SectionKey.AT_RISK: at_risk,
        SectionKey.MISSING: calm & missing,
        SectionKey.OPENED: calm & ~missing & Q(created_at__gte=start),
        SectionKey.COMPLETED: closed_in_week,
    }


def section_parts(week: IsoWeek, today: date, book: PolicyBook) -> dict[SectionKey, list[Q]]:
    """``section_conditions``, each section as disjoint parts: the same rows. A
    section is the union of its parts, and each part starts with one status or one range
    of a single column, so an index serves it in the section's order: with
    ``status IN (...)`` or an ``OR`` the database would sort every matching row to find
    the first few (80,000 overdue items on the bench data).
    """
    as_of, start, end = week_bounds(week, today)
    existed = Q(created_at__lt=end)
    open_then = [Q(status=status) & existed for status in OPEN_STATUSES]
    # Closed after the day: as a set of ids, so that SQLite reads it from the closing-time
    # index (it preferred skipping through every status of the status index).
    closed_later = ActionItem.objects.filter(completed_at__gte=end).values("pk")
    open_then.append(Q(pk__in=closed_later) & ~is_open() & existed)
    overdue = Q(due_on__lt=as_of)
    at_risk = Q(due_on__gte=as_of) & at_risk_window(as_of, book)
    missing = Q(owner__isnull=True) | Q(ticket_id="") | Q(due_on__isnull=True)
    # Neither overdue nor at risk: no date (always missing something), or a later date.
    later = Q(due_on__gte=as_of) & ~at_risk
    return {
        SectionKey.OVERDUE: [part & overdue for part in open_then],
        SectionKey.AT_RISK: [part & at_risk for part in open_then],
        SectionKey.MISSING: [part & Q(due_on__isnull=True) for part in open_then]
        + [part & later & missing for part in open_then],
        # Opened during the week: the creation range is the narrow one.
        SectionKey.OPENED: [
            Q(created_at__gte=start)
            & existed
            & (is_open() | Q(completed_at__gte=end))
            & later
            & ~missing
        ],
        SectionKey.COMPLETED: [
            Q(completed_at__gte=start, completed_at__lt=end) & ~is_open() & existed,
            Q(completed_at__isnull=True, created_at__gte=start) & ~is_open() & existed,
        ],
    }


SECTION_ORDER = {
    SectionKey.OVERDUE: ("due_on", "priority", "created_at", "id"),
    SectionKey.AT_RISK: ("due_on", "priority", "created_at", "id"),
    SectionKey.MISSING: ("priority", "created_at", "id"),
    SectionKey.OPENED: ("created_at", "id"),
    SectionKey.COMPLETED: ("closed_moment", "id"),
}


@dataclass(frozen=True)
class WeeklyReviewPage:
    """Some entries of each section, with every section's full count.

    The first ``limit`` entries of every section, or, with ``only``, the ``limit`` entries
    of that one section from ``offset`` on (the "show all" pages of a long section).
    """

    agenda: WeeklyReview
    counts: dict[SectionKey, int]
    opened_count: int
    limit: int
    offset: int = 0
    only: SectionKey | None = None

    @property
    def summary(self) -> str:
        """``WeeklyReview.summary`` in the same words, from the counts (sections are cut)."""
        return summary_line(
            self.counts, opened=self.opened_count, completed=self.counts[SectionKey.COMPLETED]
        )

    def sections(self) -> list[tuple[Any, tuple, int, int]]:
        """``(section, entries shown, entries after them, total)`` in agenda order."""
        return [
            (
                section,
                section.entries,
                max(0, self.counts[section.key] - self.offset - len(section.entries)),
                self.counts[section.key],
            )
            for section in self.agenda.sections
            if self.only is None or section.key == self.only
        ]


Compiled = tuple[str, tuple]  # one part: SQL selecting the section's sort keys k0, k1, ...


def _compile_parts(
    items: QuerySet, sections: dict[SectionKey, list[Q]]
) -> dict[SectionKey, list[Compiled]]:
    """Each part compiled once (the ORM's work grows with the parts, not the rows), for
    both the counts and the picks."""
    closed_moment = Coalesce("completed_at", "created_at")
    compiled = {}
    for key, parts in sections.items():
        keys = {
            f"k{n}": closed_moment if name == "closed_moment" else F(name)
            for n, name in enumerate(SECTION_ORDER[key])
        }
        compiled[key] = [compiled_sql(items.filter(part).values(**keys)) for part in parts]
    return compiled


def _count_statement(
    compiled: dict[SectionKey, list[Compiled]], opened: Compiled
) -> tuple[str, list]:
    """One statement, one ``COUNT`` per part: each planned on its own, with its own index."""
    columns: list[str] = []
    params: list = []
    named = [(key.value, parts) for key, parts in compiled.items()] + [("created", [opened])]
    for name, parts in named:
        terms = []
        for sql, part_params in parts:
            terms.append(f"(SELECT COUNT(*) FROM ({sql}) AS part)")  # noqa: S608 - ORM SQL
            params.extend(part_params)
        columns.append(f"{' + '.join(terms)} AS {name}")
    return "SELECT " + ", ".join(columns), params


def _pick_statement(
    compiled: dict[SectionKey, list[Compiled]], limit: int, offset: int
) -> tuple[str, list]:
    """One statement: the ids of the chosen entries of each section.

    Each part takes its own first ``offset + limit`` rows in the section's order (an
    ordered index range), and the section merges its parts and keeps ``limit`` rows from
    ``offset``: the same rows as ``ORDER BY ... LIMIT ... OFFSET`` on the whole section.
    """
    selects: list[str] = []
    params: list = []
    for key, parts in compiled.items():
        keys = ", ".join(f"k{n}" for n in range(len(SECTION_ORDER[key])))
        arms = []
        for sql, part_params in parts:
            first = f"SELECT * FROM ({sql}) AS part ORDER BY {keys} LIMIT %s"  # noqa: S608
            arms.append(f"SELECT * FROM ({first}) AS arm")  # noqa: S608 - ORM SQL, fixed names
            params.extend([*part_params, offset + limit])
        selects.append(
            f"SELECT k{len(SECTION_ORDER[key]) - 1} AS id FROM "  # noqa: S608 - fixed names
            f"(SELECT * FROM ({' UNION ALL '.join(arms)}) AS merged "
            f"ORDER BY {keys} LIMIT %s OFFSET %s) AS section_{key.value}"
        )
        params.extend([limit, offset])
    return " UNION ALL ".join(selects), params


def _fetch(statement: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


def _one_pass(
    items: QuerySet,
    week: IsoWeek,
    today: date,
    book: PolicyBook,
    shown: list[SectionKey],
    limit: int,
    offset: int,
) -> tuple[dict[SectionKey, int], int, list[int]]:
    """Counts and chosen ids in one statement: every candidate row gets its section once
    (a materialised common table expression), then its rank in the section and the
    section's size; only the chosen rows and each section's first row (which carries the
    counts) come back.

    The sort keys are ``SECTION_ORDER`` written once for every section: a key a section
    does not sort by is NULL for all its rows, so it does not change their order. Every
    item created in the week up to the agenda's day is a candidate, so counting the
    candidates created since Monday gives the summary's "opened".
    """
    _, start, _ = week_bounds(week, today)
    section = Case(
        *(
            When(condition, then=Value(key.value))
            for key, condition in section_conditions(week, today, book).items()
        ),
        output_field=CharField(),
    )
    candidates, params = compiled_sql(
        weekly_review_candidates(items, week, today).values(
            "id", "due_on", "priority", "created_at", "completed_at", section=section
        )
    )
    by_due = f"section IN ('{SectionKey.OVERDUE}', '{SectionKey.AT_RISK}')"
    by_priority = f"{by_due} OR section = '{SectionKey.MISSING}'"
    completed = f"section = '{SectionKey.COMPLETED}'"
    # One window (one sort) gives both the place and the section's size; the "opened"
    # count is a scalar over the same materialised rows.
    statement = (
        f"WITH candidate AS MATERIALIZED ({candidates}) "  # noqa: S608 - ORM SQL, our names
        "SELECT id, section, place, size, "
        "(SELECT COUNT(*) FROM candidate WHERE created_at >= %s) AS created "
        "FROM (SELECT id, section, ROW_NUMBER() OVER w AS place, "
        "COUNT(*) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS size "
        "FROM candidate WINDOW w AS (PARTITION BY section ORDER BY "
        f"CASE WHEN {by_due} THEN due_on END, CASE WHEN {by_priority} THEN priority END, "
        f"CASE WHEN {completed} THEN COALESCE(completed_at, created_at) ELSE created_at END, "
        "id)) AS ranked WHERE place = 1 OR (place > %s AND place <= %s)"
    )
    since = connection.ops.adapt_datetimefield_value(start)  # as the ORM would pass it
    rows = _fetch(statement, [*params, since, offset, offset + limit])
    counts = dict.fromkeys(SectionKey, 0)
    opened_count, ids = 0, []
    wanted = {key.value for key in shown}
    for pk, key, place, size, created in rows:
        opened_count = created
        if key is None:
            continue
        counts[SectionKey(key)] = size
        if key in wanted and offset < place <= offset + limit:
            ids.append(pk)
    return counts, opened_count, ids


def weekly_review_page(
    items: QuerySet[ActionItem],
    *,
    week: IsoWeek,
    today: date,
    book: PolicyBook,
    team: Team | None = None,
    limit: int = 25,
    offset: int = 0,
    only: SectionKey | None = None,
    by_parts: bool | None = None,
    counted: tuple[dict[SectionKey, int], int] | None = None,
) -> WeeklyReviewPage:
    """The agenda page: SQL counts every section and picks the entries to show.

    Constant work in the number of items, five queries: one statement counts every
    section, one picks the ids of the entries shown (every section, or ``only`` one), and
    three build the snapshots of those few rows; the core then sorts them into the same
    sections, in the same order. ``counted`` (the sections' sizes and the number opened,
    from the tally for the current week) spares the counting statement.
    """
    if by_parts is None:
        by_parts = team is None
    if team is not None:
        items = items.filter(incident__team=team)
    items = items.order_by()
    shown = list(SectionKey) if only is None else [only]
    if not by_parts:
        # A team: the database reaches its items incident by incident, so it does so
        # once, and ranks every row in its section.
        counts, opened_count, ids = _one_pass(items, week, today, book, shown, limit, offset)
    else:
        # Every team: each section's index ranges, never the whole table (what a person
        # may not see is a short list of restricted incidents, checked along the way).
        compiled = _compile_parts(items, section_parts(week, today, book))
        if counted is not None:
            counts, opened_count = counted
        else:
            _, start, end = week_bounds(week, today)
            opened = compiled_sql(
                items.filter(created_at__gte=start, created_at__lt=end).values("pk")
            )
            (row,) = _fetch(*_count_statement(compiled, opened))
            counts, opened_count = dict(zip(SectionKey, row[:-1], strict=True)), row[-1]
        chosen = {key: compiled[key] for key in shown}
        ids = [pk for (pk,) in _fetch(*_pick_statement(chosen, limit, offset))]
    snapshots = action_snapshots(ActionItem.objects.filter(pk__in=ids), book=book)
    agenda = build_weekly_review(
        snapshots, week=week, today=today, team=team.name if team is not None else None
    )
    return WeeklyReviewPage(
        agenda=agenda,
        counts=counts,
        opened_count=opened_count,
        limit=limit,
        offset=offset,
        only=only,
    )
