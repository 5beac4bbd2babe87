"""The sprint budget: the share of each sprint a team reserves for post-incident work.

A team sets a cadence (start date, length in days), a capacity (points or hours) and the
share it reserves (say 20 %). Action items carry an estimate and the sprint number they are
planned in. Per sprint the report compares reserved, planned and done work, and warns when
the reserve is not used while high-priority items are overdue (the debt grows while the
budget for it goes to other work) or when planned work exceeds the reserve.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.vocabulary import ActionStatus

from .items import ActionSnapshot
from .states import DebtState, item_state_on

MAX_SPRINT_DAYS = 365
MAX_CAPACITY = 1_000_000.0


class CapacityUnit(StrEnum):
    POINTS = "points"
    HOURS = "hours"


def _number(value: object, *, field: str, label: str) -> float:
    if isinstance(value, bool):
        raise ValidationProblem(f"{label} must be a number.", field=field)
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().replace(",", "."))
        except ValueError:
            raise ValidationProblem(f"{label} must be a number.", field=field) from None
    else:
        raise ValidationProblem(f"{label} must be a number.", field=field)
    if not math.isfinite(number):
        raise ValidationProblem(f"{label} must be a finite number.", field=field)
    return number


def clean_capacity(value: object) -> float:
    number = _number(value, field="capacity", label="The sprint capacity")
    if number <= 0:
        raise ValidationProblem(
            "The sprint capacity must be more than 0; a team with no capacity has no sprint.",
            field="capacity",
        )
    if number > MAX_CAPACITY:
        raise ValidationProblem(
            f"The sprint capacity is at most {MAX_CAPACITY:,.0f}.", field="capacity"
        )
    return number


def clean_reserved_percent(value: object) -> float:
    number = _number(value, field="reserved_percent", label="The reserved share")
    if not 0 < number <= 100:
        raise ValidationProblem(
            f"The reserved share is a percentage above 0 and at most 100, not {number:g}.",
            field="reserved_percent",
        )
    return number


def clean_estimate(value: object) -> float | None:
    """An item's estimate: empty for "not estimated yet", else a number above 0."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = _number(value, field="estimate", label="The estimate")
    if number <= 0:
        raise ValidationProblem("The estimate must be more than 0.", field="estimate")
    if number > MAX_CAPACITY:
        raise ValidationProblem(f"The estimate is at most {MAX_CAPACITY:,.0f}.", field="estimate")
    return number


@dataclass(frozen=True)
class Sprint:
    number: int
    start_on: date
    end_on: date  # inclusive

    @property
    def name(self) -> str:
        return f"Sprint {self.number}"

    @property
    def label(self) -> str:
        return f"{self.name} ({self.start_on.isoformat()} to {self.end_on.isoformat()})"

    def contains(self, day: date) -> bool:
        return self.start_on <= day <= self.end_on


@dataclass(frozen=True)
class SprintCadence:
    """Sprints of ``length_days`` back to back from ``start_on``; sprint 1 starts there."""

    start_on: date
    length_days: int

    def __post_init__(self) -> None:
        days = self.length_days
        if isinstance(days, bool) or not isinstance(days, int):
            raise ValidationProblem(
                "The sprint length is a whole number of days.", field="length_days"
            )
        if not 1 <= days <= MAX_SPRINT_DAYS:
            raise ValidationProblem(
                f"The sprint length must be between 1 and {MAX_SPRINT_DAYS} days, not {days}.",
                field="length_days",
            )

    def sprint(self, number: int) -> Sprint:
        if number < 1:
            raise ValidationProblem("Sprints are numbered from 1.", field="sprint")
        start = self.start_on + timedelta(days=(number - 1) * self.length_days)
        return Sprint(number, start, start + timedelta(days=self.length_days - 1))

    def sprint_for(self, day: date) -> Sprint:
        if day < self.start_on:
            raise ValidationProblem(
                f"{day.isoformat()} is before the first sprint "
                f"(which starts on {self.start_on.isoformat()}).",
                field="date",
            )
        return self.sprint((day - self.start_on).days // self.length_days + 1)


@dataclass(frozen=True)
class SprintBudget:
    capacity: float
    unit: CapacityUnit
    reserved_percent: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "capacity", clean_capacity(self.capacity))
        object.__setattr__(self, "reserved_percent", clean_reserved_percent(self.reserved_percent))
        object.__setattr__(self, "unit", CapacityUnit(self.unit))

    @property
    def reserved(self) -> float:
        return self.capacity * self.reserved_percent / 100


