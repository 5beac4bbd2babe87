"""Building a branching 5 Whys in Chromium, keyboard first, without a page reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kintsugi.five_whys.models import WhyNode

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_builds_a_branching_chain(page, login, owner, incident):
    login("alice")
    page.goto(f"/incidents/{incident.pk}/")
    page.evaluate("window.__kintsugiMarker = 'still-here'")
    section = page.get_by_test_id("section-five-whys")

    # Start the first branch; Enter in the answer saves it.
    section.get_by_test_id("why-new-branch").click()
    new = section.locator("details.why-new form")
    new.get_by_test_id("why-question-input").fill("Why did checkout fail?")
    answer = new.get_by_test_id("why-answer-input")
    answer.fill("The database connection pool was exhausted.")
    answer.press("Enter")
    expect(section.get_by_test_id("why-step")).to_have_count(1)

    # The next why is offered from the answer, and has the cursor.
    following = section.get_by_test_id("why-next").last
    question = following.get_by_test_id("why-question-input")
    expect(question).to_have_value("Why was the database connection pool exhausted?")
    expect(question).to_be_focused()
    question.press("Enter")  # moves to the answer
    page.keyboard.type("A slow migration locked the users table.")
    page.keyboard.press("Enter")
    expect(section.get_by_test_id("why-step")).to_have_count(2)

    # A finding appears while an answer ends on a person, and goes after rewording.
    following = section.get_by_test_id("why-next").last
    expect(following.get_by_test_id("why-question-input")).to_have_value(
        "Why did a slow migration lock the users table?"
    )
    answer = following.get_by_test_id("why-answer-input")
    # Typed, as a person would: a fill() in the instant the step is swapped in can land
    # before htmx has bound the live check to the field.
    answer.press_sequentially("An engineer ran the script manually.", delay=5)
    live = following.get_by_test_id("why-live-findings")
    expect(live.locator('[data-rule="whys/ends-on-person"]')).to_be_visible()
    answer.fill("The deploy script runs migrations without checking the time of day.")
    expect(live.locator('[data-rule="whys/ends-on-person"]')).to_have_count(0)
    answer.press("Enter")
    expect(section.get_by_test_id("why-step")).to_have_count(3)

    # A branch at step 1.
    first = section.get_by_test_id("why-step").first
    first.get_by_test_id("why-fork").first.click()
    fork = first.locator("details.why-fork form").first
    fork.get_by_test_id("why-branch-title").fill("Pool size")
    fork.get_by_test_id("why-question-input").fill("Why was the pool so small?")
    fork.get_by_test_id("why-answer-input").fill("The pool size is a fixed default of 20.")
    fork.get_by_test_id("why-answer-input").press("Enter")
    expect(section.locator('[data-branch="1.1"]')).to_contain_text("Pool size")

    # Mark step 2 as the root cause of branch 1.
    second = section.locator('[data-step="1.2"]')
    second.get_by_test_id("why-mark").first.click()
    expect(section.locator('[data-step="1.2"]').get_by_test_id("why-root-badge")).to_have_text(
        "Root cause (marked)"
    )

    # Evidence and a trigger through Edit: a link and a quoted log line under the answer.
    first = section.get_by_test_id("why-step").first
    first.get_by_test_id("why-edit").first.click()
    edit = first.locator("details.why-edit form").first
    edit.get_by_test_id("why-trigger").fill("Deploy 4411 at 14:00 UTC")
    evidence = edit.get_by_test_id("why-evidence-input")
    evidence.fill("graph: https://grafana.example.com/d/pool")
    evidence.press("Enter")  # a new line, not a save
    evidence.press_sequentially("log: pool timeout after 30000ms", delay=5)
    edit.get_by_test_id("why-save").click()
    shown = section.get_by_test_id("why-step").first.get_by_test_id("why-evidence").first
    expect(shown.get_by_test_id("why-evidence-link")).to_have_attribute(
        "href", "https://grafana.example.com/d/pool"
    )
    expect(shown.get_by_test_id("why-evidence-quote")).to_have_text("pool timeout after 30000ms")
    expect(section.locator('[data-branch="1"] .why-trigger').first).to_contain_text("Deploy 4411")

    # Escape closes a form without saving.
    section.get_by_test_id("why-new-branch").click()
    section.locator("details.why-new form").get_by_test_id("why-answer-input").fill("Unsaved")
    page.keyboard.press("Escape")
    expect(section.locator("details.why-new")).not_to_have_attribute("open", "")

    assert page.evaluate("window.__kintsugiMarker") == "still-here"
    assert WhyNode.objects.count() == 4
    assert WhyNode.objects.get(parent=None).evidence == [
        {"kind": "graph", "content": "https://grafana.example.com/d/pool"},
        {"kind": "log", "content": "pool timeout after 30000ms"},
    ]
    assert (
        WhyNode.objects.get(is_root_cause=True).answer == "A slow migration locked the users table."
    )
