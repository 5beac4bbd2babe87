"""Request a review, discuss in a comment thread, approve and publish, in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.reviews.conftest import complete  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)


def _as(page, login, username: str) -> None:
    page.context.clear_cookies()
    login(username)


def test_request_review_comment_approve_and_publish(page, login, owner, teammate, complete):  # noqa: F811
    url = f"/incidents/{complete.pk}/"
    _as(page, login, "alice")
    page.goto(url)
    review = page.get_by_test_id("section-review")
    expect(review.get_by_test_id("review-status")).to_have_text("Draft")
    expect(review.get_by_test_id("review-publish")).to_be_disabled()
    expect(review.locator("[data-testid=check][data-state=passed]")).to_have_count(5)
    review.get_by_test_id("review-reviewers").fill("bob")
    review.get_by_test_id("review-request-save").click()
    expect(review.get_by_test_id("review-status")).to_have_text("In review")
    expect(review.locator("[data-testid=reviewer][data-username=bob]")).to_have_attribute(
        "data-decision", "pending"
    )

    _as(page, login, "bob")
    page.goto(url)
    comments = page.get_by_test_id("section-comments")
    comments.get_by_test_id("thread-anchor").select_option("section:timeline")
    comments.get_by_test_id("thread-text").fill("When did the first page go out? <b>not bold</b>")
    comments.get_by_test_id("thread-save").click()
    thread = comments.get_by_test_id("thread")
    expect(thread).to_have_count(1)
    expect(thread.get_by_test_id("thread-about")).to_have_text("Incident Timeline")
    expect(thread.get_by_test_id("comment-text")).to_have_text(
        "When did the first page go out? <b>not bold</b>"
    )
    # Bob's own open thread blocks his approval until it is resolved.
    review = page.get_by_test_id("section-review")
    expect(review.get_by_test_id("review-open-threads")).to_be_visible()
    review.get_by_test_id("review-approve").click()
    expect(review.get_by_test_id("review-error")).to_contain_text("open comment thread")
    thread.get_by_test_id("reply-text").fill("Found it: 14:05, in the timeline.")
    thread.get_by_test_id("reply").click()
    expect(comments.get_by_test_id("comment")).to_have_count(2)
    comments.get_by_test_id("resolve").click()
    expect(comments.get_by_test_id("thread")).to_have_attribute("data-resolved", "true")
    page.reload()
    review = page.get_by_test_id("section-review")
    review.get_by_test_id("review-approve").click()
    expect(review.get_by_test_id("review-status")).to_have_text("Approved")

    _as(page, login, "alice")
    page.goto(url)
    review = page.get_by_test_id("section-review")
    publish = review.get_by_test_id("review-publish")
    expect(publish).to_be_enabled()
    publish.click()
    expect(page.get_by_test_id("section-review").get_by_test_id("review-status")).to_have_text(
        "Published"
    )
    expect(page.locator("#header [data-testid=header-status]")).to_have_text("Published")
    audit = page.get_by_test_id("audit-log")
    audit.locator("summary").click()
    expect(audit.locator("[data-testid=audit-entry][data-action=publish]")).to_have_count(1)
    assert page.js_errors == []
