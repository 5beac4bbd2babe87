"""History in Chromium: edit the summary twice, open History, see the diff, restore the
first text and see it back on the post-mortem."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kintsugi.history.models import Version
from kintsugi.postmortems.models import Incident

pytestmark = pytest.mark.django_db(transaction=True)


def _save_impact(page, text: str) -> None:
    page.get_by_test_id("summary-edit").click()
    form = page.get_by_test_id("summary-form")
    form.locator("[name=impact]").fill(text)
    page.get_by_test_id("summary-save").click()
    expect(page.get_by_test_id("impact-text")).to_contain_text(text)


def test_edit_twice_see_the_diff_and_restore(page, login, owner, incident):
    login("alice")
    page.goto(f"/incidents/{incident.pk}/")
    _save_impact(page, "Payments failed for customers in the EU region.")
    _save_impact(page, "Payments failed for every customer worldwide.")
    # The incident fixture's creation committed too: versions 1 (created), 2 and 3.
    assert list(Version.objects.filter(incident=incident).values_list("number", flat=True)) == [
        3,
        2,
        1,
    ]

    page.get_by_test_id("history-link").click()
    expect(page.get_by_test_id("history-versions")).to_be_visible()
    expect(page.get_by_test_id("version-3")).to_contain_text("alice")
    expect(page.get_by_test_id("version-3")).to_contain_text("Summary")
    page.get_by_test_id("what-changed-3").click()

    impact = page.get_by_test_id("diff-field-impact")
    expect(impact.locator("del", has_text="EU region")).to_have_count(1)
    expect(impact.locator("ins", has_text="worldwide")).to_have_count(1)
    expect(impact).to_contain_text("Payments failed for")

    page.get_by_test_id("restore-summary-2").locator("button").click()
    expect(page.get_by_test_id("messages")).to_contain_text("Summary restored from version 2.")
    assert Incident.objects.get(pk=incident.pk).impact.endswith("in the EU region.")
    latest = Version.objects.filter(incident=incident).first()
    assert (latest.number, latest.restored_from) == (4, 2)

    page.goto(f"/incidents/{incident.pk}/")
    expect(page.get_by_test_id("impact-text")).to_contain_text(
        "Payments failed for customers in the EU region."
    )
    assert not page.js_errors
