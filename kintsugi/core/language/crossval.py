"""Leave-one-group-out cross-validation: how the checker does on text it never saw.

Usage::

    python -m kintsugi.core.language.crossval [--thresholds 0.5,0.7,0.9] [--gates 0.05,0.1]
        [--real-weight 2] [--grammar | --no-grammar] [--no-real] [--actor-only]
        [--skip-negated] [--folds]

The groups are the writers (:mod:`writers`) and the tuning halves of the three real
collections (``real``, ``real2``, ``real3``). For each group the model is trained on every
other group and scores the one left out, so there are two protocols in one run:

* *leave-one-real-collection-out*: train on the corpus, the writers and two real tuning
  halves, score the third. This is the figure that predicts real documents of another
  outage, and the one the model's choices are made on;
* *leave-one-writer-out*: train on the other writers and the three real tuning halves,
  score the writer left out (a new writer of our own kind of prose).

The rules, which no training changes, are run once. Printed per left-out group, and pooled
over the real collections and over the blind writers: precision and recall of the rules
alone, of the rules or the model at each threshold (the model adds findings), and of the
rules gated by the model (a rule finding on a sentence the model scores below the gate is
dropped). A sentence counts as flagged as in ``evaluate``: any blameless-language finding.

The rules were tuned on ``own``, ``w2`` and the real tuning halves, so their "rules alone"
rows are in-sample there; what the model adds is measured out of sample everywhere. Only
figures are printed, never sentences. No held-out file is read: the groups come from
:func:`model.training_groups`, which opens tuning files only (a test asserts it).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace

from kintsugi.core.language.config import LintConfig
from kintsugi.core.language.engine import STATISTICAL, Linter
from kintsugi.core.language.findings import Finding
from kintsugi.core.language.model import (
    NEEDS_ACTOR,
    RECIPE,
    SCORES_NEGATED,
    THRESHOLD,
    BlameModel,
    Featurizer,
    Recipe,
    fit,
    group_samples,
    is_real,
    training_groups,
)
from kintsugi.core.language.people import PeopleLexicon
from kintsugi.core.language.tokens import sentence_spans
from kintsugi.core.language.writers import OWN, Writer

DEFAULT_THRESHOLDS = (0.5, 0.7, 0.8, 0.9, 0.95, 0.98)
DEFAULT_GATES = (0.02, 0.05, 0.1, 0.2, 0.3)
# Groups whose figures are pooled: the rules were tuned on own and w2 (in-sample there).
BLIND_WRITERS = ("w3", "w4", "w5")


@dataclass(frozen=True)
class Scored:
    """One labelled item: its label, whether a rule flagged it, the model's scores."""

    blame: bool
    by_rules: bool
    score: float  # the highest score of its sentences the model may judge; 0.0 when none
    gate: float = 1.0  # the highest score of the sentences a rule flagged (1.0: none)


@dataclass(frozen=True)
class Figures:
    precision: float
    recall: float
    flagged: int
    blame: int
    by_model: int = 0  # items only the model flagged
    model_precision: float = 1.0  # the share of those that are blame
    vetoed: int = 0  # items the rules flagged that the gate cleared
    vetoed_blame: int = 0  # how many of those were blame

    @classmethod
    def of(
        cls,
        items: Sequence[Scored],
        threshold: float | None,
        gate: float = 0.0,
        *,
        rules: bool = True,
    ) -> Figures:
        """``rules=False``: the model alone, as if no rule ran (a figure the rules' tuning
        on the same sentences does not flatter)."""

        def by_rules(item: Scored) -> bool:
            return rules and item.by_rules and item.gate >= gate

        def flagged(item: Scored) -> bool:
            return by_rules(item) or (threshold is not None and item.score >= threshold)

        true = sum(1 for i in items if i.blame and flagged(i))
        marked = sum(1 for i in items if flagged(i))
        blame = sum(1 for i in items if i.blame)
        added = [i for i in items if flagged(i) and not (rules and i.by_rules)]
        added_true = sum(1 for i in added if i.blame)
        vetoed = [i for i in items if rules and i.by_rules and not flagged(i)]
        return cls(
            true / marked if marked else 1.0,
            true / blame if blame else 1.0,
            marked,
            blame,
            len(added),
            added_true / len(added) if added else 1.0,
            len(vetoed),
            sum(1 for i in vetoed if i.blame),
        )


