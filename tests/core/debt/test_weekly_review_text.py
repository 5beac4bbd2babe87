from __future__ import annotations

import json
from datetime import date

from kintsugi.core.debt.items import review_note
from kintsugi.core.debt.weekly_review import WeeklyReview, build_weekly_review
from kintsugi.core.debt.weekly_review_text import escape_markdown, to_dict, to_markdown, to_text
from kintsugi.core.debt.weeks import IsoWeek
from kintsugi.core.vocabulary import ActionStatus, Priority
from tests.core.debt.helpers import at, item

WEEK = IsoWeek(2026, 48)
TODAY = date(2026, 11, 25)


def _agenda() -> WeeklyReview:
    return build_weekly_review(
        [
            item(
                id=11,
                title="Cap the pool *per* worker",
                due_on=date(2026, 11, 20),
                url="https://kintsugi.example/actions/11",
                ticket_url="https://jira.example/browse/OPS-1",
                incident_title="Connection pool exhausted",
                incident_url="https://kintsugi.example/incidents/7",
                last_review=review_note(
                    reviewed_at=at(date(2026, 11, 18)), reviewer="bob", note="Vendor patch due"
                ),
            ),
            item(id=12, title="Add a migration lock", due_on=date(2026, 11, 26), owner=None),
            item(
                id=13,
                title="Retire the old proxy",
                priority=Priority.P3,
                status=ActionStatus.WONT_DO,
                status_reason="Proxy removed in INC-9",
                closed_on=date(2026, 11, 24),
            ),
        ],
        week=WEEK,
        today=TODAY,
        team="Platform",
    )


def test_it_renders_markdown_in_agenda_order() -> None:
    text = to_markdown(_agenda())
    lines = text.splitlines()
    assert lines[0] == "# Weekly review 2026-W48 - team Platform"
    assert lines[4] == (
        "**1 overdue, 1 at risk, 0 missing an owner, ticket or date; "
        "0 opened and 1 completed this week**"
    )
    assert [line for line in lines if line.startswith("## ")] == [
        "## Overdue (1)",
        "## At risk (1)",
        "## Missing an owner, ticket or target date (0)",
        "## Opened this week (0)",
        "## Completed this week (1)",
    ]
    assert (
        "- **[Cap the pool \\*per\\* worker](https://kintsugi.example/actions/11)** - P1 · "
        "owner alice · age 23 days · 5 days over (due 2026-11-20) · "
        "ticket [OPS-1](https://jira.example/browse/OPS-1) · "
        "[INC-7](https://kintsugi.example/incidents/7) Connection pool exhausted"
    ) in lines
    assert "  - Reviewed 2026-11-18 by bob: Vendor patch due" in lines
    assert (
        "- **Add a migration lock** - P1 · no owner · age 23 days · "
        "due 2026-11-26 (in 1 day) · ticket OPS-1 · INC-7"
    ) in lines
    assert lines[-1] == (
        "- **Retire the old proxy** - P3 · owner alice · age 22 days · won't do · "
        "ticket OPS-1 · INC-7 · reason: Proxy removed in INC-9"
    )
    assert lines.count("_Nothing._") == 2


def test_it_escapes_markdown_in_user_text() -> None:
    assert escape_markdown("[click](javascript:alert(1)) <b>`x`</b> a|b") == (
        "\\[click\\](javascript:alert(1)) \\<b\\>\\`x\\`\\</b\\> a\\|b"
    )
    assert escape_markdown("two\nlines") == "two lines"


def test_it_refuses_to_link_anything_but_http() -> None:
    agenda = build_weekly_review(
        [item(title="x", due_on=date(2026, 11, 20), url="javascript:alert(1)")],
        week=WEEK,
        today=TODAY,
    )
    assert "javascript:" not in to_markdown(agenda)


def test_it_renders_plain_text_for_email() -> None:
    text = to_text(_agenda())
    lines = text.splitlines()
    assert lines[0] == "Weekly review 2026-W48 - team Platform"
    assert lines[1] == "2026-11-23 to 2026-11-29 (as of 2026-11-25)"
    assert "OVERDUE (1)" in lines
    assert "* Cap the pool *per* worker" in lines
    assert (
        "  P1 | owner alice | age 23 days | 5 days over (due 2026-11-20) | ticket OPS-1 | "
        "INC-7 Connection pool exhausted"
    ) in lines
    assert "  Reviewed 2026-11-18 by bob: Vendor patch due" in lines
    assert "  https://kintsugi.example/actions/11" in lines
    assert "Nothing." in lines


def test_it_gives_a_json_able_dict() -> None:
    data = to_dict(_agenda())
    assert json.loads(json.dumps(data)) == data
    assert data["week"] == "2026-W48"
    assert data["summary"] == {
        "overdue": 1,
        "at_risk": 1,
        "missing": 0,
        "opened": 0,
        "completed": 1,
        "opened_this_week": 0,
        "completed_this_week": 1,
    }
    overdue = data["sections"][0]
    assert overdue["key"] == "overdue"
    entry = overdue["entries"][0]
    assert entry["days_over"] == 5
    assert entry["ticket"] == {"id": "OPS-1", "url": "https://jira.example/browse/OPS-1"}
    assert entry["incident"]["reference"] == "INC-7"
    assert entry["review"]["note"] == "Vendor patch due"
    assert data["sections"][1]["entries"][0]["missing"] == ["owner"]


def test_owners_are_named_by_their_name_when_they_gave_one() -> None:
    named = item(id=21, title="Cap the pool", due_on=date(2026, 11, 20), owner_name="Alice Ng")
    agenda = build_weekly_review([named], week=WEEK, today=TODAY, team="Platform")
    assert "owner Alice Ng ·" in to_markdown(agenda)
    assert "owner Alice Ng" in to_text(agenda)
    (entry,) = [e for section in to_dict(agenda)["sections"] for e in section["entries"]]
    assert (entry["owner"], entry["owner_name"]) == ("alice", "Alice Ng")
    anonymous = build_weekly_review([item(id=22, title="X", due_on=date(2026, 11, 20))], week=WEEK,
                             today=TODAY, team="Platform")  # fmt: skip
    assert "owner alice ·" in to_markdown(anonymous)  # no name given: the username
