"""Precision and recall of the 5 Whys checks on the labelled sets of why-chains.

    python -m kintsugi.core.five_whys.evaluate [--show-misses] [--own-only] [PATH]
    python -m kintsugi.core.five_whys.evaluate --writers

Without PATH it scores, separately, the three sets in tests/core/five_whys/:

- the tuning set: the entries of chains.yaml without ``own_held_out``; its misclassified
  chains are listed, because the rules are tuned on it;
- our own held-out blocks: the entries of chains.yaml marked ``own_held_out: true`` (block 1)
  or ``own_held_out: N`` (block N, each scored apart), each written before the checks
  were changed for it, with its first-run figures in its header; listed only with
  ``--show-misses``;
- the independent held-out set, heldout_chains.yaml, written by someone else, when it
  exists. Only its aggregate figures are printed, never a chain (``--show-misses`` is
  refused for it), so that nobody tunes the rules to it, even by accident.

- the real chains, tests/core/five_whys/real/: why-chains taken from published post-mortems
  (source URL per chain), labelled before the checks ever ran on them and split once by
  incident. Its tuning part is scored like the tuning set (misses listed); its held-out
  parts, real/heldout.yaml, real/heldout2.yaml (batch 5) and real/heldout3.yaml (batch 6),
  each held out from the round that added it and scored at its end, in aggregate only (never a chain; ``--show-misses``
  is refused).
  A real chain without ``actions`` is one whose follow-ups were not published (or not
  read): the action rules are not judged on it, rather than counting every such chain as
  "no action item addresses the root cause".

``--own-only`` scores chains.yaml alone (tuning and our own held-out blocks) and leaves the
independent set unscored, for a session that must stay blind to it; so does giving PATH.

``--writers`` prints one line per writer, for leave-one-writer-out evaluation: our own
tuning chains, the blind batch W2 inside chains.yaml (ids ``tb-``), each set in
tests/core/five_whys/writers/ (written blind by other helpers), and our held-out blocks.
A change is kept when it helps the writers it was not written for. It never reads the
independent sets.

Exit status: 0 when precision and recall reach the 0.9 bar on the tuning set, 1 below it,
2 when a set cannot be read or misses are asked of the independent set. The held-out sets
are reported, not gated: a gate on them would invite tuning to them.

Definitions. The unit is a (chain, rule) pair, for the nine ``whys/*`` rules. A chain's
expected pairs are its labels; its predicted pairs are the rules that raise at least one
finding anywhere on it (several findings of one rule on one chain count once, because the
labels say which problems a chain has, not how many times). Then

    precision = |predicted ∩ expected| / |predicted|   (of what we flag, how much is right)
    recall    = |predicted ∩ expected| / |expected|    (of what is wrong, how much we flag)

A good chain (no labels) that raises anything lowers precision; a missed label lowers
recall. An empty denominator counts as 1.0.

The same figures per chain, which is how the independent set is measured: a chain counts as
flagged when any ``whys/*`` finding is raised on it, and as bad when it has any label.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.five_whys.checks import RULES, check_tree
from kintsugi.core.five_whys.tree import Branch, WhyStep, WhyTree

SETS_DIR = Path(__file__).resolve().parents[3] / "tests" / "core" / "five_whys"
DEFAULT_PATH = SETS_DIR / "chains.yaml"
INDEPENDENT_PATH = SETS_DIR / "heldout_chains.yaml"
# Every set written by someone who never saw the checks; the second came after the first
# had been scored many times (tests/core/heldout-README.md).
INDEPENDENT_SETS = (INDEPENDENT_PATH, SETS_DIR / "heldout_chains2.yaml")
BAR = 0.9
WRITERS_DIR = SETS_DIR / "writers"
# The blind batch W2 lives inside chains.yaml; its ids start so.
BLIND_BATCH_PREFIX = "tb-"
# Judged only where the post-mortem's action items (and so its links) are known.
ACTION_RULES = frozenset({"whys/root-cause-unaddressed", "whys/action-not-actionable"})
REAL_DIR = SETS_DIR / "real"
REAL_TUNING = REAL_DIR / "tuning.yaml"
REAL_HELDOUT = REAL_DIR / "heldout.yaml"
# Batch 5 (issue 13's second real round): held out from every change of that round and
# scored once at its end, apart from the first part, which earlier rounds had been scored on.
REAL_HELDOUT2 = REAL_DIR / "heldout2.yaml"
# Batch 6 (issue 13's third real round): held out the same way, half of the batch's incidents.
REAL_HELDOUT3 = REAL_DIR / "heldout3.yaml"
REAL_HELDOUTS = (REAL_HELDOUT, REAL_HELDOUT2, REAL_HELDOUT3)
REAL_HELDOUT_TITLES = {
    REAL_HELDOUT: "Real chains, held-out part",
    REAL_HELDOUT2: "Real chains, held-out part 2 (batch 5)",
    REAL_HELDOUT3: "Real chains, held-out part 3 (batches 6-7)",
}


@dataclass(frozen=True)
class LabelledChain:
    id: str
    tree: WhyTree
    # None: the post-mortem's action items are unknown (a real chain whose follow-ups were
    # not published); the checks then take links at their word and judge no action item.
    action_items: tuple[str, ...] | None
    expected: frozenset[str]
    note: str = ""
    # 0: tuning; 1: our first held-out block; 2, 3...: later blocks, each scored apart
    # (a block written after the previous one was tuned on is the honest test of the tuning).
    own_held_out: int = 0


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

    @property
    def chain_precision(self) -> float:
        """Of the chains that raise anything, the share that have a problem."""
        flagged = [o for o in self.outcomes if o.predicted]
        right = sum(1 for o in flagged if o.chain.expected)
        return right / len(flagged) if flagged else 1.0

    @property
    def chain_recall(self) -> float:
        """Of the chains that have a problem, the share that raise anything."""
        bad = [o for o in self.outcomes if o.chain.expected]
        caught = sum(1 for o in bad if o.predicted)
        return caught / len(bad) if bad else 1.0

    def per_rule(self) -> dict[str, tuple[int, int, int]]:
        """rule -> (true positives, false positives, false negatives)."""
        counts: dict[str, tuple[int, int, int]] = {}
        for rule in RULES:
            tp = sum(1 for o in self.outcomes if rule in o.predicted and rule in o.chain.expected)
            fp = sum(1 for o in self.outcomes if rule in o.unexpected)
            fn = sum(1 for o in self.outcomes if rule in o.missed)
            counts[rule] = (tp, fp, fn)
        return counts


def load_chains(path: Path = DEFAULT_PATH, *, real: bool = False) -> list[LabelledChain]:
    """Read the labelled set; raise ValidationProblem naming the entry that is malformed.

    ``real``: a set of chains from published post-mortems, where every entry must name its
    ``source`` (an http(s) URL) and its incident (``doc``, the unit of the split), and a
    missing ``actions`` means "not known" rather than "none"."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValidationProblem(f"{path}: expected a list of chains.")
    chains = [_chain(entry, real=real) for entry in data]
    ids = [chain.id for chain in chains]
    duplicates = sorted({chain_id for chain_id in ids if ids.count(chain_id) > 1})
    if duplicates:
        raise ValidationProblem(f"{path}: duplicate ids: {', '.join(duplicates)}")
    return chains


