"""Precision and recall of the 5 Whys checks on the labelled set of why-chains.

    python -m kintsugi.core.analysis.evaluate [PATH]

PATH defaults to tests/core/analysis/chains.yaml in the source tree. Exit status: 0 when
both precision and recall reach the 0.9 bar, 1 below it, 2 when the set cannot be read.

Definitions. The unit is a (chain, rule) pair, for the nine ``whys/*`` rules. A chain's
expected pairs are its labels; its predicted pairs are the rules that raise at least one
finding anywhere on it (several findings of one rule on one chain count once, because the
labels say which problems a chain has, not how many times). Then

    precision = |predicted ∩ expected| / |predicted|   (of what we flag, how much is right)
    recall    = |predicted ∩ expected| / |expected|    (of what is wrong, how much we flag)

A good chain (no labels) that raises anything lowers precision; a missed label lowers
recall. An empty denominator counts as 1.0.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kintsugi.core.analysis.checks import RULES, check_tree
from kintsugi.core.analysis.tree import Branch, WhyStep, WhyTree
from kintsugi.core.errors import ValidationProblem

DEFAULT_PATH = Path(__file__).resolve().parents[3] / "tests" / "core" / "analysis" / "chains.yaml"
BAR = 0.9


@dataclass(frozen=True)
class LabelledChain:
    id: str
    tree: WhyTree
    action_items: tuple[str, ...]
    expected: frozenset[str]
    note: str = ""


@dataclass(frozen=True)
class Outcome:
    chain: LabelledChain
    predicted: frozenset[str]

    @property
    def missed(self) -> frozenset[str]:
        return self.chain.expected - self.predicted

    @property
    def unexpected(self) -> frozenset[str]:
        return self.predicted - self.chain.expected


@dataclass(frozen=True)
class Report:
    outcomes: tuple[Outcome, ...]

    @property
    def true_positives(self) -> int:
        return sum(len(o.predicted & o.chain.expected) for o in self.outcomes)

    @property
    def precision(self) -> float:
        predicted = sum(len(o.predicted) for o in self.outcomes)
        return self.true_positives / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        expected = sum(len(o.chain.expected) for o in self.outcomes)
        return self.true_positives / expected if expected else 1.0

    @property
    def misclassified(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.missed or o.unexpected]

    def per_rule(self) -> dict[str, tuple[int, int, int]]:
        """rule -> (true positives, false positives, false negatives)."""
        counts: dict[str, tuple[int, int, int]] = {}
        for rule in RULES:
            tp = sum(1 for o in self.outcomes if rule in o.predicted and rule in o.chain.expected)
            fp = sum(1 for o in self.outcomes if rule in o.unexpected)
            fn = sum(1 for o in self.outcomes if rule in o.missed)
            counts[rule] = (tp, fp, fn)
        return counts


def load_chains(path: Path = DEFAULT_PATH) -> list[LabelledChain]:
    """Read the labelled set; raise ValidationProblem naming the entry that is malformed."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValidationProblem(f"{path}: expected a list of chains.")
    chains = [_chain(entry) for entry in data]
    ids = [chain.id for chain in chains]
    duplicates = sorted({chain_id for chain_id in ids if ids.count(chain_id) > 1})
    if duplicates:
        raise ValidationProblem(f"{path}: duplicate ids: {', '.join(duplicates)}")
    return chains


def evaluate(chains: Sequence[LabelledChain]) -> Report:
    outcomes = []
    for chain in chains:
        findings = check_tree(chain.tree, action_items=list(chain.action_items))
        predicted = frozenset(f.rule for f in findings if f.rule in RULES)
        outcomes.append(Outcome(chain, predicted))
    return Report(tuple(outcomes))


def format_report(report: Report) -> str:
    good = sum(1 for o in report.outcomes if not o.chain.expected)
    lines = [
        f"Labelled chains: {len(report.outcomes)} ({good} good, "
        f"{len(report.outcomes) - good} with problems)",
        f"Precision: {report.precision:.3f}   Recall: {report.recall:.3f}   "
        f"(per (chain, rule) pair; bar {BAR})",
        "",
        f"{'rule':32} {'tp':>4} {'fp':>4} {'fn':>4}",
    ]
    for rule, (tp, fp, fn) in report.per_rule().items():
        lines.append(f"{rule:32} {tp:>4} {fp:>4} {fn:>4}")
    lines.append("")
    if not report.misclassified:
        lines.append("Misclassified chains: none")
    else:
        lines.append(f"Misclassified chains: {len(report.misclassified)}")
        for outcome in report.misclassified:
            parts = []
            if outcome.missed:
                parts.append("missed " + ", ".join(sorted(outcome.missed)))
            if outcome.unexpected:
                parts.append("unexpected " + ", ".join(sorted(outcome.unexpected)))
            lines.append(f"  {outcome.chain.id}: {'; '.join(parts)}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1 or (args and args[0] in {"-h", "--help"}):
        print("usage: python -m kintsugi.core.analysis.evaluate [PATH]", file=sys.stderr)
        return 2
    path = Path(args[0]) if args else DEFAULT_PATH
    try:
        chains = load_chains(path)
    except (OSError, yaml.YAMLError, ValidationProblem) as error:
        print(f"cannot read the labelled set: {error}", file=sys.stderr)
        return 2
    report = evaluate(chains)
    print(format_report(report))
    return 0 if report.precision >= BAR and report.recall >= BAR else 1


def _chain(entry: Any) -> LabelledChain:
    if not isinstance(entry, dict) or "id" not in entry:
        raise ValidationProblem(f"every chain needs an id: {entry!r:.80}")
    chain_id = str(entry["id"])
    actions = tuple(str(title) for title in entry.get("actions") or ())
    unknown = set(entry.get("expect") or ()) - set(RULES)
    if unknown:
        raise ValidationProblem(f"{chain_id}: unknown rules {sorted(unknown)}")
    if "branches" in entry:
        branches = [_branch(raw, chain_id, default_links=[]) for raw in entry["branches"]]
    else:
        everything = list(range(1, len(actions) + 1))
        branches = [_branch(entry, chain_id, default_links=everything)]
    return LabelledChain(
        chain_id,
        WhyTree(branches),
        actions,
        frozenset(entry.get("expect") or ()),
        str(entry.get("note", "")),
    )


def _branch(raw: Any, chain_id: str, *, default_links: list[int]) -> Branch:
    if not isinstance(raw, dict) or not raw.get("steps"):
        raise ValidationProblem(f"{chain_id}: every branch needs steps")
    steps = [
        WhyStep(
            str(step["q"]),
            str(step["a"]),
            branches=[_branch(sub, chain_id, default_links=[]) for sub in step.get("branches", ())],
        )
        for step in raw["steps"]
    ]
    links = raw.get("links", default_links)
    return Branch(
        steps,
        title=str(raw.get("title", "")),
        trigger=str(raw.get("trigger", "")),
        actions=[int(number) for number in links],
    )


if __name__ == "__main__":
    sys.exit(main())
