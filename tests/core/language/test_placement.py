"""One phrase, one finding: matches of two rules that touch are one place (placement.py)."""

from __future__ import annotations

import pytest

from kintsugi.core.language import get_linter


@pytest.mark.parametrize(
    "sentence",
    [
        "Looking back, we should have been more careful to drain the nodes first.",
        "The operator should have been more careful with the flags.",
    ],
)
def test_should_have_been_more_careful_is_one_finding(sentence: str) -> None:
    found = get_linter().lint_markdown(sentence)
    assert [f.rule for f in found if f.rule.startswith("blame/")] == ["blame/be-more-careful"]


def test_two_judgments_apart_in_one_sentence_are_both_reported() -> None:
    sentence = "Bob could have rolled back, and the reviewer should have been more careful."
    rules = {f.rule for f in get_linter().lint_markdown(sentence)}
    assert {"blame/could-have", "blame/be-more-careful"} <= rules


def test_two_labels_side_by_side_stay_two_findings() -> None:
    """ "Root cause:" (a person as the root cause) and "human error" are two claims."""
    rules = [f.rule for f in get_linter().lint_markdown("Root cause: human error.")]
    assert {"blame/root-cause-person", "blame/human-error"} <= set(rules)