def evaluate(chains: Sequence[LabelledChain]) -> Report:
    outcomes = []
    for chain in chains:
        actions = None if chain.action_items is None else list(chain.action_items)
        findings = check_tree(chain.tree, action_items=actions)
        predicted = frozenset(f.rule for f in findings if f.rule in RULES)
        if actions is None:
            # Follow-ups unknown: links are unknown too, so the action rules are not judged.
            predicted -= ACTION_RULES
        outcomes.append(Outcome(chain, predicted))
    return Report(tuple(outcomes))


def format_report(report: Report, *, title: str = "", show_misses: bool = True) -> str:
    """The figures and the per-rule table; the misclassified chains only with ``show_misses``."""
    good = sum(1 for o in report.outcomes if not o.chain.expected)
    lines = [f"== {title}"] if title else []
    lines += [
        f"Labelled chains: {len(report.outcomes)} ({good} good, "
        f"{len(report.outcomes) - good} with problems)",
        f"Precision: {report.precision:.3f}   Recall: {report.recall:.3f}   "
        f"(per (chain, rule) pair; bar {BAR})",
        f"Chain precision: {report.chain_precision:.3f}   "
        f"Chain recall: {report.chain_recall:.3f}   (a chain is flagged when any finding is raised)",
        "",
        f"{'rule':32} {'tp':>4} {'fp':>4} {'fn':>4}",
    ]
    for rule, (tp, fp, fn) in report.per_rule().items():
        lines.append(f"{rule:32} {tp:>4} {fp:>4} {fn:>4}")
    lines.append("")
    if not show_misses:
        lines.append(f"Misclassified chains: {len(report.misclassified)} (not listed)")
    elif not report.misclassified:
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


