"""Search in Chromium: the nav box, htmx results as you type, escaped highlights, a filter,
and a restricted incident that an outsider's search never shows."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded(owner, team, outsider):
    from kintsugi.postmortems import services

    public = services.incident_create(
        user=owner,
        title="Pool exhausted <b>bold</b>",
        started_at=datetime(2026, 3, 1, tzinfo=UTC),
        severity="SEV2",
        team=team,
        summary="The quokka pool ran dry <img src=x onerror=alert(1)>",
    )
    services.incident_create(
        user=owner,
        title="Quokka credentials leaked",
        started_at=datetime(2026, 3, 2, tzinfo=UTC),
        severity="SEV1",
        team=team,
        is_restricted=True,
    )
    return public


def test_it_searches_from_the_nav_and_as_you_type(seeded, page, login, owner):
    login(owner.username)
    page.fill("[data-testid=nav-search]", "quokka")
    page.press("[data-testid=nav-search]", "Enter")
    page.wait_for_url("**/search/?q=quokka")
    hits = page.locator("[data-testid=search-hit]")
    expect(hits).to_have_count(2)
    expect(page.locator("[data-testid=search-snippet] mark").first).to_have_text(
        re.compile("quokka", re.I)
    )
    expect(page.get_by_text("Pool exhausted <b>bold</b>").first).to_be_visible()
    assert page.locator("img[src=x]").count() == 0
    # Typing narrows through htmx, and the URL follows.
    page.fill("[data-testid=search-q]", "quokka credentials")
    expect(hits).to_have_count(1)
    page.select_option("[data-testid=search-severity]", "SEV2")
    expect(page.locator("[data-testid=search-empty]")).to_be_visible()
    assert "severity=SEV2" in page.url
    assert page.js_errors == []


def test_an_outsider_never_sees_the_restricted_hit(seeded, page, login, outsider):
    login(outsider.username)
    page.goto("/search/?q=quokka")
    expect(page.locator("[data-testid=search-hit]")).to_have_count(1)
    expect(page.locator("[data-testid=search-count]")).to_contain_text("1 match")
    assert "leaked" not in page.content()
