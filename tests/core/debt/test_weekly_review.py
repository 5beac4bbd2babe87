from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kintsugi.core.debt.items import ActionSnapshot, ReviewNote, review_note
from kintsugi.core.debt.states import DebtState
from kintsugi.core.debt.weekly_review import SectionKey, build_weekly_review
from kintsugi.core.debt.weeks import IsoWeek, parse_iso_week
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.vocabulary import ActionStatus, Priority
from tests.core.debt.helpers import at, item

WEEK = IsoWeek(2026, 48)  # Monday 2026-11-23 .. Sunday 2026-11-29
TODAY = date(2026, 11, 25)


def _titles(agenda_items: list[ActionSnapshot], key: SectionKey) -> list[str]:
    agenda = build_weekly_review(agenda_items, week=WEEK, today=TODAY, team="Platform")
    return [entry.item.title for entry in agenda.section(key).entries]


@pytest.fixture
def items() -> list[ActionSnapshot]:
    return [
        item(title="oldest overdue P1", due_on=date(2026, 11, 10), created_on=date(2026, 10, 20)),
        item(title="newer overdue", due_on=date(2026, 11, 20), created_on=date(2026, 11, 1)),
        item(
            title="oldest overdue P0",
            priority=Priority.P0,
            due_on=date(2026, 11, 10),
            created_on=date(2026, 10, 27),
        ),
        item(title="at risk in 2 days", due_on=date(2026, 11, 27)),
        item(title="at risk today", due_on=date(2026, 11, 25)),
        item(title="no owner P2", priority=Priority.P2, owner=None, due_on=date(2026, 12, 20)),
        item(title="no date P0", priority=Priority.P0, due_on=None),
        item(title="opened tuesday", created_on=date(2026, 11, 24), due_on=date(2026, 12, 8)),
        item(title="opened monday", created_on=date(2026, 11, 23), due_on=date(2026, 12, 8)),
        item(
            title="opened without ticket",
            created_on=date(2026, 11, 24),
            ticket_id="",
            due_on=date(2026, 12, 8),
        ),
        item(title="done tuesday", status=ActionStatus.DONE, closed_on=date(2026, 11, 24)),
        item(
            title="declined monday",
            status=ActionStatus.WONT_DO,
            status_reason="Service retired",
            closed_on=date(2026, 11, 23),
        ),
        item(title="done last week", status=ActionStatus.DONE, closed_on=date(2026, 11, 20)),
        item(title="other team", team="Data", due_on=date(2026, 11, 1)),
        item(title="created after today", created_on=date(2026, 11, 26), owner=None),
        item(title="quietly on track", due_on=date(2026, 12, 20)),
    ]


def test_it_orders_the_sections(items: list[ActionSnapshot]) -> None:
    agenda = build_weekly_review(items, week=WEEK, today=TODAY, team="Platform")
    assert [section.key for section in agenda.sections] == [
        SectionKey.OVERDUE,
        SectionKey.AT_RISK,
        SectionKey.MISSING,
        SectionKey.OPENED,
        SectionKey.COMPLETED,
    ]
    assert agenda.as_of == TODAY
    assert agenda.title == "Weekly review 2026-W48 - team Platform"
    assert agenda.period == "2026-11-23 to 2026-11-29"


def test_it_lists_overdue_oldest_first_then_by_priority(items: list[ActionSnapshot]) -> None:
    assert _titles(items, SectionKey.OVERDUE) == [
        "oldest overdue P0",
        "oldest overdue P1",
        "newer overdue",
    ]


def test_it_lists_at_risk_nearest_first(items: list[ActionSnapshot]) -> None:
    assert _titles(items, SectionKey.AT_RISK) == ["at risk today", "at risk in 2 days"]


def test_it_lists_missing_fields_by_priority(items: list[ActionSnapshot]) -> None:
    assert _titles(items, SectionKey.MISSING) == [
        "no date P0",
        "opened without ticket",
        "no owner P2",
    ]


def test_it_lists_what_opened_and_completed_this_week(items: list[ActionSnapshot]) -> None:
    assert _titles(items, SectionKey.OPENED) == ["opened monday", "opened tuesday"]
    assert _titles(items, SectionKey.COMPLETED) == ["declined monday", "done tuesday"]


