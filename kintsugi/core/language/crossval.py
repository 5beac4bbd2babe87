"""Leave-one-writer-out cross-validation: how the checker does on a writer it never saw.

Usage::

    python -m kintsugi.core.language.crossval [--thresholds 0.5,0.7,0.9] [--actor-only]
        [--skip-negated]

For each writer (see :mod:`writers`) the model is trained on every other writer and scores
the one left out; the rules, which no training changes, are run once. Printed per left-out
writer: precision and recall of the rules alone, and of the rules or the model at each
threshold. A sentence counts as flagged as in ``evaluate``: any blameless-language finding.

The rules were tuned on ``own`` and ``w2``, so their figures there are in-sample; the blind
writers' sets (``w3``...) were never tuned on and give the honest figure for the rules. Only
figures are printed, never sentences. The independent held-out sets are not read.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from kintsugi.core.language.config import LintConfig
from kintsugi.core.language.engine import STATISTICAL, Linter
from kintsugi.core.language.evaluate import language_findings
from kintsugi.core.language.model import (
    NEEDS_ACTOR,
    SCORES_NEGATED,
    THRESHOLD,
    BlameModel,
    Featurizer,
    fit,
)
from kintsugi.core.language.people import PeopleLexicon
from kintsugi.core.language.tokens import sentence_spans
from kintsugi.core.language.writers import Writer, load_writers

DEFAULT_THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98)


@dataclass(frozen=True)
class Scored:
    """One labelled sentence: its label, whether a rule flagged it, the model's score."""

    blame: bool
    by_rules: bool
    score: float  # the highest score of its sentences the model may judge; 0.0 when none


@dataclass(frozen=True)
class Figures:
    precision: float
    recall: float
    flagged: int
    blame: int
    by_model: int = 0  # sentences only the model flagged
    model_precision: float = 1.0  # the share of those that are blame

    @classmethod
    def of(cls, items: Sequence[Scored], threshold: float | None) -> Figures:
        def flagged(item: Scored) -> bool:
            return item.by_rules or (threshold is not None and item.score >= threshold)

        true = sum(1 for i in items if i.blame and flagged(i))
        marked = sum(1 for i in items if flagged(i))
        blame = sum(1 for i in items if i.blame)
        added = [i for i in items if flagged(i) and not i.by_rules]
        added_true = sum(1 for i in added if i.blame)
        return cls(
            true / marked if marked else 1.0,
            true / blame if blame else 1.0,
            marked,
            blame,
            len(added),
            added_true / len(added) if added else 1.0,
        )


def rule_flags(writer: Writer) -> list[bool]:
    """Whether the rules alone flag each of the writer's sentences."""
    linter = Linter(LintConfig(disable=(STATISTICAL.id,)), people=writer.people)
    return [bool(language_findings(linter, e.text)) for e in writer.examples]


def sentence_score(
    model: BlameModel,
    featurizer: Featurizer,
    text: str,
    *,
    needs_actor: bool = NEEDS_ACTOR,
    score_negated: bool = SCORES_NEGATED,
) -> float:
    """The model's score for a text as the linter sees it: sentence by sentence."""
    best = 0.0
    for start, end in sentence_spans(text):
        found = featurizer.scorable(
            text[start:end], needs_actor=needs_actor, score_negated=score_negated
        )
        if found is not None:
            best = max(best, model.probability(found))
    return best


def cross_validate(
    writers: Sequence[Writer],
    *,
    needs_actor: bool = NEEDS_ACTOR,
    score_negated: bool = SCORES_NEGATED,
    flags: dict[str, list[bool]] | None = None,
) -> dict[str, list[Scored]]:
    """Per left-out writer: every sentence scored by a model trained on the others."""
    featurizers = {w.name: Featurizer(PeopleLexicon(w.people)) for w in writers}
    features = {w.name: [featurizers[w.name].features(e.text) for e in w.examples] for w in writers}
    flags = flags if flags is not None else {w.name: rule_flags(w) for w in writers}
    results: dict[str, list[Scored]] = {}
    for left_out in writers:
        samples = [
            (found, int(e.label == "blame"))
            for w in writers
            if w.name != left_out.name
            for found, e in zip(features[w.name], w.examples, strict=True)
        ]
        model = fit(samples)
        featurizer = featurizers[left_out.name]
        results[left_out.name] = [
            Scored(
                e.label == "blame",
                by_rules,
                sentence_score(
                    model, featurizer, e.text, needs_actor=needs_actor, score_negated=score_negated
                ),
            )
            for e, by_rules in zip(left_out.examples, flags[left_out.name], strict=True)
        ]
    return results


def format_table(results: dict[str, list[Scored]], thresholds: Sequence[float]) -> str:
    lines = [
        f"{'writer':<8} {'signal':<17} {'P':>6} {'R':>6} {'flagged':>8} {'blame':>6} "
        f"{'model only':>10} {'its P':>6}"
    ]
    for name, items in results.items():
        rows: list[tuple[str, float | None]] = [("rules alone", None)]
        rows += [(f"rules|model>={t:g}", t) for t in thresholds]
        for label, threshold in rows:
            f = Figures.of(items, threshold)
            lines.append(
                f"{name:<8} {label:<17} {f.precision:6.3f} {f.recall:6.3f} "
                f"{f.flagged:8d} {f.blame:6d} {f.by_model:10d} {f.model_precision:6.3f}"
            )
        lines.append("")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kintsugi.core.language.crossval",
        description="Leave-one-writer-out precision and recall of the rules and the model.",
    )
    parser.add_argument(
        "--thresholds",
        default=",".join(f"{t:g}" for t in sorted({*DEFAULT_THRESHOLDS, THRESHOLD})),
    )
    parser.add_argument(
        "--actor-only",
        action="store_true",
        help="let the model judge only sentences that name a person, team, I or we",
    )
    parser.add_argument(
        "--skip-negated",
        action="store_true",
        help="keep the model quiet on negated sentences, as the rules' own gate does",
    )
    args = parser.parse_args(argv)
    try:
        thresholds = [float(t) for t in args.thresholds.split(",") if t.strip()]
    except ValueError:
        print("crossval: --thresholds takes numbers separated by commas.", file=sys.stderr)
        return 2
    results = cross_validate(
        load_writers(),
        needs_actor=args.actor_only or NEEDS_ACTOR,
        score_negated=SCORES_NEGATED and not args.skip_negated,
    )
    print(format_table(results, thresholds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
