"""The weekly review agenda from stored items: SQL narrows the rows, the core decides.

Only the rows that can appear are loaded (open at the end of the week, or created or
closed during it); ``kintsugi.core.debt.agenda.build_agenda`` then sorts them into
sections exactly as documented, so the page, the Markdown, the email and Slack agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce

from kintsugi.core.debt.agenda import Agenda, SectionKey, build_agenda
from kintsugi.core.debt.weeks import IsoWeek
from kintsugi.debt.selectors.expressions import at_risk_window, is_open
from kintsugi.debt.selectors.policy import PolicyBook
from kintsugi.debt.selectors.snapshots import action_snapshots
from kintsugi.postmortems.models import ActionItem
from kintsugi.teams.models import Team


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def agenda_candidates(items: QuerySet[ActionItem], week: IsoWeek, today: date) -> QuerySet:
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


def weekly_agenda(
    items: QuerySet[ActionItem],
    *,
    week: IsoWeek,
    today: date,
    book: PolicyBook,
    team: Team | None = None,
    base_url: str = "",
    redact_restricted: bool = False,
) -> Agenda:
    """The agenda for already visible ``items``, for one team or everyone (four queries)."""
    if team is not None:
        items = items.filter(incident__team=team)
    snapshots = action_snapshots(
        agenda_candidates(items, week, today),
        book=book,
        base_url=base_url,
        redact_restricted=redact_restricted,
    )
    return build_agenda(
        snapshots, week=week, today=today, team=team.name if team is not None else None
    )


def section_conditions(week: IsoWeek, today: date, book: PolicyBook) -> dict[SectionKey, Q]:
    """The SQL twin of ``agenda._section_for``: each item in the first section that applies.

    Seen as of the end of the week (or today): "open then" is created by then and not
    closed by then (a closed item without a closing time closed on its creation day).
    """
    as_of = min(today, week.sunday)
    end = _midnight(as_of + timedelta(days=1))
    start = _midnight(week.monday)
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


SECTION_ORDER = {
    SectionKey.OVERDUE: ("due_on", "priority", "created_at", "id"),
    SectionKey.AT_RISK: ("due_on", "priority", "created_at", "id"),
    SectionKey.MISSING: ("priority", "created_at", "id"),
    SectionKey.OPENED: ("created_at", "id"),
    SectionKey.COMPLETED: ("closed_moment", "id"),
}


@dataclass(frozen=True)
class AgendaPage:
    """The first ``limit`` entries of each section, with every section's full count."""

    agenda: Agenda
    counts: dict[SectionKey, int]
    opened_count: int
    limit: int

    @property
    def summary(self) -> str:
        """``Agenda.summary`` in the same words, from the counts (sections are cut)."""
        c = self.counts
        return (
            f"{c[SectionKey.OVERDUE]} overdue, {c[SectionKey.AT_RISK]} at risk, "
            f"{c[SectionKey.MISSING]} missing an owner, ticket or date; "
            f"{self.opened_count} opened and {c[SectionKey.COMPLETED]} completed this week"
        )

    def sections(self) -> list[tuple[Any, tuple, int, int]]:
        """``(section, entries shown, entries not shown, total)`` in agenda order."""
        return [
            (
                section,
                section.entries,
                self.counts[section.key] - len(section.entries),
                self.counts[section.key],
            )
            for section in self.agenda.sections
        ]


def weekly_agenda_page(
    items: QuerySet[ActionItem],
    *,
    week: IsoWeek,
    today: date,
    book: PolicyBook,
    team: Team | None = None,
    limit: int = 100,
) -> AgendaPage:
    """The agenda page: SQL counts every section and picks its first ``limit`` items.

    Constant work in the number of items: one aggregate for the counts, one statement for
    the ids of the first entries of every section (a ``LIMIT`` subquery each), and the
    snapshots of those few rows only; the core then sorts them into the same sections.
    """
    if team is not None:
        items = items.filter(incident__team=team)
    conditions = section_conditions(week, today, book)
    as_of = min(today, week.sunday)
    start = _midnight(week.monday)
    end = _midnight(as_of + timedelta(days=1))
    counted = items.order_by().aggregate(
        created_in_week=Count("id", filter=Q(created_at__gte=start, created_at__lt=end)),
        **{key.value: Count("id", filter=condition) for key, condition in conditions.items()},
    )
    counts = {key: counted[key.value] for key in SectionKey}
    chosen = items.order_by().annotate(closed_moment=Coalesce("completed_at", "created_at"))
    firsts = [
        chosen.filter(condition)
        .order_by(*(F(f).asc() for f in SECTION_ORDER[key]))
        .values_list("id", flat=True)[:limit]
        for key, condition in conditions.items()
    ]
    wanted = Q()
    for first in firsts:
        wanted |= Q(pk__in=first)
    ids = list(ActionItem.objects.filter(wanted).values_list("pk", flat=True))
    snapshots = action_snapshots(ActionItem.objects.filter(pk__in=ids), book=book)
    agenda = build_agenda(
        snapshots, week=week, today=today, team=team.name if team is not None else None
    )
    return AgendaPage(
        agenda=agenda, counts=counts, opened_count=counted["created_in_week"], limit=limit
    )