def test_it_counts_everything_opened_even_when_listed_elsewhere(
    items: list[ActionSnapshot],
) -> None:
    agenda = build_weekly_review(items, week=WEEK, today=TODAY, team="Platform")
    assert agenda.opened_count == 3
    assert agenda.completed_count == 2
    assert agenda.summary == (
        "3 overdue, 2 at risk, 3 missing an owner, ticket or date; "
        "3 opened (1 of them in the sections above) and 2 completed this week"
    )
    assert agenda.section(SectionKey.OPENED).count == 2


def test_it_lists_each_item_once(items: list[ActionSnapshot]) -> None:
    agenda = build_weekly_review(items, week=WEEK, today=TODAY)
    ids = [entry.item.id for section in agenda.sections for entry in section.entries]
    assert len(ids) == len(set(ids))
    assert "other team" in [e.item.title for e in agenda.section(SectionKey.OVERDUE).entries]


def test_it_gives_each_entry_owner_age_and_days_over(items: list[ActionSnapshot]) -> None:
    agenda = build_weekly_review(items, week=WEEK, today=TODAY, team="Platform")
    first = agenda.section(SectionKey.OVERDUE).entries[1]
    assert first.item.title == "oldest overdue P1"
    assert first.state is DebtState.OVERDUE
    assert first.age_days == 36
    assert first.days_over == 15
    assert first.item.owner == "alice"
    assert first.item.incident_reference == "INC-7"
    missing = agenda.section(SectionKey.MISSING).entries
    assert [entry.missing for entry in missing] == [
        ("target date",),
        ("ticket",),
        ("owner",),
    ]


def test_it_reports_done_items_with_their_own_dates(items: list[ActionSnapshot]) -> None:
    agenda = build_weekly_review(items, week=WEEK, today=TODAY, team="Platform")
    done = agenda.section(SectionKey.COMPLETED).entries[1]
    assert done.state is DebtState.DONE_LATE
    assert done.age_days == 22
    assert done.days_over == 8


def test_it_shows_a_past_week_as_its_meeting_saw_it() -> None:
    late = item(
        title="done after the week",
        due_on=date(2026, 11, 18),
        status=ActionStatus.DONE,
        closed_on=date(2026, 11, 24),
    )
    agenda = build_weekly_review([late], week=IsoWeek(2026, 47), today=TODAY)
    assert agenda.as_of == date(2026, 11, 22)
    [entry] = agenda.section(SectionKey.OVERDUE).entries
    assert entry.days_over == 4
    assert agenda.completed_count == 0


def test_it_carries_the_review_note_to_the_next_agenda() -> None:
    note = review_note(
        reviewed_at=datetime(2026, 11, 18, 10, tzinfo=UTC),
        reviewer="bob",
        note="  Waiting for the vendor patch ",
    )
    assert note == ReviewNote(
        datetime(2026, 11, 18, 10, tzinfo=UTC), "bob", "Waiting for the vendor patch"
    )
    reviewed = item(due_on=date(2026, 11, 20), last_review=note)
    entry = (
        build_weekly_review([reviewed], week=WEEK, today=TODAY)
        .section(SectionKey.OVERDUE)
        .entries[0]
    )
    assert entry.review == note


def test_it_leaves_a_later_note_off_an_earlier_agenda() -> None:
    note = review_note(reviewed_at=at(date(2026, 11, 24)), reviewer="bob", note="Escalated")
    reviewed = item(due_on=date(2026, 11, 20), last_review=note)
    [entry] = (
        build_weekly_review([reviewed], week=IsoWeek(2026, 47), today=TODAY).sections[0].entries
    )
    assert entry.review is None


def test_it_validates_review_marks() -> None:
    with pytest.raises(ValidationProblem, match="timezone"):
        review_note(reviewed_at=datetime(2026, 11, 18), reviewer="bob", note="")
    with pytest.raises(ValidationProblem, match="reviewer is required"):
        review_note(reviewed_at=at(TODAY), reviewer=" ", note="x")
    with pytest.raises(ValidationProblem, match="control characters"):
        review_note(reviewed_at=at(TODAY), reviewer="bob", note="a\x00b")
    assert review_note(reviewed_at=at(TODAY), reviewer="bob", note=None).note == ""


def test_it_builds_an_empty_agenda() -> None:
    agenda = build_weekly_review([], week=parse_iso_week("2026-W53"), today=date(2027, 6, 1))
    assert agenda.is_empty
    assert agenda.as_of == date(2027, 1, 3)
    assert agenda.title == "Weekly review 2026-W53"
