"""Labelled sentences grouped by who wrote them, for leave-one-writer-out evaluation.

A checker tuned on one person's sentences learns that person's phrasing; the figure that
predicts how it does on a new writer is the one measured on a writer it never saw. The
writers are:

* ``own``: the tuning part of ``tests/core/language/corpus.tsv`` written by the project;
* ``w2``: the corpus block headed ``=== tuning: blind batch W2``, written blind;
* ``w3``, ``w4``, ...: ``tests/core/language/writers/<id>.tsv``, each written blind by a
  different helper (see the README there).

The own held-out part of the corpus (after ``# === held-out (own)``) belongs to nobody here:
it is never trained or tuned on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kintsugi.core.language.corpus import (
    DEFAULT_CORPUS,
    TUNING,
    Corpus,
    Example,
    load_corpus,
)

WRITERS_DIR = DEFAULT_CORPUS.parent / "writers"
OWN = "own"
_BLIND_BATCH = "=== tuning: blind batch "


@dataclass(frozen=True)
class Writer:
    name: str
    examples: tuple[Example, ...]
    people: tuple[str, ...]


def _corpus_writers(path: Path) -> list[Writer]:
    """Split the corpus's tuning sentences by the blind-batch headings that mark them."""
    corpus = load_corpus(path)
    owner_of_line: dict[int, str] = {}
    owner = OWN
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("# ==="):
            header = line.lstrip("# ")
            owner = OWN
            if line.lower().startswith("# " + _BLIND_BATCH):
                owner = header[len(_BLIND_BATCH) :].split()[0].lower()
        owner_of_line[number] = owner
    groups: dict[str, list[Example]] = {}
    for example in corpus.examples:
        if example.split == TUNING:
            groups.setdefault(owner_of_line[example.line], []).append(example)
    return [Writer(name, tuple(items), corpus.people) for name, items in groups.items()]


def load_writers(corpus: Path = DEFAULT_CORPUS, folder: Path = WRITERS_DIR) -> list[Writer]:
    """Every writer's labelled sentences, in a fixed order (own first, then by name)."""
    writers = _corpus_writers(corpus)
    for path in sorted(folder.glob("*.tsv")) if folder.is_dir() else ():
        loaded: Corpus = load_corpus(path)
        writers.append(Writer(path.stem.lower(), loaded.examples, loaded.people))
    return sorted(writers, key=lambda w: (w.name != OWN, w.name))
