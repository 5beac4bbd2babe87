"""Severity, status and priority words of other templates: mapped by a table, never guessed."""

from __future__ import annotations

from pathlib import Path

import pytest

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown import ProblemList, parse_markdown, read_markdown
from kintsugi.core.markdown.values import (
    PRIORITY_WORDS,
    SEVERITY_WORDS,
    parse_postmortem_status,
    parse_priority,
    parse_priority_word,
    parse_severity,
    read_severity,
    read_status,
)
from kintsugi.core.vocabulary import PostmortemStatus, Priority, Severity

EVERY_SEVERITY_WORD = [(word, sev) for sev, words in SEVERITY_WORDS.items() for word in words]


@pytest.mark.parametrize(
    "word", ["SEV1", "sev1", "Sev 1", "SEV-1", "sev_1", "SEV1 - Critical", "SEV1 (Critical)"]
)
def test_our_own_severity_spellings_are_exact(word):
    assert read_severity(word).exact
    assert parse_severity(word) == Severity.SEV1


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Critical", Severity.SEV1),
        ("MAJOR", Severity.SEV2),
        ("minor", Severity.SEV3),
        ("High", Severity.SEV2),
        ("Medium", Severity.SEV3),
        ("Low", Severity.SEV4),
        ("S1", Severity.SEV1),
        ("P1", Severity.SEV1),
        ("P4", Severity.SEV4),
        ("Severity 2", Severity.SEV2),
        ("Level 1", Severity.SEV1),
        ("SEV0", Severity.SEV1),  # scales that start at 0: their worst is our worst
        ("Sev-5", Severity.SEV4),
        ("2", Severity.SEV2),
        ("Major incident", Severity.SEV2),
        ("High impact", Severity.SEV2),
        ("partial-outage", Severity.SEV2),  # netlify-statuskit's severities
        ("degraded-performance", Severity.SEV3),
        ("Critical - site down", Severity.SEV1),
        ("🔴 **Critical**", Severity.SEV1),
    ],
)
def test_other_scales_map_by_the_table_but_not_exactly(word, expected):
    reading = read_severity(word)
    assert (reading.value, reading.exact) == (expected, False)
    with pytest.raises(ValidationProblem, match="Unknown severity"):
        parse_severity(word)  # strict: an assumption is a refusal


@pytest.mark.parametrize(("word", "severity"), EVERY_SEVERITY_WORD)
def test_every_word_of_the_severity_table_is_read_and_refused_strictly(word, severity):
    assert read_severity(word.upper()).value == severity
    with pytest.raises(ValidationProblem):
        parse_severity(word)


@pytest.mark.parametrize("word", ["Purple", "SEV9", "P1 - Minor", "", "bad", "Sev 12"])
def test_unknown_or_contradictory_severity_words_are_not_read(word):
    assert read_severity(word) is None


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("draft", PostmortemStatus.DRAFT),
        ("Draft", PostmortemStatus.DRAFT),
        ("in_review", PostmortemStatus.IN_REVIEW),
        ("In review", PostmortemStatus.IN_REVIEW),
        ("in-review", PostmortemStatus.IN_REVIEW),
        ("Approved", PostmortemStatus.APPROVED),
        ("PUBLISHED", PostmortemStatus.PUBLISHED),
    ],
)
def test_only_our_own_status_words_are_statuses(word, status):
    assert read_status(word).exact
    assert parse_postmortem_status(word) == status


@pytest.mark.parametrize("word", ["Complete", "Final", "Resolved", "Closed", "Draft v2", "done"])
def test_any_other_status_word_is_a_draft_and_refused_strictly(word):
    reading = read_status(word)
    assert (reading.value, reading.exact) == (PostmortemStatus.DRAFT, False)
    with pytest.raises(ValidationProblem, match="Unknown post-mortem status"):
        parse_postmortem_status(word)


@pytest.mark.parametrize(("word", "priority"), [("P0", Priority.P0), ("p 3", Priority.P3)])
def test_our_own_priorities_are_exact(word, priority):
    assert parse_priority_word(word) == (priority, True)
    assert parse_priority_word(priority.label) == (priority, True)


@pytest.mark.parametrize(
    ("word", "priority"),
    [(word, priority) for priority, words in PRIORITY_WORDS.items() for word in words]
    + [("P4", Priority.P3), ("1", Priority.P1), ("Priority 2", Priority.P2)],
)
def test_priority_words_map_with_exact_false(word, priority):
    assert parse_priority_word(word.title()) == (priority, False)
    assert parse_priority(word) == priority


