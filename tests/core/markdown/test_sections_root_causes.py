"""Root causes written as prose or lists are contributing factors, not a broken 5 Whys;
factor titles keep their colons; nothing is dropped."""

from __future__ import annotations

import pytest

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown import parse_markdown, read_markdown
from kintsugi.core.markdown.factors_section import split_title

HEAD = "---\ntitle: Build breakage\n---\n\n# Build breakage\n\n"

# github.com/flutter/flutter docs/postmortems/Postmortem-Build-Breakage-on-2016-11-08.md
# (BSD-3-Clause), the "Root causes" section: one paragraph.
FLUTTER_ROOT_CAUSE = (
    "A bug was introduced in package:args that was picked up by Flutter.  Flutter was "
    "vulnerable to this bug because our external dependencies have open-ended version "
    "constraints, so the stability of our codebase is not hermetic."
)


def test_a_prose_root_cause_analysis_is_read_as_one_factor_with_a_note():
    text = HEAD + "## Root Cause Analysis\n\n" + FLUTTER_ROOT_CAUSE + "\n\nA second paragraph.\n"
    result = read_markdown(text)
    (factor,) = result.document.factors
    assert factor.title == "A bug was introduced in package:args that was picked up by Flutter"
    assert factor.description.endswith("A second paragraph.")
    assert result.document.analysis.branches == []
    assert any(
        note.kind == "assumption" and "not written as 5 Whys" in note.message
        for note in result.report.notes
    )


def test_a_bulleted_root_cause_section_is_one_factor_per_bullet():
    text = HEAD + "## Root causes\n\n- The cache key changed on deploy.\n- Nothing warmed it.\n"
    doc = read_markdown(text).document
    assert [factor.title for factor in doc.factors] == [
        "The cache key changed on deploy",
        "Nothing warmed it",
    ]


def test_a_paragraph_introducing_a_list_is_kept_not_made_a_factor():
    text = HEAD + "## Root causes\n\nThere were two causes:\n\n- A leak.\n- High load.\n"
    doc = read_markdown(text).document
    assert [factor.title for factor in doc.factors] == ["A leak", "High load"]
    assert "There were two causes:" in doc.appendix


def test_bold_leads_start_new_factors_among_paragraphs():
    text = (
        HEAD + "## Root cause\n\n**Pinned certificate.** The client pinned it.\n\n"
        "It was never rotated before.\n\n**No expiry alert.** Nothing watched it.\n"
    )
    doc = read_markdown(text).document
    assert [factor.title for factor in doc.factors] == ["Pinned certificate.", "No expiry alert."]
    assert "never rotated" in doc.factors[0].description


def test_our_own_5_whys_still_parses_in_best_effort():
    text = HEAD + "## Root Cause Analysis (5 Whys)\n\n1. Why did it fail?\n   Because X.\n"
    doc = read_markdown(text).document
    assert len(doc.analysis.branches) == 1
    assert doc.factors == []


def test_a_broken_5_whys_that_says_so_is_kept_as_text():
    text = HEAD + "## Root Cause Analysis (5 Whys)\n\nWe ran out of disk.\n"
    result = read_markdown(text)
    assert result.document.factors == []
    assert "We ran out of disk." in result.document.appendix
    assert any(note.kind == "kept" for note in result.report.notes)


def test_strict_mode_refuses_prose_under_the_5_whys_heading_as_before():
    with pytest.raises(ValidationProblem, match="numbered why"):
        parse_markdown(HEAD + "## Root Cause Analysis\n\n" + FLUTTER_ROOT_CAUSE + "\n")


@pytest.mark.parametrize(
    ("text", "title", "description"),
    [
        # A colon inside a short sentence is part of the title.
        ("DNS: resolvers timed out", "DNS: resolvers timed out", ""),
        ("Cascading failure: high load and a leak.", "Cascading failure: high load and a leak", ""),
        # A bold lead is the title, its colon dropped; the rest is the description.
        (
            "**Pinned certificate:** the client pinned it",
            "Pinned certificate",
            "the client pinned it",
        ),
        # The first sentence is the title; the whole text stays.
        ("Disk full. Logs grew.", "Disk full", "Disk full. Logs grew."),
    ],
)
def test_factor_titles_keep_their_colons(text, title, description):
    assert split_title(text) == (title, description)


def test_a_first_sentence_too_long_for_a_title_splits_at_a_short_lead():
    lead = "Cascading failure"
    text = f"{lead}: " + "word " * 60
    title, description = split_title(text)
    assert title == lead
    assert description == text  # nothing is dropped
