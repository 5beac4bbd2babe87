"""Import of the post-mortems teams write by hand (fixtures/), not only our own export."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from kintsugi.core.markdown import decode_document, parse_markdown, read_markdown, render_markdown
from kintsugi.core.timeline import EventKind
from kintsugi.core.vocabulary import (
    ActionStatus,
    EvidenceKind,
    PostmortemStatus,
    Priority,
    Severity,
)

FIXTURES = Path(__file__).parent / "fixtures"


# Read in best effort, as ``kintsugi import`` reads them: strict mode refuses the words of
# other templates, such as the Google SRE book's "Status: Complete".
BEST_EFFORT = ("google_sre_sonnet.md",)


def load(name: str):
    text = decode_document((FIXTURES / name).read_bytes())
    if name in BEST_EFFORT:
        return read_markdown(text, source=name).document
    return parse_markdown(text, source=name)


def kinds(doc):
    return [entry.kind for entry in doc.timeline]


def test_it_reads_the_google_sre_book_layout():
    doc = load("google_sre_sonnet.md")
    assert doc.title == "Sonnet Search Postmortem (incident #465)"
    assert doc.authors == ["jennifer", "martym", "agoogler"]
    # "Complete, action items in progress" is not our status: a draft, the word kept.
    assert doc.status == PostmortemStatus.DRAFT
    assert doc.source_metadata["status"] == "Complete, action items in progress"
    assert doc.summary.startswith("Sonnet search was unavailable for 66 minutes")
    assert doc.impact == "About 1.2 billion search requests failed. Revenue was not affected."
    assert doc.trigger == "A sudden 88x traffic increase reached a latent bug."
    assert doc.resolution.endswith("an updated index fixed the interaction with the bug.")
    assert doc.detection.startswith("Monitoring saw a high rate of HTTP 500s")


def test_it_maps_root_causes_to_contributing_factors():
    doc = load("google_sre_sonnet.md")
    # Best effort keeps a colon inside the title (factors_section.py); the text is whole.
    assert len(doc.factors) == 1
    assert doc.factors[0].title.startswith("A cascading failure")
    factor = doc.factors[0]
    assert "file handle leak" in f"{factor.title} {factor.description}"


def test_it_reads_a_bug_column_and_keeps_unknown_columns_in_the_description():
    doc = load("google_sre_sonnet.md")
    items = {item.owner: item for item in doc.action_items}
    assert items["jennifer"].ticket_id is None  # "n/a"
    assert items["martym"].ticket_id == "Bug 5554823"
    assert items["agoogler"].ticket_id == "Bug 5554825"
    assert items["agoogler"].ticket_url == "https://bugs.example.com/5554825"
    assert items["martym"].description == "Type: prevent"
    assert all(item.priority == Priority.P2 for item in doc.action_items)  # none given


def test_it_reads_what_went_wrong_as_what_went_poorly():
    doc = load("google_sre_sonnet.md")
    assert len(doc.lessons.went_well) == 2
    assert doc.lessons.went_poorly[0] == "We had no experience of handling a cascading failure."
    assert doc.lessons.got_lucky == [
        "A colleague on the mailing list had a copy of the sonnet ready."
    ]


def test_it_reads_a_bullet_timeline_under_a_date_line_in_utc():
    doc = load("google_sre_sonnet.md")
    assert len(doc.timeline) == 10
    assert doc.timeline[0].at == datetime(2015, 10, 21, 14, 51, tzinfo=UTC)
    assert doc.timeline[-1].at == datetime(2015, 10, 21, 16, 30, tzinfo=UTC)
    assert kinds(doc)[2:7] == [
        EventKind.IMPACT_STARTED,
        EventKind.ALERT_FIRED,
        EventKind.PAGE_ACKNOWLEDGED,
        EventKind.RESPONDERS_JOINED,
        EventKind.WORKAROUND_APPLIED,
    ]
    assert kinds(doc)[-2:] == [EventKind.MITIGATED, EventKind.FULLY_RECOVERED]


def test_it_keeps_unknown_sections_verbatim_in_the_appendix():
    doc = load("google_sre_sonnet.md")
    assert doc.appendix == (
        "## Supporting information\n\n"
        "- Monitoring dashboard: https://monitor.example.com/sonnet?end=20151021T160000"
    )


def test_it_reads_front_matter_with_loose_spellings():
    doc = load("headings_variant.md")
    assert doc.severity == Severity.SEV2  # "SEV-2"
    assert doc.status == PostmortemStatus.IN_REVIEW  # "in review"
    assert doc.services == ["checkout", "payments-api"]  # comma-separated text
    assert doc.team == "payments"


def test_it_reads_bold_lead_root_causes():
    doc = load("headings_variant.md")
    assert [factor.title for factor in doc.factors] == ["Pinned certificate", "No expiry alert"]
    assert doc.factors[0].description.startswith("the payments client pinned")


def test_it_reads_a_timeline_table_with_time_only_under_a_utc_heading():
    doc = load("headings_variant.md")
    assert doc.timeline[0].at == datetime(2024, 3, 12, 9, 58, tzinfo=UTC)  # date: front matter
    assert doc.timeline[3].author == "carol"
    assert doc.timeline[0].author is None
    assert kinds(doc)[1:] == [
        EventKind.IMPACT_STARTED,
        EventKind.ALERT_FIRED,
        EventKind.PAGE_ACKNOWLEDGED,
        EventKind.MITIGATED,  # stated: "[mitigated] Config change deployed..."
        EventKind.FULLY_RECOVERED,
    ]


def test_it_does_not_read_headings_inside_code_blocks():
    doc = load("headings_variant.md")
    assert "## not a heading" in doc.resolution
    assert doc.resolution.endswith("```")


def test_it_reads_action_tables_with_other_columns():
    doc = load("headings_variant.md")
    first, second, third = doc.action_items
    assert (first.priority, first.ticket_id, first.due_on) == (
        Priority.P1,
        "PAY-812",
        date(2024, 3, 20),
    )
    assert first.status == ActionStatus.IN_PROGRESS
    assert (second.owner, second.ticket_id, second.due_on) == (None, None, None)  # TBD, —
    assert third.status == ActionStatus.WONT_DO
    assert third.status_reason == "The provider now publishes one"


def test_it_reads_label_lines_as_lessons_lists():
    doc = load("headings_variant.md")
    assert doc.lessons.went_well == ["The alert fired within minutes."]
    assert doc.lessons.went_poorly == ["The pin was undocumented."]
    assert doc.lessons.got_lucky == ["The rotation happened on a quiet Tuesday morning."]
    assert doc.appendix.startswith("## Glossary")


def test_it_reads_facts_written_under_the_title():
    doc = load("full_variant.md")
    assert doc.severity == Severity.SEV3
    assert doc.team == "search"
    assert doc.started_at == datetime(2024, 5, 2, 7, 10, tzinfo=UTC)
    assert doc.ended_at == datetime(2024, 5, 2, 8, 5, tzinfo=UTC)
    assert doc.summary == "Search p99 latency rose to 4 s for 55 minutes."  # "Overview"


def test_it_reads_factor_subsections_and_their_evidence():
    doc = load("full_variant.md")
    assert [factor.title for factor in doc.factors] == ["Cache eviction storm", "No warm-up step"]
    evidence = doc.factors[0].evidence
    assert [(link.kind, link.label) for link in evidence] == [
        (EvidenceKind.GRAPH, "Cache hit ratio"),
        (EvidenceKind.OTHER, "Slow query log"),
        (EvidenceKind.OTHER, ""),
    ]


def test_it_converts_offsets_to_utc():
    doc = load("full_variant.md")
    assert doc.timeline[0].at == datetime(2024, 5, 2, 7, 10, tzinfo=UTC)  # 09:10 +02:00
    assert kinds(doc) == [
        EventKind.CHANGE_DEPLOYED,
        EventKind.ALERT_FIRED,
        EventKind.WORKAROUND_APPLIED,
        EventKind.FULLY_RECOVERED,
    ]


def test_it_reads_top_level_lesson_sections_and_checkbox_action_lists():
    doc = load("full_variant.md")
    assert doc.lessons.went_well == ["The rollback took four minutes."]
    assert [(item.title, item.status) for item in doc.action_items] == [
        ("Roll back search-api to 3.13", ActionStatus.DONE),  # the document's order
        ("Add a cache warm-up job to the deploy pipeline", ActionStatus.OPEN),
    ]


def test_it_exports_an_imported_variant_in_our_format_without_loss():
    for name in ("google_sre_sonnet.md", "headings_variant.md", "full_variant.md"):
        doc = load(name)
        assert parse_markdown(render_markdown(doc)) == doc
