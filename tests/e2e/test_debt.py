"""Post-mortem debt in Chromium: the dashboard, its drill-down links, and the weekly review
(overdue first, "mark reviewed" with a note over htmx, the note on the next agenda)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import expect

from kintsugi.core.debt.clock import ManualClock
from kintsugi.debt.models import ReviewMark
from kintsugi.postmortems import services
from kintsugi.postmortems.models import ActionItem

pytestmark = pytest.mark.django_db(transaction=True)

# Wednesday of ISO week 2026-W48 (Monday 23 to Sunday 29 November 2026).
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    """The clock the debt pages read (the live server runs in this process)."""
    from kintsugi.debt.clock import set_clock

    manual = ManualClock(NOW)
    previous = set_clock(manual)
    yield manual
    set_clock(previous)


def _incident(title: str, started_at: datetime, severity: str, team):
    return services.incident_create(
        user=None, title=title, started_at=started_at, severity=severity, team=team
    )


@pytest.fixture
def seeded(team, owner, teammate):
    """One incident of team Platform with an overdue, an at-risk and an on-track item."""
    incident = _incident("Pool exhausted", datetime(2026, 11, 2, 14, tzinfo=UTC), "SEV2", team)

    def add(title: str, due_on: date, **fields) -> ActionItem:
        item = services.action_item_add(
            user=None, incident=incident, title=title, priority="P1", due_on=due_on, **fields
        )
        ActionItem.objects.filter(pk=item.pk).update(
            created_at=datetime(2026, 11, 3, 12, tzinfo=UTC)
        )
        return item

    return {
        "incident": incident,
        "overdue": add("Cap the connection pool", date(2026, 11, 16), owner=teammate),
        "at_risk": add("Alert on pool saturation", date(2026, 11, 27), owner=teammate),
        "later": add("Load test the pool", date(2026, 12, 20), owner=owner),
    }


def test_the_dashboard_shows_the_overdue_item_and_links_to_it(page, login, clock, seeded):
    login("alice")
    page.goto("/debt/")
    expect(page.get_by_test_id("kpi-overdue")).to_have_text("1")
    expect(page.get_by_test_id("kpi-open")).to_have_text("3")
    expect(page.get_by_test_id("oldest")).to_contain_text("Cap the connection pool")
    team_row = page.get_by_test_id("group-team").get_by_test_id("group-row")
    expect(team_row).to_contain_text("Platform")
    # Every column of each breakdown is in view on a laptop screen, none behind a scroll.
    hidden = page.evaluate(
        "[...document.querySelectorAll('.debt-grid .table-wrap')]"
        ".map(wrap => wrap.scrollWidth - wrap.clientWidth)"
    )
    assert hidden and max(hidden) <= 1, hidden

    page.get_by_test_id("kpi-overdue").click()
    page.wait_for_url("**/debt/items/?state=overdue")
    rows = page.get_by_test_id("item-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Cap the connection pool")
    expect(rows.first).to_contain_text("9")  # days over since 16 November
    assert page.js_errors == []


def test_the_weekly_review_lists_overdue_first_and_keeps_the_note(page, login, clock, seeded):
    login("alice")
    page.goto("/debt/review/?week=2026-W48")
    expect(page.get_by_test_id("review-title")).to_have_text("Weekly review 2026-W48")
    sections = page.locator("[data-testid^=section-]")
    expect(sections.first).to_have_attribute("data-testid", "section-overdue")
    overdue = page.get_by_test_id("section-overdue")
    expect(overdue.get_by_test_id("agenda-entry")).to_have_count(1)
    expect(overdue).to_contain_text("Cap the connection pool")
    expect(page.get_by_test_id("section-at_risk")).to_contain_text("Alert on pool saturation")
    expect(page.get_by_test_id("review-summary")).to_contain_text("1 overdue, 1 at risk")

    page.evaluate("window.__debtMarker = 'still-here'")
    entry = overdue.get_by_test_id("agenda-entry").first
    entry.locator("input[name=note]").fill("Waiting for the vendor patch")
    entry.get_by_role("button", name="Mark reviewed").click()
    expect(entry.get_by_test_id("review-line")).to_have_text(
        "Reviewed 2026-11-25 by alice: Waiting for the vendor patch"
    )
    assert page.evaluate("window.__debtMarker") == "still-here"  # htmx, no reload
    mark = ReviewMark.objects.get()
    assert mark.action_item_id == seeded["overdue"].pk and mark.week == "2026-W48"

    clock.advance(timedelta(days=7))
    page.goto("/debt/review/?week=2026-W49")
    next_overdue = page.get_by_test_id("section-overdue")
    expect(next_overdue).to_contain_text("Cap the connection pool")
    expect(next_overdue.get_by_test_id("review-line")).to_have_text(
        "Reviewed 2026-11-25 by alice: Waiting for the vendor patch"
    )
    assert page.js_errors == []


def test_the_postmortem_shows_its_debt_then_loads_what_earlier_incidents_left_open(
    page, login, clock, seeded, team, service
):
    seeded["incident"].services.add(service)
    later = _incident("Pool exhausted again", datetime(2026, 11, 24, 9, tzinfo=UTC), "SEV3", team)
    later.services.add(service)
    login("alice")
    page.goto(f"/incidents/{seeded['incident'].pk}/")
    box = page.get_by_test_id("postmortem-debt")
    expect(box.get_by_test_id("debt-overdue")).to_contain_text("Cap the connection pool")
    expect(page.get_by_test_id("debt-recurrence-loader")).to_have_count(0)  # nothing earlier
    expect(box.get_by_test_id("debt-recurrence")).to_have_count(0)

    page.goto(f"/incidents/{later.pk}/")
    recurrence = page.get_by_test_id("postmortem-debt").get_by_test_id("debt-recurrence")
    expect(recurrence.locator("li")).to_have_count(3)
    expect(recurrence.locator("li").first).to_contain_text("Cap the connection pool")
    expect(recurrence.locator("li").first).to_contain_text("Pool exhausted")
    recurrence.get_by_role("link", name="Cap the connection pool").click()
    page.wait_for_url(f"**/incidents/{seeded['incident'].pk}/#action-{seeded['overdue'].pk}")
    assert page.js_errors == []