def writer_sets(
    path: Path = DEFAULT_PATH, writers_dir: Path = WRITERS_DIR
) -> list[tuple[str, list[LabelledChain]]]:
    """The labelled chains grouped by who wrote them (never the independent sets)."""
    chains = load_chains(path)
    tuning = [chain for chain in chains if not chain.own_held_out]
    sets = [
        ("own tuning", [c for c in tuning if not c.id.startswith(BLIND_BATCH_PREFIX)]),
        ("W2 blind batch (tb-)", [c for c in tuning if c.id.startswith(BLIND_BATCH_PREFIX)]),
    ]
    if writers_dir.is_dir():
        for writer in sorted(writers_dir.glob("*.yaml")):
            sets.append((f"writer {writer.stem}", load_chains(writer)))
    for block in sorted({chain.own_held_out for chain in chains} - {0}):
        sets.append((f"own block {block}", [c for c in chains if c.own_held_out == block]))
    return [(name, part) for name, part in sets if part]


def format_writers(sets: Sequence[tuple[str, Sequence[LabelledChain]]]) -> str:
    lines = [
        f"{'writer':24} {'chains':>6}  {'pair P':>6} {'pair R':>6}  {'chain P':>7} {'chain R':>7}"
    ]
    for name, part in sets:
        report = evaluate(part)
        lines.append(
            f"{name:24} {len(part):>6}  {report.precision:>6.3f} {report.recall:>6.3f}  "
            f"{report.chain_precision:>7.3f} {report.chain_recall:>7.3f}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--writers"]:
        try:
            print(format_writers(writer_sets()))
        except (OSError, yaml.YAMLError, ValidationProblem) as error:
            print(f"cannot read the labelled set: {error}", file=sys.stderr)
            return 2
        return 0
    show_misses = "--show-misses" in args
    own_only = "--own-only" in args
    paths = [arg for arg in args if arg not in ("--show-misses", "--own-only")]
    if len(paths) > 1 or any(arg.startswith("-") for arg in paths):
        print("usage: python -m kintsugi.core.five_whys.evaluate [--show-misses] [--own-only] "
              "[PATH]", file=sys.stderr)  # fmt: skip
        return 2
    if paths:
        path = Path(paths[0])
        if _is_independent(path):
            real_heldout = _real_heldout(path)
            if real_heldout is not None and not show_misses:
                return _held_out_aggregate(path, title=REAL_HELDOUT_TITLES[real_heldout])
            return _independent(path, show_misses=show_misses)
        sets = [(path, True)]
    else:
        sets = [(DEFAULT_PATH, True)]
    status = 0
    for path, _own in sets:
        try:
            chains = load_chains(path)
        except (OSError, yaml.YAMLError, ValidationProblem) as error:
            print(f"cannot read the labelled set: {error}", file=sys.stderr)
            return 2
        tuning = [chain for chain in chains if not chain.own_held_out]
        blocks = sorted({chain.own_held_out for chain in chains} - {0})
        parts = [(f"Tuning set ({path.name})", tuning, True)]
        for block in blocks:
            # Block 1 was never tuned on; a later block is held out until the next change,
            # and its first-run figures are written in its header comment.
            label = "true; never tuned on" if block == 1 else f"{block}; first run in its header"
            parts.append((
                f"Own held-out block{'' if block == 1 else f' {block}'} ({path.name}, "
                f"own_held_out: {label})",
                [chain for chain in chains if chain.own_held_out == block],
                show_misses,
            ))  # fmt: skip
        for title, part, listed in parts:
            if not part:
                continue
            report = evaluate(part)
            print(format_report(report, title=title, show_misses=listed))
            print()
            if part is tuning and (report.precision < BAR or report.recall < BAR):
                status = 1
    if not paths:
        status = max(status, _real_sets())
    if not paths and not own_only:
        for independent_path in INDEPENDENT_SETS:
            if independent_path.exists() and _independent(independent_path, show_misses=False):
                return 2
    return status


def _real_sets(tuning: Path = REAL_TUNING, heldouts: Sequence[Path] = REAL_HELDOUTS) -> int:
    """The real chains: the tuning part in full, each held-out part in aggregate only.
    Reported, not gated (the bar is the tuning set's); 2 when a part cannot be read."""
    if not tuning.exists() and not any(path.exists() for path in heldouts):
        return 0
    try:
        chains = load_chains(tuning, real=True) if tuning.exists() else []
    except (OSError, yaml.YAMLError, ValidationProblem) as error:
        print(f"cannot read the real chains: {error}", file=sys.stderr)
        return 2
    if chains:
        title = f"Real chains, tuning part ({tuning.parent.name}/{tuning.name})"
        print(format_report(evaluate(chains), title=title))
        print()
    status = 0
    for heldout in heldouts:
        if heldout.exists():
            title = REAL_HELDOUT_TITLES.get(heldout, "Real chains, held-out part")
            status = max(status, _held_out_aggregate(heldout, title=title))
            print()
    return status


