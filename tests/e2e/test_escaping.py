"""Hostile text in every field never runs in the browser."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kintsugi.postmortems import services

pytestmark = pytest.mark.django_db(transaction=True)

PAYLOADS = [
    "<script>window.__xss = 1</script>",
    '"><img src=x onerror="window.__xss = 1">',
    '<svg onload="window.__xss = 1"></svg>',
    "[click me](javascript:window.__xss=1)",
    '<a href="javascript:window.__xss=1" id="xss-link">x</a>',
]


def test_it_renders_hostile_text_in_every_field_inert(page, login, owner, team):
    hostile = " ".join(PAYLOADS)
    incident = services.incident_create(
        user=owner,
        title=PAYLOADS[0] + PAYLOADS[1],
        started_at=datetime(2026, 3, 1, 14, tzinfo=UTC),
        team=team,
        summary=hostile,
        impact=hostile,
        regions=[PAYLOADS[1]],
        trigger=hostile,
        detection=hostile,
        resolution=hostile,
        appendix=hostile,
    )
    services.timeline_event_add(
        user=owner,
        incident=incident,
        occurred_at=datetime(2026, 3, 1, 14, 5, tzinfo=UTC),
        kind="note",
        text=hostile,
    )
    factor = services.factor_add(
        user=owner, incident=incident, title=PAYLOADS[1], description=hostile
    )
    services.evidence_add(user=owner, factor=factor, url="https://example.com/x", label=PAYLOADS[1])
    for kind in ("went_well", "went_poorly", "got_lucky"):
        services.lesson_add(user=owner, incident=incident, kind=kind, text=hostile)
    services.action_item_add(
        user=owner,
        incident=incident,
        title=PAYLOADS[1],
        description=hostile,
        status="wont_do",
        status_reason=hostile,
        ticket_id="OPS-1",
    )
    login("alice")
    page.goto("/")
    page.goto(f"/incidents/{incident.pk}/")
    expect(page.get_by_test_id("incident-title")).to_contain_text("<script>")
    page.get_by_test_id("header-edit").click()
    page.get_by_test_id("header-form").wait_for()
    for link in page.locator("a[href^='javascript:']").all():
        raise AssertionError(f"javascript: link rendered: {link.inner_html()}")
    assert page.evaluate("window.__xss") is None
    assert page.js_errors == []
    # The standalone HTML export, opened in the browser, is inert too.
    page.goto(f"/incidents/{incident.pk}/")
    page.get_by_test_id("export-menu").click()
    with page.expect_download() as download_info:
        page.get_by_test_id("export-html").click()
    exported = Path(download_info.value.path()).read_text(encoding="utf-8")
    page.set_content(exported)
    assert page.locator("a[href^='javascript:']").count() == 0
    assert page.evaluate("window.__xss") is None
