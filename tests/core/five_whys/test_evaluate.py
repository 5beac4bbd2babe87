"""The quality bar: precision and recall of the checks on the labelled set, both >= 0.9."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from kintsugi.core.five_whys import RULES
from kintsugi.core.five_whys.evaluate import (
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


@pytest.fixture(scope="module")
def tuning(chains):  # type: ignore[no-untyped-def]
    return [chain for chain in chains if not chain.own_held_out]


def test_it_reads_the_set_from_the_tests_by_default() -> None:
    assert DEFAULT_PATH == HERE / "chains.yaml"


def test_the_set_is_large_and_covers_every_rule(chains) -> None:  # type: ignore[no-untyped-def]
    assert len(chains) >= 150
    held = [chain for chain in chains if chain.own_held_out]
    assert len(held) >= 50  # scored apart, never tuned on
    chains = [chain for chain in chains if not chain.own_held_out]
    positives = Counter(rule for chain in chains for rule in chain.expected)
    assert set(positives) == set(RULES)
    assert all(count >= 3 for count in positives.values()), positives
    good = [chain for chain in chains if not chain.expected]
    assert len(good) >= 20
    tricky = [chain for chain in good if chain.note.startswith("Tricky")]
    assert len(tricky) >= 8  # good chains that mention people, vendors or spikes


def test_every_labelled_chain_is_a_valid_tree(chains) -> None:  # type: ignore[no-untyped-def]
    from kintsugi.core.five_whys import validate_tree

    for chain in chains:
        validate_tree(chain.tree)


def test_precision_and_recall_reach_the_bar(tuning) -> None:  # type: ignore[no-untyped-def]
    report = evaluate(tuning)
    assert report.precision >= BAR, format_report(report)
    assert report.recall >= BAR, format_report(report)


def test_every_rule_has_a_good_recall_of_its_own(tuning) -> None:  # type: ignore[no-untyped-def]
    """A rule that never fires could hide behind the others in the overall numbers."""
    for rule, (tp, _fp, fn) in evaluate(tuning).per_rule().items():
        assert tp / (tp + fn) >= 0.6, rule


def test_the_command_prints_the_report_and_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(HERE / "chains.yaml")]) == 0
    output = capsys.readouterr().out
    assert "Precision: " in output and "Recall: " in output
    assert "Misclassified chains" in output
    assert "Chain precision: " in output and "Own held-out block" in output


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


SMALL = (
    "- id: good-one\n"
    "  steps:\n"
    "    - q: Why was the API down?\n"
    "      a: The pool was exhausted.\n"
    "    - q: Why was it exhausted?\n"
    "      a: The pool has 10 connections and no queue timeout.\n"
    "    - q: Why so few?\n"
    "      a: The pool size is a default that was kept after launch.\n"
    "  actions: [Set the pool size from measured peak concurrency]\n"
    "  expect: []\n"
    "- id: secret-chain-id\n"
    "  steps:\n"
    "    - q: Why was the API down?\n"
    "      a: The pool was exhausted.\n"
    "  actions: [Set the pool size from measured peak concurrency]\n"
    "  expect: [whys/ends-on-person]\n"
)


def test_chain_level_figures_count_a_chain_once(tmp_path: Path) -> None:
    path = tmp_path / "set.yaml"
    path.write_text(SMALL, encoding="utf-8")
    report = evaluate(load_chains(path))
    # The bad chain raises too-shallow, not its label: flagged all the same.
    assert report.chain_recall == 1.0 and report.chain_precision == 1.0
    assert report.recall == 0.0


def test_the_independent_set_prints_figures_but_never_a_chain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "heldout_chains.yaml"
    path.write_text(SMALL, encoding="utf-8")
    assert main([str(path)]) == 0
    output = capsys.readouterr().out
    assert "Chain precision: 1.000   Chain recall: 1.000" in output
    assert "whys/too-shallow" in output  # the per-rule counts
    assert "secret-chain-id" not in output and "good-one" not in output
    assert "Why was the API down" not in output


def test_show_misses_is_refused_for_the_independent_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "heldout_chains.yaml"
    path.write_text(SMALL, encoding="utf-8")
    assert main(["--show-misses", str(path)]) == 2
    captured = capsys.readouterr()
    assert "refused" in captured.err
    assert "secret-chain-id" not in captured.out + captured.err


def test_own_held_out_misses_are_listed_only_on_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "set.yaml"
    path.write_text(SMALL.replace("- id: secret", "- own_held_out: true\n  id: secret"))
    main([str(path)])
    assert "secret-chain-id" not in capsys.readouterr().out
    main(["--show-misses", str(path)])
    assert "secret-chain-id" in capsys.readouterr().out


def test_later_held_out_blocks_are_scored_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "set.yaml"
    path.write_text(SMALL.replace("- id: secret", "- own_held_out: 2\n  id: secret"))
    assert [chain.own_held_out for chain in load_chains(path)] == [0, 2]
    main(["--show-misses", str(path)])
    out = capsys.readouterr().out
    assert "Own held-out block 2" in out and "Own held-out block (" not in out
    block = out[out.index("Own held-out block 2") :]
    assert "secret-chain-id" in block
    tuning_part = out[: out.index("Own held-out block 2")]
    assert "secret-chain-id" not in tuning_part


def test_own_only_leaves_the_independent_set_unscored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kintsugi.core.five_whys import evaluate as module

    independent = tmp_path / "heldout_chains.yaml"
    independent.write_text(
        "- id: secret\n  steps:\n    - q: Why did it fail\n      a: Human error.\n  expect: []\n",
        encoding="utf-8",
    )
    second = tmp_path / "heldout_chains2.yaml"
    second.write_text(independent.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(module, "INDEPENDENT_SETS", (independent, second))
    assert main(["--own-only"]) == 0
    assert "Independent" not in capsys.readouterr().out
    main([])
    out = capsys.readouterr().out
    assert "Independent held-out set (heldout_chains.yaml" in out
    assert "Independent held-out set (heldout_chains2.yaml" in out
    assert "secret" not in out
