"""A step's evidence as lines of text: what the web editor's box reads and prefills."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.five_whys import Evidence
from kintsugi.core.five_whys.evidence_text import evidence_lines, parse_evidence_lines
from kintsugi.core.vocabulary import EvidenceKind
from tests.core.five_whys.strategies import evidence


# No deadline: the property is about what reads back, not how fast. On a loaded shared
# machine one run failed once and never again in 20,000 examples run apart (2026-12-07).
@settings(deadline=None)
@given(st.lists(evidence, max_size=10))
def test_the_prefilled_text_reads_back_as_the_same_evidence(pieces):
    assert parse_evidence_lines(evidence_lines(pieces)) == pieces


def test_each_line_is_a_piece_with_its_kind():
    text = (
        "graph: https://grafana.example.com/d/db\n\n"
        "  LOG :  FATAL:  password authentication failed  \n"
        "https://ci.example.com/runs/881\n"
        "Dashboard:https://status.example.com"
    )
    assert parse_evidence_lines(text) == [
        Evidence(EvidenceKind.GRAPH, "https://grafana.example.com/d/db"),
        Evidence(EvidenceKind.LOG, "FATAL: password authentication failed"),
        Evidence(EvidenceKind.OTHER, "https://ci.example.com/runs/881"),  # no kind: other
        Evidence(EvidenceKind.DASHBOARD, "https://status.example.com"),
    ]


def test_a_first_word_that_is_no_kind_is_kept_as_typed():
    (piece,) = parse_evidence_lines("metrics: p99 went from 80 ms to 4 s")
    assert piece == Evidence(EvidenceKind.OTHER, "metrics: p99 went from 80 ms to 4 s")


def test_blank_text_is_no_evidence():
    assert parse_evidence_lines("") == [] == parse_evidence_lines("\n  \n\t\n")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("graph: https://x\nquery:   \n", 2, "names a kind (query) but nothing after it"),
        ("log: " + "x" * 2001, 1, "2,001 characters long; the limit is 2,000"),
        ("\n".join(f"log: line {n}" for n in range(11)), 11, "at most 10 pieces"),
    ],
)
def test_it_refuses_with_the_line_that_breaks_a_rule(text, line, words):
    with pytest.raises(ValidationProblem) as refused:
        parse_evidence_lines(text)
    assert refused.value.line == line and refused.value.field == "evidence"
    assert words in refused.value.message
