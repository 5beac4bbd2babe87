"""Finding the title when it is not the first "# Heading" (titles.py)."""

from __future__ import annotations

from datetime import date

import pytest

from kintsugi.core.markdown import ProblemList, parse_markdown, read_markdown
from kintsugi.core.markdown.titles import bare_date, title_from_filename


def titled(text: str, filename: str | None = None):
    result = read_markdown(text, source="x.md", filename=filename)
    return result.document, [(note.kind, note.message) for note in result.report.notes]


def test_a_first_h1_is_the_title_without_a_note():
    doc, notes = titled("# API outage\n\n## Summary\n\nDown.\n")
    assert (doc.title, notes) == ("API outage", [])


def test_an_h1_after_an_intro_line_is_the_title():
    # https://github.com/ (a post-mortem index template): a back link above the H1.
    doc, _ = titled("[Back to Index](../README.md)\n\n# Post-Mortem: DNS\n\n## Summary\n\nx\n")
    assert doc.title == "Post-Mortem: DNS"
    assert "[Back to Index](../README.md)" in doc.appendix  # nothing lost


def test_the_title_may_be_only_in_the_front_matter():
    # https://github.com/openstreetmap/owg-website/blob/69976bcaad774d1d2a6e5a3385d6745a12b83e43/2022/07/20/post-mortem.md
    text = (
        "---\ntitle: June 2022 outage post-mortem\n---\n\n"
        "OpenStreetMap.org was unavailable from 2022-06-11 20:18 (UTC).\n\n"
        "## Situation at the time of the outage\n\nOpenStreetMap.org is hosted in Amsterdam.\n"
    )
    doc, notes = titled(text)
    assert doc.title == "June 2022 outage post-mortem"
    assert "## Situation at the time of the outage" in doc.appendix
    assert not [kind for kind, _ in notes if kind == "attention"]


def test_a_front_matter_title_and_the_same_h1_are_one_title():
    doc, notes = titled("---\ntitle: 'Outage: DNS'\n---\n\n# Outage: DNS\n\n## Summary\n\nx\n")
    assert (doc.title, notes, doc.appendix) == ("Outage: DNS", [], "")


def test_a_real_title_that_breaks_yaml_is_kept_and_the_h1_gives_the_title():
    # https://github.com/openstreetmap/owg-website/blob/06e03c00a7e7a3b8d1144b4ef68b2b4b787184e5/2025/02/15/post-mortem.md
    # (an unquoted ": " inside the title is not valid YAML)
    title = "Post-Mortem: Network Outage Affecting OpenStreetMap.org - 15 December 2024"
    doc, notes = titled(f"---\ntitle: {title}\n---\n\n# {title}\n\n## 1. Summary\n\nx\n")
    assert doc.title == title
    assert doc.source_metadata == {"front_matter": f"title: {title}"}
    assert [kind for kind, _ in notes] == ["kept"]


def test_a_different_h1_keeps_the_front_matter_title_and_the_heading_text():
    doc, notes = titled("---\ntitle: Pool exhausted\n---\n\n# Pool drained\n\nDate: 2024-05-01\n")
    assert doc.title == "Pool exhausted"
    assert doc.appendix == "# Pool drained"
    assert notes[0][0] == "kept" and "differs from the front matter title" in notes[0][1]
    with pytest.raises(ProblemList, match="differ"):
        parse_markdown("---\ntitle: Pool exhausted\n---\n\n# Pool drained\n")


def test_an_h1_differing_only_in_case_or_emphasis_is_the_same_title():
    doc, notes = titled("---\ntitle: Pool exhausted\n---\n\n# **Pool Exhausted.**\n")
    assert (doc.title, notes, doc.appendix) == ("Pool exhausted", [], "")


@pytest.mark.parametrize("first", ["# 2024-05-01", "# May 1st, 2024", "## 2024/05/01"])
def test_a_date_as_first_heading_is_the_day_and_the_next_heading_the_title(first):
    doc, notes = titled(f"{first}\n\n## Checkout errors\n\n## Summary\n\nx\n")
    assert doc.title == "Checkout errors"
    assert doc.source_metadata["date_heading"] == first.lstrip("# ")
    assert [kind for kind, _ in notes] == ["assumption", "assumption"]
    assert doc.summary == "x"


def test_a_date_heading_gives_the_day_for_times_without_one():
    doc, _ = titled("# 2024-05-01\n\n# Checkout errors\n\n## Timeline (UTC)\n\n- 14:02 Alert\n")
    assert doc.title == "Checkout errors"
    assert [entry.at.date() for entry in doc.timeline] == [date(2024, 5, 1)]


