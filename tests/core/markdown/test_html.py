"""The standalone HTML export: complete, print-friendly and inert."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, date, datetime

import pytest

from kintsugi.core.document import (
    ActionItemEntry,
    ContributingFactor,
    EvidenceLink,
    Lessons,
    PostmortemDocument,
    TimelineEntry,
)
from kintsugi.core.markdown import render_html
from kintsugi.core.timeline import EventKind
from kintsugi.core.vocabulary import ActionStatus, EvidenceKind

from .html_checks import executable_parts
from .test_safe_html import PAYLOADS


def hostile_document(payload: str) -> PostmortemDocument:
    """The payload in every text field of the document (URLs get it too, unvalidated)."""
    at = datetime(2024, 3, 1, 14, 2, tzinfo=UTC)
    return PostmortemDocument(
        title=payload,
        team=payload,
        services=[payload],
        regions=[payload],
        authors=[payload],
        summary=payload,
        impact=payload,
        trigger=payload,
        detection=payload,
        resolution=payload,
        timeline=[TimelineEntry(at, EventKind.NOTE, payload, payload, payload)],
        factors=[
            ContributingFactor(
                payload, payload, [EvidenceLink(EvidenceKind.GRAPH, payload, payload)]
            )
        ],
        lessons=Lessons([payload], [payload], [payload]),
        action_items=[
            ActionItemEntry(
                payload,
                owner=payload,
                ticket_id=payload,
                ticket_url=payload,
                status=ActionStatus.WONT_DO,
                status_reason=payload,
                description=payload,
                completed_at=at,
            )
        ],
        appendix=payload,
    )


@pytest.mark.parametrize(
    "payload", PAYLOADS + ["javascript:alert(1)", '"><script>alert(1)</script>']
)
def test_it_never_renders_user_text_as_something_executable(payload):
    html = render_html(hostile_document(payload))
    assert executable_parts(html, allowed_styles=1) == []
    assert "<script" not in html.lower()


def test_it_puts_every_text_field_on_the_page():
    doc = hostile_document("marker-text")
    html = render_html(doc)
    strings = [f.name for f in fields(doc) if isinstance(getattr(doc, f.name), str)]
    assert strings and html.count("marker-text") >= len(strings)


def test_it_is_standalone_and_print_friendly():
    html = render_html(PostmortemDocument(title="Pool"))
    assert html.startswith("<!DOCTYPE html>")
    assert "@media print" in html
    assert "Content-Security-Policy" in html
    for external in ("<script", "<link", "src=", "@import", "url("):
        assert external not in html


def test_it_shows_missing_owner_ticket_and_date_at_a_glance():
    doc = PostmortemDocument(title="Pool", action_items=[ActionItemEntry("Add an alert")])
    html = render_html(doc)
    for label in ("unassigned", "no ticket", "no date"):
        assert f'<span class="missing">{label}</span>' in html


def test_it_links_tickets_evidence_and_addressed_factors():
    doc = PostmortemDocument(
        title="Pool",
        factors=[
            ContributingFactor(
                "Pool",
                evidence=[EvidenceLink(EvidenceKind.LOG, "https://logs.example.com/1", "Log")],
            )
        ],
        action_items=[
            ActionItemEntry(
                "Fix",
                ticket_id="KIN-1",
                ticket_url="https://t.example.com/KIN-1",
                due_on=date(2024, 3, 9),
                addresses=1,
            )
        ],
    )
    html = render_html(doc)
    assert '<a href="https://t.example.com/KIN-1" rel="noopener noreferrer">KIN-1</a>' in html
    assert '<a href="https://logs.example.com/1" rel="noopener noreferrer">Log</a>' in html
    assert '<a href="#F1">F1</a>' in html and 'id="F1"' in html
