"""The weekly review agenda from stored items: SQL narrows the rows, the core decides.

Only the rows that can appear are loaded (open at the end of the week, or created or
closed during it); ``kintsugi.core.debt.agenda.build_agenda`` then sorts them into
sections exactly as documented, so the page, the Markdown, the email and Slack agree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Q, QuerySet

from kintsugi.core.debt.agenda import Agenda, build_agenda
from kintsugi.core.debt.weeks import IsoWeek
from kintsugi.debt.selectors.expressions import is_open
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
