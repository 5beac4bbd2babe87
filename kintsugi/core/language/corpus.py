"""Labelled sentence sets: where they live, their format and how they are read.

Kept apart from :mod:`evaluate` (which runs the linter) so that what only needs the data
(the writers' sets, the model's training) does not depend on the engine, and the engine can
depend on the model without a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.language.rules import CATEGORIES

_TESTS = Path(__file__).resolve().parents[3] / "tests" / "core" / "language"
DEFAULT_CORPUS = _TESTS / "corpus.tsv"
INDEPENDENT_HELDOUT = _TESTS / "heldout.tsv"
# Every set written by someone who never saw the checker, scored but never read. The second
# was written after the first had been scored many times (tests/core/heldout-README.md); the
# third is not written at all: real sentences quoted from published post-mortems, outage news
# and forum threads, labelled blind (tests/core/language/real/README.md). Its other half,
# from other documents, is for tuning: real text to learn from, scored with its misses.
# A second and a third collection (real2, real3) from other documents were split the same way.
REAL_TUNING = tuple(_TESTS / "real" / f"{name}-tuning.tsv" for name in ("real", "real2", "real3"))
REAL_HELDOUT = tuple(_TESTS / "real" / f"{name}-heldout.tsv" for name in ("real", "real2", "real3"))
INDEPENDENT_SETS = (INDEPENDENT_HELDOUT, _TESTS / "heldout2.tsv", *REAL_HELDOUT)
LABELS = ("blame", "ok")
TUNING, OWN_HELDOUT = "tuning", "own held-out"
# Categories a labelled set may use beyond the rule categories: "role" is an actor (a job
# noun), not a mechanism, so any category satisfies it; "passive" and "sarcasm" are rule
# categories too.
ANY_CATEGORY = frozenset({"role"})
EXTRA_LABEL_CATEGORIES = frozenset({"role", "passive", "sarcasm"})
_HELDOUT_HEADING = "=== held-out (own)"
_TUNING_HEADING = "=== tuning"


@dataclass(frozen=True)
class Example:
    line: int
    label: str
    category: str | None
    text: str
    split: str = TUNING


@dataclass(frozen=True)
class Corpus:
    examples: tuple[Example, ...]
    people: tuple[str, ...]


def load_corpus(path: Path) -> Corpus:
    """Read ``label<TAB>category<TAB>sentence`` lines; ``# people: A, B`` declares names."""
    examples: list[Example] = []
    people: list[str] = []
    split = TUNING
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.rstrip("\n")
        if not line.strip():
            continue
        if line.startswith("#"):
            header = line.lstrip("# ")
            if header.lower().startswith(_HELDOUT_HEADING):
                split = OWN_HELDOUT
            elif header.lower().startswith(_TUNING_HEADING):
                split = TUNING
            if header.lower().startswith("people:"):
                people.extend(name.strip() for name in header[7:].split(",") if name.strip())
            continue
        parts = line.split("\t")
        if len(parts) != 3 or parts[0] not in LABELS:
            raise ValidationProblem(
                f"{path}:{number}: expected 'blame|ok<TAB>category<TAB>sentence'.", line=number
            )
        label, category, text = parts
        if (
            label == "blame"
            and category not in CATEGORIES
            and category not in EXTRA_LABEL_CATEGORIES
        ):
            raise ValidationProblem(f"{path}:{number}: unknown category {category!r}.", line=number)
        examples.append(
            Example(number, label, category if label == "blame" else None, text.strip(), split)
        )
    return Corpus(tuple(examples), tuple(people))


def split_of(corpus: Corpus, split: str) -> Corpus:
    """The examples of one split (tuning or own held-out), with the same people."""
    return Corpus(tuple(e for e in corpus.examples if e.split == split), corpus.people)


def is_independent(path: Path) -> bool:
    """The independent held-out set: its sentences are never printed."""
    return path.name in {each.name for each in INDEPENDENT_SETS}
