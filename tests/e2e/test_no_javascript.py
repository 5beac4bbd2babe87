"""Chromium with JavaScript off: the review sections are reachable and a comment posted on
the comments page comes back to that page (issue 18, no-JavaScript fallbacks)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.reviews.conftest import complete  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_comment_without_javascript_returns_to_the_page_it_came_from(
    chromium,
    live_server,
    owner,
    complete,  # noqa: F811
):
    from tests.conftest import PASSWORD

    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto("/login/")
        page.fill("input[name=username]", owner.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"/incidents/{complete.pk}/edit/")
        page.get_by_test_id("comments-noscript").click()
        page.wait_for_url(f"**/incidents/{complete.pk}/comments/")
        page.get_by_test_id("thread-text").fill("Which alert <b>fired</b> first?")
        with page.expect_navigation():
            page.get_by_test_id("thread-save").click()
        assert page.url == f"{live_server.url}/incidents/{complete.pk}/comments/#comments", (
            page.url,
            page.content()[:3000],
        )
        expect(page.get_by_test_id("comment-text")).to_have_text("Which alert <b>fired</b> first?")
    finally:
        context.close()
