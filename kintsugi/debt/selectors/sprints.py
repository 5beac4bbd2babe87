"""A team's sprint budget: reserved vs planned vs done post-incident work, per sprint."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from django.db.models import Q, QuerySet

from kintsugi.core.debt.items import ActionSnapshot
from kintsugi.core.debt.sprints import SprintReport, sprint_history
from kintsugi.core.errors import ValidationProblem
from kintsugi.debt.models import TeamDebtSettings
from kintsugi.debt.selectors.expressions import HIGH_PRIORITIES
from kintsugi.debt.selectors.policy import PolicyBook
from kintsugi.debt.selectors.snapshots import action_snapshots
from kintsugi.postmortems.models import ActionItem
from kintsugi.teams.models import Team

HISTORY = 8


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


@dataclass
class SprintView:
    team: Team
    settings: TeamDebtSettings | None
    history: list[SprintReport] = field(default_factory=list)
    planned: list[ActionSnapshot] = field(default_factory=list)
    problem: str = ""

    @property
    def current(self) -> SprintReport | None:
        return self.history[-1] if self.history else None


def sprint_view(
    items: QuerySet[ActionItem], *, team: Team, today: date, book: PolicyBook
) -> SprintView:
    """The history of the last sprints and the current sprint's items (four queries).

    Loads the team's planned items and its high-priority ones (the reserve-unused warning
    counts overdue P0/P1 items, planned or not).
    """
    settings = TeamDebtSettings.objects.filter(team=team).first()
    view = SprintView(team=team, settings=settings)
    try:
        cadence = settings.cadence() if settings else None
        budget = settings.budget() if settings else None
    except ValidationProblem as problem:
        view.problem = f"The sprint settings are not valid: {problem.message}"
        return view
    if cadence is None or budget is None:
        view.problem = "This team has not set its sprint cadence and capacity yet."
        return view
    first = cadence.sprint(
        max(1, cadence.sprint_for(max(today, cadence.start_on)).number - HISTORY)
    )
    relevant = items.filter(incident__team=team).filter(
        Q(planned_sprint__isnull=False)
        | (
            Q(priority__in=HIGH_PRIORITIES)
            & (Q(completed_at__isnull=True) | Q(completed_at__gte=_midnight(first.start_on)))
        )
    )
    snapshots = action_snapshots(relevant, book=book)
    view.history = sprint_history(
        snapshots, cadence=cadence, budget=budget, today=today, count=HISTORY
    )
    if view.current is not None:
        number = view.current.sprint.number
        view.planned = sorted(
            (item for item in snapshots if item.planned_sprint == number),
            key=lambda item: (item.priority, item.due_on or date.max, item.id),
        )
    return view
