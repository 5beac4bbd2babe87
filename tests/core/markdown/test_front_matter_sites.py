"""Front matter of static-site generators: never a refusal in best effort, nothing lost.

The blocks below are excerpts of real published post-mortems and templates (source URL
above each); the body under them is shortened.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kintsugi.core.markdown import (
    ProblemList,
    document_from_dict,
    document_to_dict,
    parse_markdown,
    read_markdown,
    render_html,
    render_markdown,
)
from kintsugi.core.markdown.frontmatter import KEY_ALIASES, KEYS
from kintsugi.core.markdown.values import word_key
from kintsugi.core.vocabulary import PostmortemStatus, Severity

# https://github.com/artsy/artsy.github.io/blob/349630e22e2e31d8d64584c60ef6d0465ae7173e/_posts/2014-11-19-how-to-write-great-outage-post-mortems.markdown
JEKYLL = """---
layout: post
title: How to Write Great Outage Post-Mortems
date: 2014-11-19 12:21
comments: true
categories: [Best Practices,DevOps]
author: db
---

The website is finally back up after crashing hard for 4 hours straight.

## What Caused the Outage

Our servers were rebooted and we expected them to come back up intact.
"""

# https://github.com/Cogni-DAO/node-template/blob/main/docs/_templates/postmortem.md
# (the template's placeholders filled in as its comments describe)
DOCS_TEMPLATE = """---
id: pm.payments-outage.2025-03-02
type: postmortem
title: Payments API outage
status: draft
trust: draft
severity: SEV2
duration: 47 minutes
services_affected: [payments-api]
summary: Card payments failed for 47 minutes after a certificate expired.
read_when: touching the payment gateway
owner: alice
created: 2025-03-03
verified:
tags: [incident]
---

# Postmortem: Payments API outage

## Summary

Card payments failed.
"""

# https://github.com/netlify/netlify-statuskit/blob/fef087ba28e7d98f2fa62f96a7e04bdf845b7a63/site/archetypes/incidents.md
# (Hugo's "+++" TOML; hugo adds title and date)
HUGO_TOML = """+++
title = "Build servers degraded"
date = 2017-01-24T10:12:00-08:00
# severity: represents the impact of
# your system due to the current incident.
severity = "degraded-performance"
affectedsystems = ["API", "Build servers"]
resolved = false
+++

