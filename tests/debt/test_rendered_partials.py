"""The weekly review's entries and the charts render the same HTML from their templates
as they did from Python strings, on a set of fixtures with hostile text.

``rendered_partials.json`` holds what the Python-string versions (before issue 15)
rendered for each fixture; the templates must write the same bytes.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kintsugi.core.debt.dashboard import TrendPoint
from kintsugi.core.debt.items import ActionSnapshot, ReviewNote
from kintsugi.core.debt.sprints import CapacityUnit, Sprint, SprintReport
from kintsugi.core.debt.states import DebtState
from kintsugi.core.debt.weekly_review import WeeklyReviewEntry
from kintsugi.core.debt.weeks import IsoWeek
from kintsugi.core.vocabulary import ActionStatus, Priority, Severity
from kintsugi.debt import charts, weekly_review_rows

EXPECTED = json.loads((Path(__file__).parent / "rendered_partials.json").read_text("utf-8"))
HOSTILE = "<img src=x onerror=alert(1)> \"quoted\" & 'single' *bold*"
AS_OF = date(2026, 11, 25)


def _entry(n: int, **changes) -> WeeklyReviewEntry:
    fields = {
        "id": 40 + n,
        "title": f"Cap the pool {n}",
        "priority": Priority.P1,
        "status": ActionStatus.OPEN,
        "created_at": datetime(2026, 11, 3, 12, tzinfo=UTC),
        "policy_due_on": date(2026, 11, 16),
        "incident_id": 7,
        "due_on": date(2026, 11, 16),
        "owner": "bob",
        "ticket_id": "OPS-12",
        "ticket_url": "https://tickets.example/OPS-12",
        "incident_title": "Pool exhausted",
        "severity": Severity.SEV2,
        "team": "platform",
        "url": "/incidents/7/#action-41",
        "incident_url": "/incidents/7/",
    }
    review = changes.pop("review", None)
    state = changes.pop("state", DebtState.OVERDUE)
    fields.update(changes)
    return WeeklyReviewEntry(
        item=ActionSnapshot(**fields), state=state, age_days=22, days_over=9, review=review
    )


ENTRIES = [
    _entry(0),
    _entry(1, title=HOSTILE, owner=HOSTILE, incident_title=HOSTILE, ticket_id=HOSTILE),
    _entry(2, url="", ticket_url="javascript:alert(1)", incident_url="//evil.example/x"),
    _entry(3, owner=None, ticket_id="", due_on=None, state=DebtState.NO_DATE),
    _entry(
        4,
        review=ReviewNote(datetime(2026, 11, 18, 9, tzinfo=UTC), HOSTILE, HOSTILE),
        state=DebtState.AT_RISK,
    ),
    _entry(5, url='/x" onmouseover="alert(1)', owner_name="Bob <b>Builder</b>"),
]


@pytest.mark.parametrize("entry", ENTRIES, ids=[str(e.item.id) for e in ENTRIES])
@pytest.mark.parametrize("may_mark", [True, False])
def test_an_agenda_entry_renders_as_before(entry, may_mark):
    def mark(item_id: int) -> str:
        return f"/debt/items/{item_id}/reviewed/"

    kwargs = {
        "as_of": AS_OF,
        "week": IsoWeek(2026, 48),
        "mark_url": mark if may_mark else None,
        "csrf": 'tok"en<',
    }
    expected = EXPECTED[f"entry-{entry.item.id}-{'mark' if may_mark else 'read'}"]
    assert weekly_review_rows.section_entries([entry], **kwargs) == expected


def test_a_section_renders_as_its_entries_did():
    kwargs = {"as_of": AS_OF, "week": IsoWeek(2026, 48), "csrf": 'tok"en<'}
    for mark_url, name in (
        (lambda item_id: f"/debt/items/{item_id}/reviewed/", "mark"),
        (None, "read"),
    ):
        expected = "".join(EXPECTED[f"entry-{entry.item.id}-{name}"] for entry in ENTRIES)
        assert weekly_review_rows.section_entries(ENTRIES, mark_url=mark_url, **kwargs) == expected
    assert weekly_review_rows.section_entries([], mark_url=None, **kwargs) == ""


@pytest.mark.parametrize("line", [None, "", "Reviewed 2026-11-18 by bob: <b>ok</b>"])
@pytest.mark.parametrize("error", ["", "The note is too long <2000>."])
@pytest.mark.parametrize("mark_url", [None, "/debt/items/41/reviewed/?a=1&b=<2>"])
def test_a_review_slot_renders_as_before(line, error, mark_url):
    kwargs = {
        "item_id": 41,
        "line": line,
        "error": error,
        "week": "2026-W48",
        "mark_url": mark_url,
        "csrf": "abc&def",
    }
    assert (
        weekly_review_rows.review_slot(**kwargs)
        == EXPECTED[f"slot-{line!r}-{error!r}-{mark_url!r}"]
    )


def _points(values: list[tuple[int, int]]) -> list[TrendPoint]:
    weeks = [IsoWeek(2026, 48)] if values else []
    while len(weeks) < len(values):
        weeks.append(weeks[-1].previous())
    return [
        TrendPoint(week=w, as_of=min(AS_OF, w.sunday), open=o, overdue=d)
        for w, (o, d) in zip(reversed(weeks), values, strict=True)
    ]


TRENDS = [
    [],
    [(0, 0)],
    [(3, 1), (5, 2)],
    [(i * 37 % 101, i * 13 % 41) for i in range(12)],
    [(120_000 + i, 80_000 - i) for i in range(12)],
]


@pytest.mark.parametrize("index", range(len(TRENDS)))
def test_the_trend_chart_renders_as_before(index):
    assert str(charts.trend_chart(_points(TRENDS[index]))) == EXPECTED[f"trend-{index}"]


def _report(n: int, reserved: float, planned: float, done: float) -> SprintReport:
    start = date(2026, 1, 5)
    return SprintReport(
        sprint=Sprint(number=n, start_on=start, end_on=start),
        unit=CapacityUnit.POINTS,
        reserved=reserved,
        planned=planned,
        done=done,
        planned_items=3,
        done_items=1,
        unestimated_items=0,
        overdue_high_items=0,
        warnings=(),
    )


SPRINTS = [
    [],
    [_report(1, 0, 0, 0)],
    [_report(1, 8, 5.5, 2), _report(2, 8, 12, 8)],
    [_report(i, 4 + i * 0.5, i * 1.25, i) for i in range(1, 13)],
]


@pytest.mark.parametrize("index", range(len(SPRINTS)))
def test_the_sprint_chart_renders_as_before(index):
    assert str(charts.sprint_chart(SPRINTS[index])) == EXPECTED[f"sprints-{index}"]
