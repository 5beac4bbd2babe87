"""An answer that already starts with "Because" is not labelled "Because:" again (issue 14,
item 12), in the Markdown section and the HTML page the PDF is printed from, and the
Markdown still round-trips exactly."""

from __future__ import annotations

import re

import pytest

from kintsugi.core.five_whys import Branch, WhyStep, WhyTree, parse_analysis, render_analysis
from kintsugi.core.markdown.five_whys_html import render_analysis_html

OWN_BECAUSE = [
    "Because the connection pool was exhausted.",
    "because of a slow migration.",
    "Because: the runner credentials expired.",
    "BECAUSE, frankly, nobody watched lock waits.",
]
NO_BECAUSE = [
    "The connection pool was exhausted.",
    "Becauses is not a word, but it is not the label either.",
    "It failed because the disk was full.",
]


def _tree(answer: str) -> WhyTree:
    return WhyTree([Branch([WhyStep("Why did the site return errors?", answer)])])


def _visible(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def _answer_line(text: str) -> str:
    """The step's answer line (the root-cause line repeats the answer on its own)."""
    return next(
        line
        for line in text.splitlines()
        if "Why" not in line and "Root" not in line and line.startswith("   ")
    )


def _answer_paragraph(html: str) -> str:
    match = re.search(r'<p class="because">.*?</p>', html)
    assert match, html
    return _visible(re.sub(r'<span class="root-cause-mark">.*?</span>', "", match.group(0))).strip()


@pytest.mark.parametrize("answer", OWN_BECAUSE)
def test_an_answer_with_its_own_because_reads_it_once(answer: str) -> None:
    line = _answer_line(render_analysis(_tree(answer)))
    assert line == f"   **Answer:** {answer}"
    assert len(re.findall(r"because", line, re.IGNORECASE)) == 1
    paragraph = _answer_paragraph(render_analysis_html(_tree(answer)))
    assert paragraph == answer
    assert len(re.findall(r"because", paragraph, re.IGNORECASE)) == 1


@pytest.mark.parametrize("answer", OWN_BECAUSE + NO_BECAUSE)
def test_the_markdown_still_round_trips_exactly(answer: str) -> None:
    tree = _tree(answer)
    text = render_analysis(tree)
    assert parse_analysis(text) == tree
    assert parse_analysis(text).branches[0].steps[0].answer == answer
    assert render_analysis(parse_analysis(text)) == text


@pytest.mark.parametrize("answer", NO_BECAUSE)
def test_any_other_answer_keeps_the_because_label(answer: str) -> None:
    assert _answer_line(render_analysis(_tree(answer))) == f"   **Because:** {answer}"
    assert _answer_paragraph(render_analysis_html(_tree(answer))) == f"Because: {answer}"