def language_findings(linter: Linter, text: str) -> list[Finding]:
    """The blameless-language findings on a labelled sentence: any of them flags it (not the
    template's, nor the notes on the input itself). Shared with :mod:`evaluate`."""
    return [f for f in linter.lint_text(text) if f.category not in ("template", "input")]


def rule_flags(writer: Writer) -> list[tuple[str, ...]]:
    """For each item, the sentences a rule flagged in it (empty: the rules let it be)."""
    linter = Linter(LintConfig(disable=(STATISTICAL.id,)), people=writer.people)
    flags: list[tuple[str, ...]] = []
    for example in writer.examples:
        starts = [f.start for f in language_findings(linter, example.text)]
        spans = sentence_spans(example.text)
        flagged = [
            example.text[start:end]
            for start, end in spans
            if any(start <= at < end for at in starts)
        ]
        if starts and not flagged:  # a finding outside every span: the whole item
            flagged = [example.text]
        flags.append(tuple(flagged))
    return flags


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


def gate_score(model: BlameModel, featurizer: Featurizer, flagged: Sequence[str]) -> float:
    """The model's highest score among the sentences a rule flagged, as the gate reads
    them (every sentence, with or without an actor); 1.0 when none was flagged."""
    if not flagged:
        return 1.0
    return max(model.probability(featurizer.features(sentence)) for sentence in flagged)


def cross_validate(
    writers: Sequence[Writer],
    *,
    recipe: Recipe = RECIPE,
    needs_actor: bool = NEEDS_ACTOR,
    score_negated: bool = SCORES_NEGATED,
    flags: dict[str, list[tuple[str, ...]]] | None = None,
    real_in_training: bool = True,
) -> dict[str, list[Scored]]:
    """Per left-out group: every item scored by a model trained on all the others (on
    the writers only, without ``real_in_training``: the earlier protocol)."""
    prepared = {w.name: group_samples(w, recipe) for w in writers}
    flags = flags if flags is not None else {w.name: rule_flags(w) for w in writers}
    results: dict[str, list[Scored]] = {}
    for left_out in writers:
        samples: list[tuple[set[str], int]] = []
        weights: list[float] = []
        for w in writers:
            if w.name != left_out.name and (real_in_training or not is_real(w.name)):
                samples.extend(prepared[w.name][0])
                weights.extend(prepared[w.name][1])
        model = fit(samples, weights)
        featurizer = Featurizer(
            PeopleLexicon(left_out.people), grammar=recipe.grammar, frames=recipe.frames
        )
        results[left_out.name] = [
            Scored(
                e.label == "blame",
                bool(flagged),
                sentence_score(
                    model, featurizer, e.text, needs_actor=needs_actor, score_negated=score_negated
                ),
                gate_score(model, featurizer, flagged),
            )
            for e, flagged in zip(left_out.examples, flags[left_out.name], strict=True)
        ]
    return results


def pooled(results: dict[str, list[Scored]]) -> dict[str, list[Scored]]:
    """The figures that decide: the real collections together, the blind writers together."""
    real = [item for name, items in results.items() if is_real(name) for item in items]
    blind = [item for name in BLIND_WRITERS for item in results.get(name, ())]
    found = {}
    if real:
        found["REAL"] = real
    if blind:
        found["BLIND-W"] = blind
    return found


def format_table(
    results: dict[str, list[Scored]],
    thresholds: Sequence[float],
    gates: Sequence[float] = (),
) -> str:
    lines = [
        f"{'group':<8} {'signal':<24} {'P':>6} {'R':>6} {'flagged':>8} {'blame':>6} "
        f"{'model only':>10} {'its P':>6} {'vetoed':>6} {'of blame':>8}"
    ]
    for name, items in results.items():
        rows: list[tuple[str, float | None, float]] = [("rules alone", None, 0.0)]
        rows += [(f"model alone>={t:g}", t, -1.0) for t in thresholds]
        rows += [(f"rules|model>={t:g}", t, 0.0) for t in thresholds]
        rows += [(f"rules gated <{g:g}", None, g) for g in gates]
        rows += [
            (f"gated <{g:g} | model>={t:g}", t, g)
            for g in gates[:1]
            for t in thresholds
            if t >= THRESHOLD - 0.05
        ]
        for label, threshold, gate in rows:
            f = Figures.of(items, threshold, max(gate, 0.0), rules=gate >= 0)
            lines.append(
                f"{name:<8} {label:<24} {f.precision:6.3f} {f.recall:6.3f} "
                f"{f.flagged:8d} {f.blame:6d} {f.by_model:10d} {f.model_precision:6.3f} "
                f"{f.vetoed:6d} {f.vetoed_blame:8d}"
            )
        lines.append("")
    return "\n".join(lines)


