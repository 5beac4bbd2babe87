"""A small statistical second signal: logistic regression on words and actor tags.

The rules are precise but only know the phrasings they were written for. This model,
trained on the tuning part of ``tests/core/language/corpus.tsv`` (never on a held-out
set), scores a sentence by its words with every person, team, "I" and "we" replaced by a tag
("<p> flubbed the rollout"), so it generalises across names and roles. It only speaks for
sentences no rule flagged, and only when it is confident (``threshold``, chosen by
five-fold cross-validation on the tuning sentences); its finding is an ``info`` notice that
never blocks publishing.

Deterministic: training shuffles with fixed seeds, and ``model.json`` is shipped, so the
app never downloads or trains anything at run time. Retrain after changing the corpus::

    python -m kintsugi.core.language.model
"""

from __future__ import annotations

import json
import math
import random
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kintsugi.core.language.people import Kind, PeopleLexicon

MODEL_FILE = "model.json"
# The lowest threshold at which, in five-fold cross-validation on the tuning sentences the
# rules miss, at least two thirds of the model's own findings are blame. 2026-12-07, 2,711
# sentences: 0.95 -> 48 blame of 90, 0.98 -> 38 of 60, 0.99 -> 28 of 40. (On 2,520 sentences
# an hour earlier 0.98 gave 31 of 46.) Richer features (word stems, lexicon word classes)
# were tried and scored no better in the same check.
THRESHOLD = 0.99
_EPOCHS = 30
_RATE = 0.2
_L2 = 1e-3
_PRUNE = 0.02  # weights smaller than this are dropped from the shipped file
_TAGS = {Kind.PERSON: "<p>", Kind.TEAM: "<t>", Kind.SELF: "<i>", Kind.WE: "<we>"}
MIN_WORDS = 4


_WORD = re.compile(r"[\w@][\w'’@-]*|[?\"“”]")
# Action-item fields ("owner: @bob", "due: 2026-03-14") assign work; they name no actor.
_FIELDS = re.compile(
    r"(?i)\b(?:owners?|assignees?|assigned to|dri|due(?: date)?|ticket|by)\s*:\s*[^\s,;)]+"
)


class Featurizer:
    """Turns a sentence into features; remembers each word's tag, since words repeat."""

    def __init__(self, lexicon: PeopleLexicon) -> None:
        self.lexicon = lexicon
        self._tags: dict[str, str] = {}

    def word(self, raw: str) -> str:
        found = self._tags.get(raw)
        if found is None and raw.startswith("@"):
            found = "@mention"  # "owner: @bob" assigns work; a mention is not an actor here
        if found is None:
            norm = raw.lower().replace("’", "'")
            possessive = norm.endswith("'s") and len(norm) > 2
            base = norm[:-2] if possessive else norm
            tag = _TAGS.get(self.lexicon.word_kind(raw[: len(base)], base))  # type: ignore[arg-type]
            found = norm if tag is None else (tag + "'s" if possessive else tag)
            if len(self._tags) < 100_000:
                self._tags[raw] = found
        return found

    def features(self, text: str) -> set[str]:
        """Words and word pairs of a sentence, with people, teams, I and we as tags."""
        return self.features_of([self.word(raw) for raw in _WORD.findall(_FIELDS.sub(" ", text))])

    def actor_features(self, text: str, min_words: int = 0) -> set[str] | None:
        """:meth:`features`, or None when the sentence has fewer than ``min_words`` words or
        names no person, team, I or we: blame without an actor (hindsight, "human error")
        is left to the rules."""
        raws = _WORD.findall(_FIELDS.sub(" ", text))
        if len(raws) < min_words:
            return None
        words = [self.word(raw) for raw in raws]
        if not any(word[:1] == "<" for word in words):
            return None
        return self.features_of(words)

    @staticmethod
    def features_of(words: list[str]) -> set[str]:
        found = set(words)
        found.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
        return found


def word_count(text: str) -> int:
    return sum(1 for raw in _WORD.findall(text) if raw[0] not in '?"“”')


@dataclass(frozen=True)
class BlameModel:
    weights: dict[str, float]
    bias: float
    threshold: float = THRESHOLD

    def probability(self, found: Iterable[str]) -> float:
        z = self.bias + sum(self.weights.get(feature, 0.0) for feature in found)
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))


@lru_cache(maxsize=1)
def load_model() -> BlameModel | None:
    """The shipped model, or None when the file is missing (the rules still run)."""
    try:
        text = resources.files(__package__).joinpath(MODEL_FILE).read_text(encoding="utf-8")
        data = json.loads(text)
        return BlameModel(
            weights={str(k): float(v) for k, v in data["weights"].items()},
            bias=float(data["bias"]),
            threshold=float(data.get("threshold", THRESHOLD)),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def train(samples: Sequence[tuple[set[str], int]]) -> tuple[dict[str, float], float]:
    """Logistic regression by stochastic gradient descent, in a fixed order per epoch."""
    weights: dict[str, float] = {}
    bias = 0.0
    order = list(range(len(samples)))
    for epoch in range(_EPOCHS):
        random.Random(epoch).shuffle(order)
        for i in order:
            found, label = samples[i]
            z = bias + sum(weights.get(f, 0.0) for f in found)
            gradient = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))) - label
            bias -= _RATE * gradient
            for f in found:
                w = weights.get(f, 0.0)
                weights[f] = w - _RATE * (gradient + _L2 * w)
    return weights, bias


def train_from_corpus(path: Path | None = None) -> Path:
    """Train on the corpus's tuning sentences only and write ``model.json``."""
    from kintsugi.core.language.evaluate import DEFAULT_CORPUS, TUNING, load_corpus, split_of

    corpus = split_of(load_corpus(DEFAULT_CORPUS), TUNING)
    featurizer = Featurizer(PeopleLexicon(corpus.people))
    samples = [(featurizer.features(e.text), int(e.label == "blame")) for e in corpus.examples]
    weights, bias = train(samples)
    kept = {k: round(v, 4) for k, v in sorted(weights.items()) if abs(v) >= _PRUNE}
    target = path or Path(__file__).with_name(MODEL_FILE)
    payload = {"version": 1, "threshold": THRESHOLD, "bias": round(bias, 4), "weights": kept}
    target.write_text(json.dumps(payload, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    load_model.cache_clear()
    return target


if __name__ == "__main__":
    print(f"wrote {train_from_corpus()}", file=sys.stderr)
