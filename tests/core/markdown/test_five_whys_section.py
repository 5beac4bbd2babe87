"""The 5 Whys section in the whole document: Markdown, JSON and HTML, and bad input."""

from __future__ import annotations

import json

import pytest

from kintsugi.core.document import ActionItemEntry, ContributingFactor, PostmortemDocument
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.five_whys import Branch, WhyStep, WhyTree
from kintsugi.core.markdown import (
    document_from_dict,
    document_to_dict,
    parse_markdown,
    render_html,
    render_markdown,
)
from kintsugi.core.vocabulary import Priority


def doc_with(tree: WhyTree) -> PostmortemDocument:
    return PostmortemDocument(
        title="Pool",
        factors=[ContributingFactor("Slow migration"), ContributingFactor("Expired creds")],
        action_items=[
            ActionItemEntry("Alert on credential expiry", priority=Priority.P0),
            ActionItemEntry("Set lock_timeout", priority=Priority.P1),
        ],
        analysis=tree,
    )


TREE = WhyTree(
    [
        Branch(
            [
                WhyStep("Why was the site down?", "The pool was exhausted."),
                WhyStep("Why was the pool exhausted?", "<script>alert(1)</script> locked it."),
            ],
            title="Site down",
            factors=[2],
            actions=[1, 2],
        )
    ]
)


def test_it_places_the_section_after_the_factors_and_reads_it_back():
    text = render_markdown(doc_with(TREE))
    assert text.index("## Contributing Factors") < text.index("## Root Cause Analysis (5 Whys)")
    assert text.index("## Root Cause Analysis (5 Whys)") < text.index("## Lessons Learned")
    assert parse_markdown(text).analysis == TREE


@pytest.mark.parametrize("heading", ["5 Whys", "Five Whys", "Root cause analysis"])
def test_it_accepts_heading_synonyms(heading):
    text = render_markdown(doc_with(TREE)).replace("Root Cause Analysis (5 Whys)", heading)
    assert parse_markdown(text).analysis == TREE


def test_it_reports_errors_inside_the_section_with_file_lines():
    text = render_markdown(doc_with(TREE)).replace("   **Because:** The pool", "   The pool")
    lines = text.split("\n")
    expected = next(n for n, line in enumerate(lines, 1) if line.startswith("1. **Why**"))
    with pytest.raises(ValidationProblem) as error:
        parse_markdown(text)
    assert error.value.line in (expected, expected + 1)


def test_it_refuses_links_to_missing_factors_and_action_items():
    text = render_markdown(doc_with(TREE)).replace(
        "**Action items:** A1, A2", "**Action items:** A9"
    )
    with pytest.raises(ValidationProblem, match="no action item A9"):
        parse_markdown(text)
    bad = doc_with(WhyTree([Branch([WhyStep("Why?", "Because.")], factors=[7])]))
    with pytest.raises(ValidationProblem, match="no contributing factor F7"):
        document_from_dict(document_to_dict(bad))


def test_it_resolves_action_labels_of_a_hand_written_table_out_of_template_order():
    text = """# Pool

## 5 Whys

1. Why was the site down?
   Because the pool was exhausted.

**Action items:** A1

## Action Items

| # | Priority | Action |
|---|---|---|
| A1 | P3 | Later item |
| A2 | P0 | First item |
"""
    doc = parse_markdown(text)
    assert [item.title for item in doc.action_items] == ["First item", "Later item"]
    assert doc.analysis.branches[0].actions == [2]


def test_it_round_trips_the_tree_in_json():
    data = json.loads(json.dumps(document_to_dict(doc_with(TREE))))
    assert data["analysis"]["branches"][0]["steps"][0]["question"] == "Why was the site down?"
    assert document_from_dict(data).analysis == TREE


def test_it_names_the_path_of_a_bad_json_value():
    data = document_to_dict(doc_with(TREE))
    data["analysis"]["branches"][0]["steps"][1]["answer"] = 3
    with pytest.raises(ValidationProblem) as error:
        document_from_dict(data)
    assert error.value.field == "analysis.branches[0].steps[1].answer"


def test_it_refuses_whitespace_only_answers_in_json():
    data = document_to_dict(doc_with(TREE))
    data["analysis"]["branches"][0]["steps"][1]["answer"] = "   "
    with pytest.raises(ValidationProblem, match="answer is empty"):
        document_from_dict(data)


def test_it_renders_a_readable_escaped_chain_in_html():
    page = render_html(doc_with(TREE))
    assert "<h2>Root Cause Analysis (5 Whys)</h2>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; locked it." in page
    assert "<script>" not in page
    assert 'href="#F2"' in page and "A1, A2" in page
