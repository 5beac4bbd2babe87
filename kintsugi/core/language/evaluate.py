"""Measure the linter against the labelled corpus: precision, recall and the mistakes.

Usage::

    python -m kintsugi.core.language.evaluate [CORPUS.tsv] [--min-precision 0.9] [--min-recall 0.9]

A sentence counts as flagged when the linter reports any blameless-language finding for it
(template and input rules do not apply to single sentences). Precision is the share of
flagged sentences that are labelled ``blame``; recall is the share of ``blame`` sentences
flagged. The category is reported separately: a caught sentence whose expected category is
not among the reported ones is listed, but still counts as caught, since either way the
author is shown the wording.

Exit status: 0 when both figures reach their minimums, 1 when not, 2 for a bad corpus.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.language.engine import Linter
from kintsugi.core.language.rules import CATEGORIES

DEFAULT_CORPUS = Path(__file__).resolve().parents[3] / "tests" / "core" / "language" / "corpus.tsv"
LABELS = ("blame", "ok")


@dataclass(frozen=True)
class Example:
    line: int
    label: str
    category: str | None
    text: str


@dataclass(frozen=True)
class Corpus:
    examples: tuple[Example, ...]
    people: tuple[str, ...]


@dataclass
class Outcome:
    example: Example
    flagged: bool
    categories: frozenset[str]
    rules: tuple[str, ...]


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def _count(self, label: str, flagged: bool) -> int:
        return sum(1 for o in self.outcomes if o.example.label == label and o.flagged == flagged)

    @property
    def true_positives(self) -> int:
        return self._count("blame", True)

    @property
    def false_positives(self) -> int:
        return self._count("ok", True)

    @property
    def false_negatives(self) -> int:
        return self._count("blame", False)

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        blame = self.true_positives + self.false_negatives
        return self.true_positives / blame if blame else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def missed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.example.label == "blame" and not o.flagged]

    @property
    def false_alarms(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.example.label == "ok" and o.flagged]

    @property
    def wrong_category(self) -> list[Outcome]:
        return [
            o
            for o in self.outcomes
            if o.example.label == "blame" and o.flagged and o.example.category not in o.categories
        ]

    def recall_by_category(self) -> dict[str, tuple[int, int]]:
        totals: Counter[str] = Counter()
        caught: Counter[str] = Counter()
        for outcome in self.outcomes:
            if outcome.example.label == "blame" and outcome.example.category:
                totals[outcome.example.category] += 1
                caught[outcome.example.category] += outcome.flagged
        return {category: (caught[category], totals[category]) for category in sorted(totals)}


def load_corpus(path: Path) -> Corpus:
    """Read ``label<TAB>category<TAB>sentence`` lines; ``# people: A, B`` declares names."""
    examples: list[Example] = []
    people: list[str] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.rstrip("\n")
        if not line.strip():
            continue
        if line.startswith("#"):
            header = line.lstrip("# ")
            if header.lower().startswith("people:"):
                people.extend(name.strip() for name in header[7:].split(",") if name.strip())
            continue
        parts = line.split("\t")
        if len(parts) != 3 or parts[0] not in LABELS:
            raise ValidationProblem(
                f"{path}:{number}: expected 'blame|ok<TAB>category<TAB>sentence'.", line=number
            )
        label, category, text = parts
        if label == "blame" and category not in CATEGORIES:
            raise ValidationProblem(f"{path}:{number}: unknown category {category!r}.", line=number)
        examples.append(
            Example(number, label, category if label == "blame" else None, text.strip())
        )
    return Corpus(tuple(examples), tuple(people))


def evaluate(corpus: Corpus, linter: Linter | None = None) -> Report:
    linter = linter or Linter(people=corpus.people)
    report = Report()
    for example in corpus.examples:
        findings = [
            f for f in linter.lint_text(example.text) if f.category not in ("template", "input")
        ]
        report.outcomes.append(
            Outcome(
                example=example,
                flagged=bool(findings),
                categories=frozenset(f.category for f in findings),
                rules=tuple(sorted({f.rule for f in findings})),
            )
        )
    return report


def format_report(report: Report, corpus_path: Path) -> str:
    blame = sum(1 for o in report.outcomes if o.example.label == "blame")
    lines = [
        f"Corpus: {corpus_path} ({len(report.outcomes)} sentences: {blame} blame, "
        f"{len(report.outcomes) - blame} ok)",
        f"Precision: {report.precision:.3f}  ({report.true_positives} of "
        f"{report.true_positives + report.false_positives} flagged sentences are blame)",
        f"Recall:    {report.recall:.3f}  ({report.true_positives} of {blame} blame sentences flagged)",
        f"F1:        {report.f1:.3f}",
        "",
        "Recall by category:",
    ]
    for category, (caught, total) in report.recall_by_category().items():
        lines.append(f"  {category:<15} {caught:>3}/{total:<3}")
    sections = (
        ("Missed (blame, not flagged)", report.missed),
        ("False alarms (ok, flagged)", report.false_alarms),
        ("Caught under another category", report.wrong_category),
    )
    for title, outcomes in sections:
        lines.extend(("", f"{title}: {len(outcomes)}"))
        for o in outcomes:
            detail = (
                f" [{o.example.category} -> {', '.join(o.rules)}]"
                if o.rules
                else f" [{o.example.category}]"
            )
            if o.example.label == "ok":
                detail = f" [{', '.join(o.rules)}]"
            lines.append(f"  line {o.example.line}: {o.example.text}{detail}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kintsugi.core.language.evaluate",
        description="Precision and recall of the blameless-language rules on a labelled corpus.",
    )
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--min-precision", type=float, default=0.9)
    parser.add_argument("--min-recall", type=float, default=0.9)
    args = parser.parse_args(argv)
    try:
        corpus = load_corpus(args.corpus)
    except (OSError, ValidationProblem) as error:
        print(f"evaluate: {error}", file=sys.stderr)
        return 2
    report = evaluate(corpus)
    print(format_report(report, args.corpus))
    return 0 if report.precision >= args.min_precision and report.recall >= args.min_recall else 1


if __name__ == "__main__":
    sys.exit(main())
