"""Insights in Chromium: the nav link, the charts as tables with values and bars, a filter
applied and a bad one reported, a CSV download, print media and the digest page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kintsugi.core.debt.clock import ManualClock
from kintsugi.postmortems.models import Incident, TimelineEvent

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
NOV = datetime(2026, 11, 3, 9, tzinfo=UTC)


@pytest.fixture
def clock():
    from kintsugi.debt.clock import set_clock

    previous = set_clock(ManualClock(NOW))
    yield
    set_clock(previous)


@pytest.fixture
def seeded(team, owner):
    for severity, minutes, title in (("SEV1", 10, "Pool exhausted"), ("SEV2", 30, "Bad deploy")):
        incident = Incident.objects.create(
            title=title,
            severity=severity,
            started_at=NOV,
            team=team,
            created_by=owner,
            status="published",
            published_at=NOV + timedelta(days=2),
        )
        TimelineEvent.objects.create(
            incident=incident,
            occurred_at=NOV + timedelta(minutes=minutes),
            kind="alert_fired",
            text="Alert",
        )
    Incident.objects.create(
        title="Secret outage",
        severity="SEV1",
        started_at=NOV,
        is_restricted=True,
        status="published",
        published_at=NOV + timedelta(days=2),
    )


def test_insights_shows_charts_filters_csv_and_the_digest(page, login, clock, seeded):
    login("alice")
    page.get_by_test_id("nav-insights").click()
    expect(page.get_by_role("heading", name="Insights", level=1)).to_be_visible()
    chart = page.get_by_test_id("chart-incidents-by-severity")
    row = chart.locator("tr", has=page.locator("th", has_text="2026-11"))
    expect(row.locator("td")).to_have_text(["1", "1", "0", "0", "2", ""])
    expect(row.locator("svg.bar rect").nth(1)).to_have_attribute("width", "100")
    detect = page.get_by_test_id("chart-time-to-detect")
    expect(detect.locator("tr", has=page.locator("th", has_text="2026-11"))).to_contain_text(
        "10 min"
    )
    # A filter from the form, then a bad one typed into the address.
    page.select_option("#f-severity", "SEV2")
    page.get_by_test_id("insights-filter").click()
    expect(row.locator("td").nth(4)).to_have_text("1")
    page.goto("/insights/?team=nobody&start=2026-13")
    expect(page.get_by_test_id("filter-error")).to_have_count(2)
    expect(page.get_by_test_id("filter-error").first).to_contain_text("That filter was ignored")
    # The CSV download.
    page.goto("/insights/")
    with page.expect_download() as info:
        page.get_by_test_id("csv-incidents-by-severity").click()
    download = info.value
    assert download.suggested_filename == "incidents-by-severity-2026-01-2026-12.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert "2026-11,1,1,0,0,2" in text
    # Printed: no filters or links, the tables stay.
    page.emulate_media(media="print")
    expect(page.get_by_test_id("insights-filters")).to_be_hidden()
    expect(chart.locator("table")).to_be_visible()
    page.emulate_media(media="screen")
    # The digest: published post-mortems that alice may see.
    page.get_by_test_id("insights-digest-link").click()
    page.goto("/insights/digest/2026-11/")
    published = page.get_by_test_id("digest-published")
    expect(published).to_contain_text("Pool exhausted")
    expect(published).not_to_contain_text("Secret outage")
    assert page.js_errors == []


WIDE = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 391 && !e.closest('.table-scroll'))
  .slice(0, 12).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def test_insights_fits_a_390_px_phone(page, login, clock, seeded):
    page.set_viewport_size({"width": 390, "height": 844})
    login("alice")
    page.goto("/insights/")
    page.wait_for_load_state("networkidle")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, (width, page.evaluate(WIDE))
    # The tables scroll inside their own box rather than widening the page.
    boxes = page.locator(".insights-chart .table-scroll")
    assert boxes.count() > 0
    assert boxes.first.evaluate("e => getComputedStyle(e).overflowX") == "auto"