def _held_out_aggregate(path: Path, *, title: str) -> int:
    """Pair and chain figures and per-rule counts; never a chain id or text."""
    try:
        chains = load_chains(path, real=True)
    except (OSError, yaml.YAMLError, ValidationProblem):
        print(f"cannot read the labelled set {path.name}", file=sys.stderr)
        return 2
    report = evaluate(chains)
    bad = sum(1 for o in report.outcomes if o.chain.expected)
    print(f"== {title} ({path.parent.name}/{path.name}; aggregate figures only)")
    print(f"Labelled chains: {len(chains)} ({len(chains) - bad} good, {bad} with problems)")
    print(
        f"Precision: {report.precision:.3f}   Recall: {report.recall:.3f}   (per (chain, rule) pair)"
    )
    print(
        f"Chain precision: {report.chain_precision:.3f}   Chain recall: {report.chain_recall:.3f}"
    )
    print(f"{'rule':32} {'tp':>4} {'fp':>4} {'fn':>4}")
    for rule, (tp, fp, fn) in report.per_rule().items():
        print(f"{rule:32} {tp:>4} {fp:>4} {fn:>4}")
    return 0


def _real_heldout(path: Path) -> Path | None:
    """Which real held-out part ``path`` is, if it is one."""
    for heldout in REAL_HELDOUTS:
        if path.resolve() == heldout.resolve():
            return heldout
    return None


def _is_independent(path: Path) -> bool:
    if _real_heldout(path) is not None:
        return True
    return path.name in {each.name for each in INDEPENDENT_SETS}


def _independent(path: Path, *, show_misses: bool) -> int:
    """Aggregate figures only: the chains of the independent set are never printed."""
    if show_misses:
        print(f"--show-misses is refused for {path.name}: it is the independent held-out set, "
              "scored but never read.", file=sys.stderr)  # fmt: skip
        return 2
    try:
        chains = load_chains(path)
    except (OSError, yaml.YAMLError, ValidationProblem):
        # The message could quote an entry: say only that it cannot be read.
        print(f"cannot read the labelled set {path.name}", file=sys.stderr)
        return 2
    report = evaluate(chains)
    bad = sum(1 for o in report.outcomes if o.chain.expected)
    print(f"== Independent held-out set ({path.name}; aggregate figures only)")
    print(f"Labelled chains: {len(chains)} ({len(chains) - bad} good, {bad} with problems)")
    print(
        f"Chain precision: {report.chain_precision:.3f}   Chain recall: {report.chain_recall:.3f}"
    )
    print(f"{'rule':32} {'tp':>4} {'fp':>4} {'fn':>4}")
    for rule, (tp, fp, fn) in report.per_rule().items():
        print(f"{rule:32} {tp:>4} {fp:>4} {fn:>4}")
    return 0


def _chain(entry: Any, *, real: bool = False) -> LabelledChain:
    if not isinstance(entry, dict) or "id" not in entry:
        raise ValidationProblem(f"every chain needs an id: {entry!r:.80}")
    chain_id = str(entry["id"])
    if real:
        source = str(entry.get("source") or "")
        if not source.startswith(("https://", "http://")) or not entry.get("doc"):
            raise ValidationProblem(f"{chain_id}: a real chain needs its source URL and doc")
    actions: tuple[str, ...] | None = tuple(str(title) for title in entry.get("actions") or ())
    if real and "actions" not in entry:
        actions = None
    unknown = set(entry.get("expect") or ()) - set(RULES)
    if unknown:
        raise ValidationProblem(f"{chain_id}: unknown rules {sorted(unknown)}")
    if "branches" in entry:
        branches = [_branch(raw, chain_id, default_links=[]) for raw in entry["branches"]]
    else:
        everything = list(range(1, len(actions or ()) + 1))
        branches = [_branch(entry, chain_id, default_links=everything)]
    return LabelledChain(
        chain_id,
        WhyTree(branches),
        actions,
        frozenset(entry.get("expect") or ()),
        str(entry.get("note", "")),
        int(entry.get("own_held_out") or 0),
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
