"""Writing a whole post-mortem in Chromium: login, create, timeline, factor, lessons,
action items, export. Each section is saved with htmx; a marker on ``window`` proves the
page was never reloaded."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from kintsugi.postmortems.models import ActionItem, Incident

pytestmark = pytest.mark.django_db(transaction=True)


def _no_reload_marker(page):
    page.evaluate("window.__kintsugiMarker = 'still-here'")


def _assert_not_reloaded(page):
    assert page.evaluate("window.__kintsugiMarker") == "still-here"


def test_it_refuses_a_wrong_password_and_logs_in(page, owner):
    page.goto("/")
    assert "/login/" in page.url
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    expect(page.get_by_test_id("login-error")).to_be_visible()
    from tests.conftest import PASSWORD

    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_test_id("nav-new")).to_be_visible()


def test_it_writes_a_whole_postmortem_in_the_browser(page, login, owner, teammate, team, service):
    login("alice")
    page.get_by_test_id("nav-new").click()
    form = page.get_by_test_id("incident-create-form")
    form.locator("[name=title]").fill("Login outage after pool exhaustion")
    form.locator("input[name=severity][value=SEV2]").check()
    form.locator("[name=started_at]").fill("2026-03-01 15:02 Europe/Paris")
    form.locator("[name=team]").select_option(label="Platform")
    page.get_by_test_id("incident-create-submit").click()
    expect(page.get_by_test_id("incident-title")).to_have_text("Login outage after pool exhaustion")
    incident = Incident.objects.get(title="Login outage after pool exhaustion")
    assert incident.started_at.isoformat() == "2026-03-01T14:02:00+00:00"
    _no_reload_marker(page)

    # Timeline: two key events, entered in other zones, shown in UTC.
    page.get_by_test_id("timeline-add").click()
    add = page.get_by_test_id("timeline-add-form")
    add.locator("[name=occurred_at]").fill("2026-03-01T14:06:00Z")
    add.locator("[name=kind]").select_option("alert_fired")
    add.locator("[name=text]").fill("HTTP 5xx alert fired for the login service")
    page.get_by_test_id("timeline-add-save").click()
    expect(page.get_by_test_id("timeline-event")).to_have_count(1)
    add = page.get_by_test_id("timeline-add-form")
    add.locator("[name=occurred_at]").fill("2026-03-01 10:51 -04:00")
    add.locator("[name=kind]").select_option("mitigated")
    add.locator("[name=text]").fill("Pool recycled, errors back to normal")
    page.get_by_test_id("timeline-add-save").click()
    expect(page.get_by_test_id("timeline-event")).to_have_count(2)
    expect(page.get_by_test_id("timeline-list")).to_contain_text("14:51")
    expect(page.get_by_test_id("metric-ttd")).to_have_text("4m")
    expect(page.get_by_test_id("metric-downtime")).to_have_text("49m")

    # A mitigation before detection is refused with a message; what was typed stays.
    add = page.get_by_test_id("timeline-add-form")
    add.locator("[name=occurred_at]").fill("2026-03-01 14:03 UTC")
    add.locator("[name=kind]").select_option("mitigated")
    add.locator("[name=text]").fill("Impossible early mitigation")
    page.get_by_test_id("timeline-add-save").click()
    expect(page.get_by_test_id("timeline-add-form")).to_contain_text("before")
    expect(page.get_by_test_id("timeline-add-form").locator("[name=text]")).to_have_value(
        "Impossible early mitigation"
    )
    assert incident.events.count() == 2

    # A contributing factor with an evidence link.
    page.get_by_test_id("factor-add").click()
    factor_form = page.get_by_test_id("factor-add-form")
    factor_form.locator("[name=title]").fill("Migration held a table lock at peak")
    factor_form.locator("[name=description]").fill("ACCESS EXCLUSIVE lock on users for 40 minutes.")
    page.get_by_test_id("factor-add-save").click()
    expect(page.get_by_test_id("factor")).to_have_count(1)
    page.get_by_test_id("evidence-add").click()
    evidence = page.get_by_test_id("evidence-form")
    evidence.locator("[name=kind]").select_option("graph")
    evidence.locator("[name=url]").fill("https://grafana.example.com/d/pool")
    evidence.locator("[name=label]").fill("Pool saturation")
    page.get_by_test_id("evidence-save").click()
    expect(page.get_by_test_id("evidence-link")).to_have_attribute(
        "href", "https://grafana.example.com/d/pool"
    )

    # Lessons: one of each kind.
    for kind, text in (
        ("went_well", "Alert fired within four minutes"),
        ("went_poorly", "Pool dashboard hid the lock holders"),
        ("got_lucky", "The migration was additive"),
    ):
        page.get_by_test_id(f"lesson-add-{kind}").click()
        page.get_by_test_id(f"lesson-add-form-{kind}").locator("[name=text]").fill(text)
        page.get_by_test_id(f"lesson-add-save-{kind}").click()
        expect(page.get_by_test_id(f"lessons-{kind}")).to_contain_text(text)

    # Action items: one complete, one missing its owner, ticket and date.
    page.get_by_test_id("action-add").click()
    action = page.get_by_test_id("action-add-form")
    action.locator("[name=title]").fill("Alert on runner credential expiry")
    action.locator("[name=priority]").select_option("P0")
    action.locator("[name=owner]").select_option(value="bob")
    action.locator("[name=ticket_id]").fill("PLAT-311")
    action.locator("[name=ticket_url]").fill("https://jira.example.com/browse/PLAT-311")
    action.locator("[name=due_on]").fill("2026-03-10")
    page.get_by_test_id("action-add-save").click()
    expect(page.get_by_test_id("action-item")).to_have_count(1)
    action = page.get_by_test_id("action-add-form")
    action.locator("[name=title]").fill("Show top connection holders")
    action.locator("[name=priority]").select_option("P2")
    page.get_by_test_id("action-add-save").click()
    expect(page.get_by_test_id("action-item")).to_have_count(2)
    items = page.get_by_test_id("action-item")
    expect(items.first).to_contain_text("Alert on runner credential expiry")  # sorted by priority
    expect(items.nth(1).get_by_test_id("action-missing")).to_be_visible()
    assert ActionItem.objects.get(ticket_id="PLAT-311").owner == teammate
    # The debt box follows each save, without a reload.
    debt = page.get_by_test_id("postmortem-debt")
    expect(debt.get_by_test_id("debt-completion")).to_have_text("0 of 2 action items closed (0 %)")

    _assert_not_reloaded(page)
    assert page.js_errors == []

    # Export as Markdown: a real download through access control.
    page.get_by_test_id("export-menu").click()
    with page.expect_download() as download_info:
        page.get_by_test_id("export-md").click()
    markdown = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert markdown.startswith("---")
    for fragment in (
        "## Incident Timeline",
        "Migration held a table lock at peak",
        "PLAT-311",
        "The migration was additive",
        "2026-03-01",
    ):
        assert fragment in markdown


def test_it_keeps_unsaved_text_in_another_section_when_one_is_saved(page, login, owner, incident):
    login("alice")
    page.goto(f"/incidents/{incident.pk}/")
    page.get_by_test_id("summary-edit").click()
    page.get_by_test_id("summary-form").locator("[name=summary]").fill("Draft text not saved yet")
    page.get_by_test_id("factor-add").click()
    page.get_by_test_id("factor-add-form").locator("[name=title]").fill("Pool too small")
    page.get_by_test_id("factor-add-save").click()
    expect(page.get_by_test_id("factor")).to_have_count(1)
    expect(page.get_by_test_id("summary-form").locator("[name=summary]")).to_have_value(
        "Draft text not saved yet"
    )


def test_it_refuses_the_second_of_two_concurrent_saves_and_shows_the_newer_text(
    chromium, live_server, owner, teammate, incident
):
    from tests.conftest import PASSWORD

    pages = []
    for username in ("alice", "bob"):
        context = chromium.new_context(base_url=live_server.url)
        browser_page = context.new_page()
        browser_page.goto("/login/")
        browser_page.fill("input[name=username]", username)
        browser_page.fill("input[name=password]", PASSWORD)
        browser_page.click("button[type=submit]")
        browser_page.wait_for_url("**/")
        browser_page.goto(f"/incidents/{incident.pk}/")
        browser_page.get_by_test_id("summary-edit").click()
        pages.append(browser_page)
    first, second = pages
    first.get_by_test_id("summary-form").locator("[name=summary]").fill("Alice's account of it")
    first.get_by_test_id("summary-save").click()
    expect(first.get_by_test_id("summary-text")).to_contain_text("Alice's account of it")
    second.get_by_test_id("summary-form").locator("[name=summary]").fill("Bob's account of it")
    second.get_by_test_id("summary-save").click()
    expect(second.get_by_test_id("conflict")).to_be_visible()
    expect(second.get_by_test_id("conflict")).to_contain_text("Alice's account of it")
    expect(second.get_by_test_id("summary-form").locator("[name=summary]")).to_have_value(
        "Bob's account of it"
    )
    incident.refresh_from_db()
    assert incident.summary == "Alice's account of it"
    for browser_page in pages:
        browser_page.context.close()
