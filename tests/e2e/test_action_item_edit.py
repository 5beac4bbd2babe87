"""Editing an action item in Chromium: the whole form is posted, the empty reason too (issue 20)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import expect

from kintsugi.postmortems import services
from kintsugi.postmortems.models import ActionItem

pytestmark = pytest.mark.django_db(transaction=True)


def test_closing_an_imported_item_dated_beyond_the_policy_saves(page, login, owner, teammate, team):
    """The import kept a date 10 weeks past the P1 window without a reason: closing it saves."""
    incident = services.incident_create(
        user=None, title="Pool exhausted", started_at=datetime(2026, 3, 1, tzinfo=UTC),
        severity="SEV2", team=team,
    )  # fmt: skip
    item = services.action_item_add(
        user=None, incident=incident, title="Load test the pool", priority="P1",
        owner=teammate, ticket_id="OPS-7", due_on=date(2026, 5, 20),
    )  # fmt: skip
    login(owner.username)
    page.goto(f"/incidents/{incident.pk}/")
    row = page.locator(f"#action-{item.pk}")
    row.get_by_test_id("action-edit").click()
    form = page.get_by_test_id("action-form")
    form.locator("[name=status]").select_option("done")
    page.get_by_test_id("action-save").click()
    expect(page.locator(f"#action-{item.pk}").get_by_test_id("action-status")).to_have_text("Done")
    item.refresh_from_db()
    assert (item.status, item.due_on, item.due_reason) == ("done", date(2026, 5, 20), "")
    assert ActionItem.objects.count() == 1 and page.js_errors == []
