"""Blameless-language hints while writing, the document summary, and the publishing gate,
in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kintsugi.blameless.services import language_settings_update

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_flags_blame_while_typing_and_clears_it_after_a_rewording(page, login, owner, incident):
    login("alice")
    page.goto(f"/incidents/{incident.pk}/")
    expect(page.get_by_test_id("lint-clean")).to_be_visible()
    page.get_by_test_id("summary-edit").click()
    editor = page.get_by_test_id("summary-form").locator("[name=summary]")
    hint = page.locator("[data-testid=lint-hint][data-lint-field=summary]")

    editor.fill("")
    editor.press_sequentially("Bob should have checked the dashboard", delay=10)
    finding = hint.get_by_test_id("lint-finding")
    expect(finding).to_have_count(1)
    expect(finding).to_have_attribute("data-rule", "blame/should-have")
    expect(finding.get_by_test_id("lint-suggestion")).to_contain_text("dashboard was not checked")
    expect(finding.get_by_test_id("lint-excerpt")).to_have_text("should have")
    # One click shows the rule's reasoning.
    why = finding.get_by_test_id("lint-why")
    expect(why.get_by_text("It leaves alone:")).to_be_hidden()
    why.locator("summary").click()
    expect(why.get_by_text("It leaves alone:")).to_be_visible()

    # Saving refreshes the document summary.
    page.get_by_test_id("summary-save").click()
    expect(page.get_by_test_id("lint-count-warning")).to_have_text("1 warning")

    page.get_by_test_id("summary-edit").click()
    editor = page.get_by_test_id("summary-form").locator("[name=summary]")
    expect(hint.get_by_test_id("lint-finding")).to_have_count(1)  # the stored text, at once
    # Typed over the stored text, as a person would: a fill() in the same instant the form
    # is swapped in can land before htmx has bound the hint to the field.
    editor.select_text()
    editor.press_sequentially("The deploy checklist does not include the dashboard check.", delay=5)
    expect(hint.get_by_test_id("lint-finding")).to_have_count(0)
    page.get_by_test_id("summary-save").click()
    expect(page.get_by_test_id("lint-clean")).to_be_visible()
    assert page.js_errors == []


def test_it_refuses_to_publish_blameful_text_in_block_mode(
    page, login, owner, admin_user, incident
):
    language_settings_update(user=admin_user, publishing_mode="block")
    incident.summary = "Root cause: human error."
    incident.save()
    login("alice")
    page.goto(f"/incidents/{incident.pk}/")
    expect(page.get_by_test_id("lint-count-error")).to_have_text("2 errors")
    page.get_by_test_id("header-edit").click()
    form = page.get_by_test_id("header-form")
    expect(form.get_by_test_id("lint-open-count")).to_have_text("2")
    expect(form.get_by_test_id("lint-publishing")).to_contain_text("Publishing is refused")
    form.locator("[name=status]").select_option("published")
    page.get_by_test_id("header-save").click()
    error = page.get_by_test_id("error-status")
    expect(error).to_contain_text("Publishing is blocked")
    expect(error).to_contain_text("human error")
    incident.refresh_from_db()
    assert incident.status == "draft"
    assert page.js_errors == []
