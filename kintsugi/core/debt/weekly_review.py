"""The weekly review agenda: what the engineering sync should look at, in the order to do so.

Sections, each item in the first one that applies (so nobody discusses it twice):

1. overdue, most days over first (the oldest debt);
2. at risk, nearest target date first;
3. open items missing an owner, a ticket or a target date, highest priority first;
4. opened this week (still open, nothing above applies), oldest first;
5. completed this week: done or declared won't do during the week, in closing order.

The agenda is computed "as of" the end of the chosen week (or today, for the current week),
so the agenda of a past week shows what that meeting would have seen, as far as closing
dates allow. Renderers live in ``weekly_review_text`` and ``slack``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date
from enum import StrEnum

from .items import ActionSnapshot, ReviewNote
from .states import DebtState, age_in_days, days_overdue, item_state_on
from .weeks import IsoWeek, parse_iso_week

__all__ = [
    "WeeklyReview",
    "WeeklyReviewEntry",
    "WeeklyReviewSection",
    "SectionKey",
    "build_weekly_review",
    "parse_iso_week",
]


class SectionKey(StrEnum):
    OVERDUE = "overdue"
    AT_RISK = "at_risk"
    MISSING = "missing"
    OPENED = "opened"
    COMPLETED = "completed"

    @property
    def heading(self) -> str:
        return _SECTION_TITLES[self]


_SECTION_TITLES = {
    SectionKey.OVERDUE: "Overdue",
    SectionKey.AT_RISK: "At risk",
    SectionKey.MISSING: "Missing an owner, ticket or target date",
    SectionKey.OPENED: "Opened this week",
    SectionKey.COMPLETED: "Completed this week",
}


@dataclass(frozen=True)
class WeeklyReviewEntry:
    item: ActionSnapshot
    state: DebtState
    age_days: int
    days_over: int
    review: ReviewNote | None

    @property
    def missing(self) -> tuple[str, ...]:
        return self.item.missing


@dataclass(frozen=True)
class WeeklyReviewSection:
    """One section; ``hidden`` counts entries left out because the recipient of a delivery
    may not see their post-mortem (``redaction.redact_weekly_review``): counted, never shown."""

    key: SectionKey
    entries: tuple[WeeklyReviewEntry, ...]
    hidden: int = 0

    @property
    def title(self) -> str:
        return self.key.heading

    @property
    def count(self) -> int:
        return len(self.entries) + self.hidden


@dataclass(frozen=True)
class WeeklyReview:
    week: IsoWeek
    team: str | None
    as_of: date
    sections: tuple[WeeklyReviewSection, ...]
    opened_count: int
    completed_count: int

    def section(self, key: SectionKey) -> WeeklyReviewSection:
        return next(section for section in self.sections if section.key == key)

    @property
    def title(self) -> str:
        scope = f" - team {self.team}" if self.team else ""
        return f"Weekly review {self.week}{scope}"

    @property
    def period(self) -> str:
        return f"{self.week.monday.isoformat()} to {self.week.sunday.isoformat()}"

    @property
    def summary(self) -> str:
        """One line of counts, the first thing every format shows."""
        counts = {section.key: section.count for section in self.sections}
        return summary_line(counts, opened=self.opened_count, completed=self.completed_count)

    @property
    def is_empty(self) -> bool:
        return not any(section.count for section in self.sections)


def summary_line(counts: Mapping[SectionKey, int], *, opened: int, completed: int) -> str:
    """The agenda's line of counts, from each section's size: a whole agenda's, or a page's
    that shows only some entries of each section (``selectors.weekly_review.WeeklyReviewPage``)."""
    return (
        f"{counts[SectionKey.OVERDUE]} overdue, {counts[SectionKey.AT_RISK]} at risk, "
        f"{counts[SectionKey.MISSING]} missing an owner, ticket or date; "
        f"{opened_phrase(opened, counts[SectionKey.OPENED])} and "
        f"{completed} completed this week"
    )


def opened_phrase(opened: int, listed_as_opened: int) -> str:
    """ "12 opened" under a section "Opened this week (6)" read as a miscount: the other six
    are overdue, at risk or missing something, and listed in those sections instead."""
    elsewhere = opened - listed_as_opened
    if elsewhere <= 0:
        return f"{opened} opened"
    return f"{opened} opened ({elsewhere} of them in the sections above)"


def _sort_keys() -> dict[SectionKey, Callable[[WeeklyReviewEntry], tuple[object, ...]]]:
    def by_due(entry: WeeklyReviewEntry) -> tuple[object, ...]:
        item = entry.item
        return (item.due_on or date.max, item.priority, item.created_at, item.id)

    def by_priority(entry: WeeklyReviewEntry) -> tuple[object, ...]:
        item = entry.item
        return (item.priority, item.created_at, item.id)

    def by_created(entry: WeeklyReviewEntry) -> tuple[object, ...]:
        return (entry.item.created_at, entry.item.id)

    def by_closed(entry: WeeklyReviewEntry) -> tuple[object, ...]:
        item = entry.item
        return (item.closed_on or date.min, item.closed_at or item.created_at, item.id)

    return {
        SectionKey.OVERDUE: by_due,
        SectionKey.AT_RISK: by_due,
        SectionKey.MISSING: by_priority,
        SectionKey.OPENED: by_created,
        SectionKey.COMPLETED: by_closed,
    }


def _section_for(item: ActionSnapshot, state: DebtState, week: IsoWeek) -> SectionKey | None:
    if state == DebtState.OVERDUE:
        return SectionKey.OVERDUE
    if state == DebtState.AT_RISK:
        return SectionKey.AT_RISK
    if state.is_open:
        if item.missing:
            return SectionKey.MISSING
        return SectionKey.OPENED if week.contains(item.created_on) else None
    closed = item.closed_on
    return SectionKey.COMPLETED if closed is not None and week.contains(closed) else None


def build_weekly_review(
    items: Iterable[ActionSnapshot], *, week: IsoWeek, today: date, team: str | None = None
) -> WeeklyReview:
    """The agenda of ``week`` for one team (or everyone when ``team`` is ``None``)."""
    as_of = min(today, week.sunday)
    buckets: dict[SectionKey, list[WeeklyReviewEntry]] = {key: [] for key in SectionKey}
    opened = completed = 0
    for item in items:
        if team is not None and item.team != team:
            continue
        state = item_state_on(item, as_of)
        if state is None:
            continue
        if week.contains(item.created_on):
            opened += 1
        closed = None if state.is_open else item.closed_on
        if closed is not None and week.contains(closed):
            completed += 1
        key = _section_for(item, state, week)
        if key is None:
            continue
        if state.is_open:
            age = age_in_days(item.created_at, as_of)
            over = days_overdue(item.due_on, as_of)
        else:
            # Closed: counted up to the closing time; an unknown closing time shows no delay.
            age = age_in_days(item.created_at, as_of, item.closed_at)
            over = days_overdue(item.due_on, as_of, item.closed_at) if item.closed_at else 0
        review = item.last_review
        if review is not None and review.reviewed_at.astimezone(UTC).date() > as_of:
            review = None  # a later meeting's note does not belong on this week's agenda
        buckets[key].append(
            WeeklyReviewEntry(item=item, state=state, age_days=age, days_over=over, review=review)
        )
    keys = _sort_keys()
    sections = tuple(
        WeeklyReviewSection(key=key, entries=tuple(sorted(buckets[key], key=keys[key])))
        for key in SectionKey
    )
    return WeeklyReview(
        week=week,
        team=team,
        as_of=as_of,
        sections=sections,
        opened_count=opened,
        completed_count=completed,
    )