class SprintWarningKind(StrEnum):
    RESERVE_UNUSED = "reserve_unused"
    RESERVE_EXCEEDED = "reserve_exceeded"
    UNESTIMATED = "unestimated"


@dataclass(frozen=True)
class SprintWarning:
    kind: SprintWarningKind
    message: str


@dataclass(frozen=True)
class SprintReport:
    sprint: Sprint
    unit: CapacityUnit
    reserved: float
    planned: float
    done: float
    planned_items: int
    done_items: int
    unestimated_items: int
    overdue_high_items: int
    warnings: tuple[SprintWarning, ...]


def _amount(value: float, unit: CapacityUnit) -> str:
    return f"{value:g} {unit.value}"


def _exceeds(a: float, b: float) -> bool:
    """``a > b`` ignoring float noise (0.1 + 0.2 is not more than 0.3 here)."""
    return a > b and not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def sprint_report(
    items: Iterable[ActionSnapshot], *, sprint: Sprint, budget: SprintBudget, today: date
) -> SprintReport:
    """Reserved vs planned vs done for one team's ``sprint``, seen from ``today``.

    Planned: items planned in the sprint. Done: of those, the ones done by the sprint's last
    day. Overdue high-priority items are counted as of the sprint's end (or today, for the
    current sprint), among all the items given, planned or not.
    """
    as_of = min(today, sprint.end_on)
    planned: list[float] = []
    done: list[float] = []
    planned_count = done_count = unestimated = overdue_high = 0
    for item in items:
        if item.priority.is_high and item_state_on(item, as_of) == DebtState.OVERDUE:
            overdue_high += 1
        if item.planned_sprint != sprint.number:
            continue
        planned_count += 1
        if item.estimate is None:
            unestimated += 1
        else:
            planned.append(item.estimate)
        closed = item.closed_on
        if item.status == ActionStatus.DONE and closed is not None and closed <= sprint.end_on:
            done_count += 1
            done.append(item.estimate or 0.0)
    planned_total, done_total = math.fsum(planned), math.fsum(done)
    reserved = budget.reserved
    warnings = []
    if overdue_high and _exceeds(reserved, planned_total):
        noun = "item is" if overdue_high == 1 else "items are"
        warnings.append(
            SprintWarning(
                SprintWarningKind.RESERVE_UNUSED,
                f"Only {_amount(planned_total, budget.unit)} of the "
                f"{_amount(reserved, budget.unit)} reserved for post-incident work are planned "
                f"while {overdue_high} high-priority {noun} overdue.",
            )
        )
    if _exceeds(planned_total, reserved):
        warnings.append(
            SprintWarning(
                SprintWarningKind.RESERVE_EXCEEDED,
                f"{_amount(planned_total, budget.unit)} of post-incident work are planned, more "
                f"than the {_amount(reserved, budget.unit)} reserved.",
            )
        )
    if unestimated:
        noun = "item has" if unestimated == 1 else "items have"
        warnings.append(
            SprintWarning(
                SprintWarningKind.UNESTIMATED,
                f"{unestimated} planned {noun} no estimate and count as 0.",
            )
        )
    return SprintReport(
        sprint=sprint,
        unit=budget.unit,
        reserved=reserved,
        planned=planned_total,
        done=done_total,
        planned_items=planned_count,
        done_items=done_count,
        unestimated_items=unestimated,
        overdue_high_items=overdue_high,
        warnings=tuple(warnings),
    )


def sprint_history(
    items: Sequence[ActionSnapshot],
    *,
    cadence: SprintCadence,
    budget: SprintBudget,
    today: date,
    count: int = 6,
) -> list[SprintReport]:
    """Reports of the last ``count`` sprints up to the current one, oldest first (the chart)."""
    if count < 1:
        raise ValidationProblem("Show at least one sprint.", field="count")
    if today < cadence.start_on:
        return []
    current = cadence.sprint_for(today).number
    first = max(1, current - count + 1)
    return [
        sprint_report(items, sprint=cadence.sprint(number), budget=budget, today=today)
        for number in range(first, current + 1)
    ]
