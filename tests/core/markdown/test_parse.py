"""Import of our own format: the round trip and the rules the format documents."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from kintsugi.core.document import (
    ActionItemEntry,
    ContributingFactor,
    PostmortemDocument,
    TimelineEntry,
)
from kintsugi.core.markdown import (
    normalise_document,
    parse_markdown,
    read_markdown,
    render_markdown,
)
from kintsugi.core.timeline import EventKind

from .strategies import documents

DOCS = Path(__file__).parents[3] / "docs" / "markdown-format.md"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_it_round_trips_generated_documents(doc):
    assert normalise_document(doc) == doc  # the strategy makes normal forms only
    assert parse_markdown(render_markdown(doc)) == doc


# The header: what front matter and title reading decide (frontmatter.py, facts.py, titles.py).
HEADER = (
    "id", "version", "title", "severity", "status", "team", "services", "regions", "authors",
    "restricted", "members", "source_metadata",
)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_best_effort_reads_our_own_header_exactly_and_without_notes(doc):
    result = read_markdown(render_markdown(doc), filename="2024-05-01-other-name.md")
    for name in HEADER:
        assert getattr(result.document, name) == getattr(doc, name), name
    assert [note for note in result.report.notes if note.field in (*HEADER, "front_matter")] == []


def test_it_round_trips_long_lists():
    doc = PostmortemDocument(
        title="Many events",
        timeline=[
            TimelineEntry(
                datetime(2024, 1, 1, 0, 0, n % 60, tzinfo=UTC), EventKind.NOTE, f"Event {n}"
            )
            for n in range(600)
        ],
        factors=[ContributingFactor(f"Factor {n}") for n in range(200)],
        action_items=[ActionItemEntry(f"Action {n:03}", addresses=n + 1) for n in range(200)],
    )
    assert parse_markdown(render_markdown(doc)) == doc


def test_it_parses_the_example_in_the_docs_and_writes_it_back_unchanged():
    """The complete example in docs/markdown-format.md is our export, byte for byte."""
    example = re.search(
        r"<!-- example:start -->\n```markdown\n(.*?)```\n<!-- example:end -->",
        DOCS.read_text(),
        re.S,
    )
    assert example is not None
    text = example.group(1)
    doc = parse_markdown(text)
    assert render_markdown(doc) == text
    assert doc.timeline and doc.factors and doc.action_items and doc.lessons.went_well


def test_it_ignores_edits_to_the_derived_lines():
    doc = PostmortemDocument(title="Pool", summary="Down.", impact="Everyone.")
    text = render_markdown(doc).replace("- **Downtime:** unknown", "- **Downtime:** 3h")
    assert parse_markdown(text) == doc


def test_it_keeps_a_derived_section_that_someone_filled_with_prose():
    text = render_markdown(PostmortemDocument(title="Pool")).replace(
        "### Severity and downtime\n", "### Severity and downtime\n\nWe think it was worse.\n"
    )
    assert "We think it was worse." in parse_markdown(text).appendix


def test_it_reads_windows_line_endings_and_a_byte_order_mark():
    doc = PostmortemDocument(title="Pool", summary="Line one.\nLine two.")
    text = "\ufeff" + render_markdown(doc).replace("\n", "\r\n")
    assert parse_markdown(text) == doc


def test_it_keeps_everything_after_the_appendix_heading_verbatim():
    appendix = "## Timeline\n\nNot ours.\n\n```\nunclosed fence\n\n# Anything"
    doc = PostmortemDocument(title="Pool", appendix=appendix)
    assert parse_markdown(render_markdown(doc)).appendix == appendix


def test_it_reads_missing_cells_back_as_nothing():
    doc = PostmortemDocument(title="Pool", action_items=[ActionItemEntry("Add an alert")])
    text = render_markdown(doc)
    assert "| A1 | P2 | Add an alert | **unassigned** | — | — | Open | — |" in text
    item = parse_markdown(text).action_items[0]
    assert (item.owner, item.ticket_id, item.ticket_url, item.due_on, item.addresses) == (None,) * 5


def test_it_accepts_hand_edits_in_the_usual_places():
    doc = PostmortemDocument(title="Pool")
    text = render_markdown(doc).replace(
        "|------------|------|-------|--------|----------|\n",
        "|------------|------|-------|--------|----------|\n"
        "| 2024-03-01 15:02 +01:00 | alert fired | Paged on-call | alice | <https://grafana.example.com/d/1> |\n",
    )
    entry = parse_markdown(text).timeline[0]
    assert entry.at == datetime(2024, 3, 1, 14, 2, tzinfo=UTC)
    assert (entry.kind, entry.author) == (EventKind.ALERT_FIRED, "alice")
    assert entry.evidence_url == "https://grafana.example.com/d/1"


def test_it_moves_to_the_next_day_when_a_list_of_times_crosses_midnight():
    text = "# Night\n\n## Timeline (all times UTC)\n\n2024-03-01\n\n- 23:50 Alert fired\n- 23:55 Acked\n- 00:10 Mitigated\n"
    at = [entry.at for entry in parse_markdown(text).timeline]
    assert at == [
        datetime(2024, 3, 1, 23, 50, tzinfo=UTC),
        datetime(2024, 3, 1, 23, 55, tzinfo=UTC),
        datetime(2024, 3, 2, 0, 10, tzinfo=UTC),
    ]


def test_it_reads_a_timeline_table_with_separate_date_and_time_columns():
    text = (
        "# Split\n\n## Timeline\n\n| Date | Time | What happened | Link |\n|---|---|---|---|\n"
        "| 2024-03-01 | 14:02 Europe/Paris | Alert fired | https://grafana.example.com/d/1 |\n"
    )
    entry = parse_markdown(text).timeline[0]
    assert entry.at == datetime(2024, 3, 1, 13, 2, tzinfo=UTC)
    assert entry.evidence_url == "https://grafana.example.com/d/1"


def test_it_takes_the_day_of_started_at_for_times_without_a_date():
    text = "---\ntitle: T\nstarted_at: 2024-03-01T13:58:00Z\n---\n\n## Timeline (UTC)\n\n- 14:02 Alert fired\n"
    assert parse_markdown(text).timeline[0].at == datetime(2024, 3, 1, 14, 2, tzinfo=UTC)
