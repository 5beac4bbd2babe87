"""Slack in the browser: upload an export, keep / edit / drop messages, add them to the
timeline, and find each event's link back to its message."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kintsugi.postmortems.models import TimelineEvent
from tests.core.capture.slack_export import CHANNEL_ID, export_zip

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_person_picks_slack_messages_for_the_timeline(page, login, owner, incident):
    login("alice")
    page.goto(f"/incidents/{incident.pk}/")
    page.get_by_test_id("timeline-slack").click()
    page.set_input_files(
        "input[name=export]",
        {"name": "acme-export.zip", "mimeType": "application/zip", "buffer": export_zip()},
    )
    page.fill("input[name=channel]", "#inc-checkout")
    page.fill("input[name=start]", "2026-03-01 14:00 UTC")
    page.fill("input[name=end]", "2026-03-01 16:00 UTC")
    page.fill("input[name=workspace_url]", "https://acme.slack.com")
    page.get_by_test_id("slack-upload").click()

    rows = page.get_by_test_id("candidate-row")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_have_attribute("data-state", "kept")  # pinned
    expect(rows.nth(1)).to_have_attribute("data-state", "pending")

    rows.nth(1).get_by_test_id("candidate-keep").click()
    expect(rows.nth(1)).to_have_attribute("data-state", "kept")
    rows.nth(2).get_by_test_id("candidate-drop").click()
    expect(rows.nth(2)).to_have_attribute("data-state", "dropped")
    rows.nth(3).get_by_test_id("candidate-edit").click()
    form = page.get_by_test_id("candidate-form")
    form.locator("textarea[name=text]").fill("Alice confirmed the rollback fixed checkout")
    form.get_by_test_id("candidate-save").click()
    expect(page.get_by_test_id("candidate-form")).to_have_count(0)
    expect(rows.nth(3)).to_have_attribute("data-state", "kept")
    expect(rows.nth(3).get_by_test_id("candidate-text")).to_have_text(
        "Alice confirmed the rollback fixed checkout"
    )

    page.get_by_test_id("candidates-add").click()
    page.wait_for_url(f"**/incidents/{incident.pk}/#timeline")
    events = page.get_by_test_id("timeline-event")
    expect(events).to_have_count(3)
    expect(events.nth(1).get_by_test_id("event-text")).to_contain_text(
        "Bob Diaz: Looking. Dashboard: checkout errors in #general"
    )
    link = events.nth(0).get_by_test_id("event-evidence")
    expect(link).to_have_attribute(
        "href", f"https://acme.slack.com/archives/{CHANNEL_ID}/p1772373900000000"
    )
    texts = list(
        TimelineEvent.objects.filter(incident=incident)
        .order_by("occurred_at")
        .values_list("text", flat=True)
    )
    assert texts[-1] == "alice.ng: Alice confirmed the rollback fixed checkout"
    assert page.js_errors == []
