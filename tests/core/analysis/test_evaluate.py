"""The quality bar: precision and recall of the checks on the labelled set, both >= 0.9."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from kintsugi.core.analysis import RULES
from kintsugi.core.analysis.evaluate import (
    BAR,
    DEFAULT_PATH,
    evaluate,
    format_report,
    load_chains,
    main,
)

HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def chains():  # type: ignore[no-untyped-def]
    return load_chains(HERE / "chains.yaml")


def test_it_reads_the_set_from_the_tests_by_default() -> None:
    assert DEFAULT_PATH == HERE / "chains.yaml"


def test_the_set_is_large_and_covers_every_rule(chains) -> None:  # type: ignore[no-untyped-def]
    assert len(chains) >= 64
    positives = Counter(rule for chain in chains for rule in chain.expected)
    assert set(positives) == set(RULES)
    assert all(count >= 3 for count in positives.values()), positives
    good = [chain for chain in chains if not chain.expected]
    assert len(good) >= 20
    tricky = [chain for chain in good if chain.note.startswith("Tricky")]
    assert len(tricky) >= 8  # good chains that mention people, vendors or spikes


def test_every_labelled_chain_is_a_valid_tree(chains) -> None:  # type: ignore[no-untyped-def]
    from kintsugi.core.analysis import validate_tree

    for chain in chains:
        validate_tree(chain.tree)


def test_precision_and_recall_reach_the_bar(chains) -> None:  # type: ignore[no-untyped-def]
    report = evaluate(chains)
    assert report.precision >= BAR, format_report(report)
    assert report.recall >= BAR, format_report(report)


def test_every_rule_has_a_good_recall_of_its_own(chains) -> None:  # type: ignore[no-untyped-def]
    """A rule that never fires could hide behind the others in the overall numbers."""
    for rule, (tp, _fp, fn) in evaluate(chains).per_rule().items():
        assert tp / (tp + fn) >= 0.6, rule


def test_the_command_prints_the_report_and_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(HERE / "chains.yaml")]) == 0
    output = capsys.readouterr().out
    assert "Precision: " in output and "Recall: " in output
    assert "Misclassified chains" in output


def test_the_command_exits_one_below_the_bar(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(
        "- id: mislabelled\n"
        "  steps:\n"
        "    - q: Why was the API down?\n"
        "      a: The pool was exhausted.\n"
        "    - q: Why was it exhausted?\n"
        "      a: The pool has 10 connections and no queue timeout.\n"
        "    - q: Why so few?\n"
        "      a: The pool size is a default that was kept after launch.\n"
        "  actions: [Set the pool size from measured peak concurrency]\n"
        "  expect: [whys/ends-on-person]\n",
        encoding="utf-8",
    )
    assert main([str(wrong)]) == 1


@pytest.mark.parametrize(
    "content",
    ["not: a list\n", "- steps: []\n", "- id: x\n  steps: [{q: a, a: b}]\n  expect: [whys/nope]\n"],
)
def test_the_command_exits_two_on_an_unreadable_set(
    tmp_path: Path, content: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    assert main([str(path)]) == 2
    assert "cannot read the labelled set" in capsys.readouterr().err
    assert main([str(tmp_path / "missing.yaml")]) == 2