CALIBRATION_BINS = (0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 0.98, 1.0)


def calibration(
    items: Sequence[Scored], bins: Sequence[float] = CALIBRATION_BINS
) -> list[tuple[float, float, int, float]]:
    """(low, high, count, share blame) per score bin: whether a score of 0.95 means blame 95%
    of the time. Items the model may not judge (score 0.0, no actor) are left out."""
    rows = []
    for low, high in zip(bins, bins[1:], strict=False):
        inside = [
            i for i in items if i.score > 0.0 and (low <= i.score < high or high == 1.0 == i.score)
        ]
        blame = sum(1 for i in inside if i.blame)
        rows.append((low, high, len(inside), blame / len(inside) if inside else 0.0))
    return rows


def format_calibration(results: dict[str, list[Scored]]) -> str:
    lines = [f"{'group':<8} {'score':<11} {'items':>6} {'blame':>6}"]
    for name, items in results.items():
        for low, high, count, share in calibration(items):
            lines.append(f"{name:<8} {low:.2f}-{high:.2f}  {count:6d} {share:6.3f}")
        lines.append("")
    return "\n".join(lines)


def _numbers(text: str, option: str) -> list[float]:
    try:
        return [float(t) for t in text.split(",") if t.strip()]
    except ValueError:
        raise SystemExit(f"crossval: {option} takes numbers separated by commas.") from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kintsugi.core.language.crossval",
        description="Leave-one-real-collection-out and leave-one-writer-out precision and "
        "recall of the rules, the rules or the model, and the rules gated by the model.",
    )
    parser.add_argument(
        "--thresholds",
        default=",".join(f"{t:g}" for t in sorted({*DEFAULT_THRESHOLDS, THRESHOLD})),
    )
    parser.add_argument("--gates", default=",".join(f"{g:g}" for g in DEFAULT_GATES))
    parser.add_argument("--real-weight", type=float, default=RECIPE.real_weight)
    parser.add_argument(
        "--frames", action="store_true", help="add the features of blame denied or negated"
    )
    grammar = parser.add_mutually_exclusive_group()
    grammar.add_argument("--grammar", action="store_true", help="add the grammar's features")
    grammar.add_argument("--no-grammar", action="store_true", help="leave them out")
    parser.add_argument(
        "--no-real",
        action="store_true",
        help="the earlier protocol: the real collections are scored but never trained on",
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
    parser.add_argument("--folds", action="store_true", help="print every fold, not just pools")
    parser.add_argument(
        "--calibration",
        action="store_true",
        help="also print, per score bin, the share of the items that are blame",
    )
    args = parser.parse_args(argv)
    try:
        thresholds = _numbers(args.thresholds, "--thresholds")
        gates = _numbers(args.gates, "--gates")
    except SystemExit as error:
        print(error, file=sys.stderr)
        return 2
    if args.real_weight <= 0 or args.real_weight > 100:
        print("crossval: --real-weight must be above 0 and at most 100.", file=sys.stderr)
        return 2
    recipe = replace(
        RECIPE,
        real_weight=args.real_weight,
        grammar=(RECIPE.grammar or args.grammar) and not args.no_grammar,
        frames=RECIPE.frames or args.frames,
    )
    groups = training_groups()
    results = cross_validate(
        groups,
        recipe=recipe,
        needs_actor=args.actor_only or NEEDS_ACTOR,
        score_negated=SCORES_NEGATED and not args.skip_negated,
        real_in_training=not args.no_real,
    )
    print(f"recipe: {recipe}")
    shown = {**pooled(results), **(results if args.folds else {})}
    if not args.folds:
        shown.update({name: results[name] for name in (OWN, "w2") if name in results})
    print(format_table(shown, thresholds, gates))
    if args.calibration:
        print(format_calibration(shown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
