"""The Markdown export: what a reader sees."""

from __future__ import annotations

from datetime import UTC, date, datetime

from kintsugi.core.document import (
    ActionItemEntry,
    ContributingFactor,
    EvidenceLink,
    PostmortemDocument,
    TimelineEntry,
)
from kintsugi.core.markdown import render_markdown
from kintsugi.core.markdown.render import format_time
from kintsugi.core.timeline import EventKind
from kintsugi.core.vocabulary import ActionStatus, EvidenceKind, Priority, Severity


def at(hour: int, minute: int) -> datetime:
    return datetime(2024, 3, 1, hour, minute, tzinfo=UTC)


def test_it_writes_every_template_section_in_order_even_when_empty():
    text = render_markdown(PostmortemDocument(title="Pool"))
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "# Pool",
        "## Executive Summary",
        "### Impact",
        "### Severity and downtime",
        "## Trigger",
        "## Detection",
        "## Resolution",
        "## Incident Timeline",
        "## Contributing Factors",
        "## Root Cause Analysis (5 Whys)",
        "## Lessons Learned",
        "### What went well",
        "### What went poorly",
        "### Where we got lucky",
        "## Action Items",
    ]
    assert text.startswith("---\nid: null\ntitle: Pool\nseverity: SEV3\nstatus: draft\n")


def test_it_writes_times_in_utc_with_a_z():
    doc = PostmortemDocument(title="Pool", started_at=datetime(2024, 3, 1, 15, 0, tzinfo=UTC))
    assert "started_at: '2024-03-01T15:00:00Z'" in render_markdown(doc)
    assert (
        format_time(datetime(2024, 3, 1, 14, 2, 5, 120, tzinfo=UTC))
        == "2024-03-01 14:02:05.000120 UTC"
    )
    assert format_time(at(14, 2)) == "2024-03-01 14:02 UTC"


def test_it_shows_severity_and_the_metrics_from_the_timeline():
    doc = PostmortemDocument(
        title="Pool",
        severity=Severity.SEV1,
        timeline=[
            TimelineEntry(at(14, 0), EventKind.IMPACT_STARTED, "Errors begin"),
            TimelineEntry(at(14, 4), EventKind.ALERT_FIRED, "Alert"),
            TimelineEntry(at(14, 6), EventKind.PAGE_ACKNOWLEDGED, "Ack"),
            TimelineEntry(at(15, 5), EventKind.MITIGATED, "Rolled back"),
            TimelineEntry(at(15, 25), EventKind.FULLY_RECOVERED, "Recovered"),
        ],
    )
    text = render_markdown(doc)
    assert "- **Severity:** SEV1 — Critical: the service is down" in text
    assert "- **Downtime:** 1h 5m" in text
    assert "- **Time to detect:** 4m" in text
    assert "- **Time to acknowledge:** 2m" in text
    assert "- **Time to mitigate:** 1h 5m" in text
    assert "- **Time to resolve:** 1h 25m" in text
    assert "| 2024-03-01 14:04 UTC | Alert fired | Alert | — | — |" in text


def test_it_sorts_action_items_by_priority_keeping_the_given_order_and_shows_gaps():
    doc = PostmortemDocument(
        title="Pool",
        factors=[ContributingFactor("Pool too small")],
        action_items=[
            ActionItemEntry("Later", Priority.P2, due_on=date(2024, 3, 20)),
            ActionItemEntry("Undated", Priority.P1),
            ActionItemEntry(
                "First",
                Priority.P1,
                owner="alice",
                ticket_id="KIN-1",
                ticket_url="https://tracker.example.com/KIN-1",
                due_on=date(2024, 3, 10),
                addresses=1,
            ),
        ],
    )
    rows = [line for line in render_markdown(doc).splitlines() if line.startswith("| A")]
    assert rows == [
        "| A1 | P1 | Undated | **unassigned** | — | — | Open | — |",  # given before First
        "| A2 | P1 | First | alice | [KIN-1](https://tracker.example.com/KIN-1) | 2024-03-10 | Open | F1 |",
        "| A3 | P2 | Later | **unassigned** | — | 2024-03-20 | Open | — |",
    ]


def test_it_puts_what_a_cell_cannot_hold_under_the_table():
    doc = PostmortemDocument(
        title="Pool",
        action_items=[
            ActionItemEntry(
                "Drop the cron job",
                status=ActionStatus.WONT_DO,
                status_reason="Replaced by KIN-9.",
                description="Line one.\n\n- Completed: this is description text",
                completed_at=at(16, 0),
            )
        ],
    )
    text = render_markdown(doc)
    assert (
        "### A1. Drop the cron job\n\n- Completed: 2024-03-01 16:00 UTC\n"
        "- Status reason: Replaced by KIN-9.\n\nLine one.\n\n\\- Completed: this is description text"
    ) in text


def test_it_writes_factors_with_typed_evidence_links():
    doc = PostmortemDocument(
        title="Pool",
        factors=[
            ContributingFactor(
                "Pool too small",
                "20 connections for 400 workers.",
                [
                    EvidenceLink(
                        EvidenceKind.GRAPH, "https://grafana.example.com/d/1", "Connections"
                    ),
                    EvidenceLink(EvidenceKind.QUERY, "https://db.example.com/q?(a)", ""),
                ],
            )
        ],
    )
    assert (
        "### F1. Pool too small\n\n20 connections for 400 workers.\n\nEvidence:\n\n"
        "- graph: [Connections](https://grafana.example.com/d/1)\n"
        "- query: <https://db.example.com/q?(a)>"
    ) in render_markdown(doc)


def test_it_escapes_user_text_that_would_read_as_structure():
    doc = PostmortemDocument(
        title="Pool #",
        summary="## Trigger\n```\n# inside a closed fence\n```",
        timeline=[TimelineEntry(at(14, 2), EventKind.NOTE, "a | b\nsecond line")],
    )
    text = render_markdown(doc)
    assert "# Pool \\#" in text
    assert "\\## Trigger\n```\n# inside a closed fence\n```" in text
    assert "| a \\| b<br>second line |" in text