@pytest.mark.parametrize("word", ["P9", "whenever", "P-", ""])
def test_unknown_priority_words_are_refused(word):
    with pytest.raises(ValidationProblem, match="Unknown priority"):
        parse_priority_word(word)


HEAD = "---\ntitle: Pool\n{line}\n---\n\n# Pool\n"


def read(line: str):
    return read_markdown(HEAD.format(line=line), source="x.md")


def notes(result, kind):
    return [note.message for note in result.report.of_kind(kind)]


def test_a_mapped_severity_is_set_with_an_assumption_note():
    result = read("severity: Major")
    assert result.document.severity == Severity.SEV2
    assert any("'Major' is read as SEV2" in message for message in notes(result, "assumption"))
    assert not result.document.source_metadata


def test_an_unknown_severity_stays_sev3_asks_a_person_and_keeps_the_word():
    result = read("severity: Purple")
    assert result.document.severity == Severity.SEV3
    assert any("'Purple' was not read" in message for message in notes(result, "attention"))
    assert result.document.source_metadata == {"severity": "Purple"}


def test_our_own_severity_needs_no_note():
    result = read("severity: sev-2")
    assert (result.document.severity, result.report.clean) == (Severity.SEV2, True)


def test_a_status_word_that_is_not_ours_imports_as_a_draft_with_the_word_kept():
    result = read("status: Complete")
    assert result.document.status == PostmortemStatus.DRAFT
    assert result.document.source_metadata == {"status": "Complete"}
    assert notes(result, "assumption") == [
        "Status 'Complete' is kept in the source metadata; imported as a draft so it is "
        "reviewed before it is published."
    ]


def test_the_same_words_are_mapped_in_lines_under_the_title():
    result = read_markdown("# Pool\n\nSeverity: Critical\nStatus: Final\n\n## Summary\n\nx\n")
    assert result.document.severity == Severity.SEV1
    assert result.document.status == PostmortemStatus.DRAFT
    assert result.document.source_metadata == {"status": "Final"}


@pytest.mark.parametrize("line", ["severity: Major", "status: Complete", "severity: Purple"])
def test_strict_mode_refuses_every_mapping(line):
    with pytest.raises(ProblemList) as caught:
        parse_markdown(HEAD.format(line=line))
    assert caught.value.line == 3


DOCS = Path(__file__).parents[3] / "docs" / "markdown-format.md"


def test_the_docs_show_every_word_of_the_tables():
    docs = DOCS.read_text(encoding="utf-8")
    section = docs[docs.index("**Severity words**") : docs.index("**Status words.**")]
    missing = [word for word, _ in EVERY_SEVERITY_WORD if word not in section]
    priorities = docs[docs.index("**Action-item priorities.**") :]
    missing += [
        word
        for words in PRIORITY_WORDS.values()
        for word in words
        if word.split()[0] not in priorities
    ]
    assert missing == []


def test_a_section_named_like_a_fact_gives_it_and_keeps_its_text():
    # https://portswigger.net incident reports (tests/corpus/postmortems/portswigger-*)
    text = (
        "# 24-10-2024 - All instances not available\n\n## Severity\n\n"
        "**Critical** - Complete or major outage affecting most customers.\n\n## Summary\n\nx\n"
    )
    result = read_markdown(text)
    assert result.document.severity == Severity.SEV1
    assert "Complete or major outage" in result.document.appendix  # the text is kept
    assert any("'Critical - Complete" in note.message for note in result.report.notes)
    short = read_markdown("# T\n\n## Status\n\nPublished\n\n## Authors\n\n- alice\n- bob\n")
    assert short.document.status == PostmortemStatus.PUBLISHED
    assert short.document.authors == ["alice", "bob"]
    assert (short.document.appendix, short.report.clean) == ("", True)
    # Strict mode writes facts in the front matter only: the section stays text.
    strict = parse_markdown("---\ntitle: T\n---\n\n# T\n\n## Severity\n\nCritical\n")
    assert (strict.severity, strict.appendix) == (Severity.SEV3, "## Severity\n\nCritical")


def test_a_status_line_that_says_more_than_the_word_is_kept_whole():
    result = read_markdown(
        "# T\n\nStatus: Published, reviewed by the SRE team\n\n## Summary\n\nx\n"
    )
    assert result.document.status == PostmortemStatus.PUBLISHED
    assert result.document.source_metadata == {"status": "Published, reviewed by the SRE team"}
    flutter = read_markdown("# T\n\nStatus: final<br> Owners: @Hixie\n\n## Summary\n\nx\n")
    assert flutter.document.status == PostmortemStatus.DRAFT
    assert any("Status 'final'" in note.message for note in flutter.report.notes)