def test_a_section_name_as_first_heading_is_not_the_title():
    doc, notes = titled("# Summary\n\nThe API was down.\n", filename="2024-05-01-api-outage.md")
    assert (doc.title, doc.summary) == ("Api outage", "The API was down.")
    assert notes == [
        ("assumption", "The document has no title; the file name gives it: 'Api outage'.")
    ]


def test_a_first_level_two_heading_that_is_not_a_section_is_the_title():
    doc, notes = titled("## Checkout errors on May 1\n\n### Summary\n\nx\n")
    assert (doc.title, doc.summary) == ("Checkout errors on May 1", "x")
    assert notes == [
        (
            "assumption",
            "The heading '## Checkout errors on May 1' on line 1 is read as the title.",
        )
    ]


def test_a_level_two_heading_after_prose_is_not_taken_for_the_title():
    doc, _ = titled("We had an outage.\n\n## Background\n\nx\n", filename="db-outage.md")
    assert doc.title == "Db outage"
    assert "## Background" in doc.appendix


def test_a_title_line_gives_the_title():
    doc, _ = titled("Title: Cache stampede\nSeverity: SEV2\n\n## Summary\n\nx\n")
    assert doc.title == "Cache stampede"


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("2024-05-01-api-outage.md", "Api outage"),
        ("2024-05-01-postmortem-api-outage.md", "Api outage"),
        ("postmortem-2024-05-01-api-outage.md", "Api outage"),
        ("20240501_db_failover.md", "Db failover"),
        ("0007-cache-stampede.md", "Cache stampede"),
        ("dns-outage-postmortem.md", "Dns outage"),
        ("incidents/2019/kubectl logs unavailable.markdown", "Kubectl logs unavailable"),
        ("index.md", ""),
        ("README.md", ""),
        ("2024-05-01.md", ""),
        ("postmortem.md", ""),
    ],
)
def test_file_names_give_a_title_without_dates_or_postmortem_words(name, title):
    assert title_from_filename(name) == title


def test_a_file_name_that_says_nothing_leaves_an_untitled_post_mortem_for_a_person():
    doc, notes = titled("Something broke.\n", filename="index.md")
    assert doc.title == "Untitled post-mortem"
    assert notes[-1][0] == "attention"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01", True),
        ("Friday 29 November 2019", True),
        ("January 23rd, 2019", True),
        ("2017-10-17 07:42", True),
        ("**2024-05-01**", True),
        ("January 23rd, 2019 Prow Outage", False),
        ("2017-10-17, Cluster Full", False),
        ("Summary", False),
    ],
)
def test_bare_dates_are_told_from_titles_that_start_with_a_date(text, expected):
    assert bare_date(text) is expected


def test_a_heading_that_is_a_form_field_is_not_the_title():
    # https://github.com/learningequality/postmortems/blob/751a48c01f147a293ea645c50215edc3a8e54a16/002-cloudflare-incomplete-migration.md
    text = (
        "## Owner: @aronasorman\n## Involved:\n- @jamalex\n\n# Overview\n\n"
        "In the morning of Sept. 18th, 2017, a couple of our sites went down.\n"
    )
    doc, _ = titled(text, filename="002-cloudflare-incomplete-migration.md")
    assert doc.title == "Cloudflare incomplete migration"
    assert "## Owner: @aronasorman" in doc.appendix
    labelled, _ = titled("## Postmortem: API outage\n\n### Summary\n\nx\n")
    assert labelled.title == "Postmortem: API outage"


def test_a_file_name_written_as_a_title_keeps_its_words():
    # https://github.com/flutter/flutter/blob/42a1ea45e0271943c428331c2a90366b9af9d839/docs/postmortems/Postmortem-flutter.dev-outage-on-August-26-2023.md
    name = "Postmortem-flutter.dev-outage-on-August-26-2023.md"
    assert title_from_filename(name) == "Postmortem flutter.dev outage on August 26 2023"


def test_date_headings_without_a_title_after_them_are_left_in_place():
    text = "---\ntitle: Hub 403\n---\n\n### 2017-09-27 10:00 UTC\n\nHub returns 403.\n"
    doc, notes = titled(text)
    assert doc.title == "Hub 403"
    assert "date_heading" not in doc.source_metadata
    assert not [message for _, message in notes if "is a date" in message]