Builds are slower than usual; we are investigating.
"""


def test_a_jekyll_post_imports_with_its_keys_kept_and_mapped():
    result = read_markdown(JEKYLL, source="post.md")
    doc = result.document
    assert doc.title == "How to Write Great Outage Post-Mortems"
    assert doc.authors == ["db"]
    assert doc.source_metadata == {
        "layout": "post",
        "comments": True,
        "categories": ["Best Practices", "DevOps"],
        "date": "2014-11-19 12:21",  # no zone: only its day is used
    }
    kept = result.report.of_kind("kept")
    assert [note.message for note in kept] == [
        "Front matter keys kept in the source metadata as written (Kintsugi does not use "
        "them): layout, comments, categories."
    ]
    assumptions = " ".join(note.message for note in result.report.of_kind("assumption"))
    assert "'author' is read as the authors" in assumptions
    assert "only its day is used" in assumptions


def test_strict_mode_still_refuses_keys_that_are_not_ours():
    with pytest.raises(ProblemList) as caught:
        parse_markdown(JEKYLL)
    messages = [problem.message for problem in caught.value.problems]
    assert any("Unknown front matter key 'layout'" in message for message in messages)
    assert any("Unknown front matter key 'author'" in message for message in messages)


def test_a_docs_template_maps_summary_services_and_keeps_the_rest():
    result = read_markdown(DOCS_TEMPLATE, source="pm.md")
    doc = result.document
    assert (doc.title, doc.severity, doc.status) == (
        "Payments API outage",
        Severity.SEV2,
        PostmortemStatus.DRAFT,
    )
    assert doc.services == ["payments-api"]
    assert doc.summary.startswith("Card payments failed for 47 minutes")
    assert doc.summary.endswith("Card payments failed.")  # the section joins it
    # Not an incident number: kept, with the site keys, as written.
    assert doc.id is None
    assert doc.source_metadata["id"] == "pm.payments-outage.2025-03-02"
    assert doc.source_metadata["created"] == "2025-03-03"  # a date, as ISO text
    assert doc.source_metadata["verified"] is None
    assert set(doc.source_metadata) == {
        "id", "type", "trust", "duration", "read_when", "owner", "created", "verified", "tags"
    }  # fmt: skip
    # The heading differs from the front matter title only by a prefix: kept, noted.
    assert "# Postmortem: Payments API outage" in doc.appendix


def test_hugo_toml_front_matter_is_read_like_yaml():
    result = read_markdown(HUGO_TOML, source="index.md")
    doc = result.document
    assert doc.title == "Build servers degraded"
    assert doc.severity == Severity.SEV3  # "degraded-performance", noted
    assert doc.services == ["API", "build-servers"]  # "API" is a slug as written
    assert doc.started_at == datetime(2017, 1, 24, 18, 12, tzinfo=UTC)
    assert doc.source_metadata == {
        "resolved": False,
        # The archetype's explanations are the author's text too.
        "front_matter_comments": (
            "# severity: represents the impact of\n# your system due to the current incident."
        ),
    }
    messages = " ".join(note.message for note in result.report.notes)
    assert "'degraded-performance' is read as SEV3" in messages
    assert "'Build servers' is read as the slug 'build-servers'" in messages
    assert "read as the incident start" in messages


def test_a_zoned_date_gives_the_day_and_the_start_unless_a_start_is_given():
    text = "---\ntitle: T\ndate: 2024-05-01T23:30:00-04:00\nstarted_at: 2024-05-01T22:00:00Z\n---\n"
    doc = read_markdown(text).document
    assert doc.started_at == datetime(2024, 5, 1, 22, 0, tzinfo=UTC)


def test_front_matter_that_is_not_yaml_is_kept_as_text_and_the_rest_is_read():
    text = (
        "---\ntitle: Outage: the sequel\nseverity: [SEV1\n---\n\n# Outage\n\n## Summary\n\nDown.\n"
    )
    result = read_markdown(text, source="x.md")
    doc = result.document
    assert doc.source_metadata == {"front_matter": "title: Outage: the sequel\nseverity: [SEV1"}
    assert (doc.title, doc.summary) == ("Outage", "Down.")
    assert [note.kind for note in result.report.notes if note.field == "front_matter"] == ["kept"]
    with pytest.raises(ProblemList, match="not valid YAML"):
        parse_markdown(text)


def test_toml_that_does_not_parse_is_kept_too():
    doc = read_markdown('+++\ntitle = "x\n+++\n\n# Outage\n').document
    assert doc.source_metadata == {"front_matter": 'title = "x'}
    assert doc.title == "Outage"


def test_front_matter_that_never_ends_is_read_as_text_in_best_effort():
    result = read_markdown("---\nTitle: Pool\n\n## Summary\n\nDown.\n")
    assert (result.document.title, result.document.summary) == ("Pool", "Down.")
    assert "never closed" in result.report.notes[0].message


def test_tags_that_name_a_severity_give_it_and_stay_in_the_metadata():
    doc = read_markdown("---\ntitle: T\ntags: [outage, sev1]\n---\n").document
    assert doc.severity == Severity.SEV1
    assert doc.source_metadata == {"tags": ["outage", "sev1"]}
    plain = read_markdown("---\ntitle: T\ntags: [outage, p1, critical]\n---\n").document
    assert plain.severity == Severity.SEV3  # only sevN/severity-N tags name a severity


def test_our_own_keys_win_over_other_spellings_which_are_kept():
    doc = read_markdown("---\ntitle: T\nseverity: SEV4\npriority: P1\n---\n").document
    assert doc.severity == Severity.SEV4
    assert doc.source_metadata == {"priority": "P1"}


def test_a_value_best_effort_cannot_read_is_kept_under_its_key():
    result = read_markdown("---\ntitle: T\nstarted_at: 2024-03-01 14:02\nteams: [a, b]\n---\n")
    assert result.document.started_at is None
    assert result.document.source_metadata == {
        "started_at": "2024-03-01 14:02",
        "teams": ["a", "b"],
    }
    assert {note.kind for note in result.report.notes} == {"kept"}


def test_restricted_that_cannot_be_read_is_restricted():
    result = read_markdown("---\ntitle: T\nrestricted: maybe\n---\n")
    assert result.document.restricted is True
    assert result.report.of_kind("attention")
    assert read_markdown("---\ntitle: T\nrestricted: 'no'\n---\n").document.restricted is False
    with pytest.raises(ProblemList, match="true or false"):
        parse_markdown("---\ntitle: T\nrestricted: maybe\n---\n")


def test_our_new_keys_are_accepted_in_strict_mode():
    doc = parse_markdown(
        "---\nid: 7\nversion: 3\ntitle: T\nrestricted: true\nmembers: [alice, bob]\n"
        "source_metadata:\n  layout: post\n  weight: 2\n---\n\n# T\n"
    )
    assert (doc.id, doc.version, doc.restricted, doc.members) == (7, 3, True, ["alice", "bob"])
    assert doc.source_metadata == {"layout": "post", "weight": 2}


def test_an_imported_site_page_exports_and_reads_back_without_loss():
    for text in (JEKYLL, DOCS_TEMPLATE, HUGO_TOML):
        doc = read_markdown(text).document
        assert parse_markdown(render_markdown(doc)) == doc
        assert document_from_dict(document_to_dict(doc)) == doc


def test_a_restricted_post_mortem_stays_restricted_in_both_formats():
    doc = parse_markdown("---\ntitle: T\nrestricted: true\nmembers: [carol]\n---\n\n# T\n")
    text = render_markdown(doc)
    assert "restricted: true" in text
    assert parse_markdown(text).restricted is True
    data = document_to_dict(doc)
    assert (data["restricted"], data["members"]) == (True, ["carol"])
    assert document_from_dict(data).restricted is True


def test_json_refuses_a_restricted_flag_that_is_not_a_boolean():
    data = document_to_dict(parse_markdown("---\ntitle: T\n---\n"))
    data["restricted"] = "yes"
    with pytest.raises(ProblemList) as caught:
        document_from_dict(data)
    assert [problem.field for problem in caught.value.problems] == ["restricted"]


def test_an_incident_date_key_is_read_as_our_date_with_a_note():
    result = read_markdown("---\ntitle: T\nincident_date: 2024-05-01\n---\n")
    assert result.document.source_metadata == {}
    assert [note.message for note in result.report.notes] == [
        "Front matter 'incident_date' is read as the incident date."
    ]


def test_the_docs_show_every_key_alias():
    docs = (Path(__file__).parents[3] / "docs" / "markdown-format.md").read_text(encoding="utf-8")
    table = docs[docs.index("**Front matter of other tools.**") : docs.index("**Titles.**")]
    shown = {word_key(name) for name in re.findall(r"`([^`]+)`", table)}
    own = {word_key(key) for key in KEYS}
    assert [name for name in KEY_ALIASES if name not in own | shown] == []


def test_the_html_page_of_a_restricted_post_mortem_says_so():
    doc = parse_markdown("---\ntitle: T\nrestricted: true\nmembers: [carol]\n---\n\n# T\n")
    page = render_html(doc)
    assert "<strong>Restricted</strong>: confidential. Members: carol." in page
    assert "Restricted" not in render_html(parse_markdown("---\ntitle: T\n---\n\n# T\n"))


def test_an_unreadable_block_too_long_for_metadata_is_kept_as_text():
    block = "\n".join(f"line {n}: [unclosed" for n in range(2000))
    doc = read_markdown(f"---\n{block}\n---\n\n# T\n").document
    assert "front_matter" not in doc.source_metadata
    assert doc.appendix == block


def test_a_key_too_large_for_the_metadata_goes_to_the_appendix():
    big = "x" * 30_000
    doc = read_markdown(f"---\ntitle: T\nlayout: post\nbody: {big}\n---\n").document
    assert doc.source_metadata == {"layout": "post"}
    assert doc.appendix == f"body: {big}"


def test_a_value_whose_line_starts_with_a_hash_is_no_comment() -> None:
    """Found by the round-trip property test: a kept value spanning lines, one of which
    starts with '#', came back with a made-up 'front_matter_comments' entry."""
    from kintsugi.core.document import PostmortemDocument
    from kintsugi.core.markdown import read_markdown, render_markdown

    document = PostmortemDocument(title="x", source_metadata={"note": "line one\n# line two"})
    back = read_markdown(render_markdown(document)).document
    assert back.source_metadata == {"note": "line one\n# line two"}
    block = read_markdown("---\n# kept: an archetype's note\ntitle: x\n---\n# x\n").document
    assert block.source_metadata["front_matter_comments"] == "# kept: an archetype's note"
