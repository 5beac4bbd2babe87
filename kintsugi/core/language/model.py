"""A small statistical second signal: logistic regression on words, word classes and shape.

The rules are precise but only know the phrasings they were written for. This model is
trained on every labelled sentence the project holds that is not held out: the tuning part
of ``tests/core/language/corpus.tsv``, the blind writers' sets in
``tests/core/language/writers/`` and the tuning halves of the three real collections
(``tests/core/language/real/*-tuning.tsv``; never a ``*-heldout.tsv``). It reads a sentence as

* its words and word pairs, with every person, team, "I" and "we" replaced by a tag
  ("<p> flubbed the rollout") and system nouns by ``<sys>``, so it generalises across
  names, roles and components;
* light stems ("botch" for botched, botching) so an unseen inflection still counts;
* word classes from the lexicon's lists (error verbs, judgment words, hindsight markers,
  sanction verbs, dismissal verbs...), alone and together with "an actor is named";
* who each word class is said of, as the rules' grammar reads the sentence
  ("#person-subj&slip", "#thing-subj&judgment"), and what kind of subject leads it;
* blame talked about rather than assigned: the rules' denial frame, and each word class
  under a negation ("nobody was fired");
* sentence shape: an actor is named, an actor leads the sentence, "by <actor>", a modal
  with "have" ("should have caught"), a negation.

It only speaks for sentences no rule flagged, and only when it is confident
(``THRESHOLD``). Every choice (the threshold, the features, the weight of real sentences,
whether to add a precision gate) was made by cross-validation on tuning material only:
leave one real collection out and leave one writer out (see :mod:`crossval`). Its finding
names the words that weighed most, so the author sees what read as blame.

Deterministic: training visits the sentences in a seeded order, and ``model.json`` is
shipped, so the app never downloads or trains anything at run time. Retrain after changing
the corpus, the writers' sets, the real tuning halves, the lexicon or the grammar (a test
fails while the shipped file is stale)::

    python -m kintsugi.core.language.model
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING

from kintsugi.core.language.grammar import SentenceView
from kintsugi.core.language.lexicon import load_lexicon
from kintsugi.core.language.matching import DENIAL_FRAME, SPEAKER_LINE, UNSCORABLE
from kintsugi.core.language.people import Kind, PeopleLexicon
from kintsugi.core.language.tokens import tokenize

if TYPE_CHECKING:
    from kintsugi.core.language.writers import Writer

MODEL_FILE = "model.json"


@dataclass(frozen=True)
class Recipe:
    """What is trained, and how: every choice here was made by cross-validation
    (:mod:`crossval`), never on a held-out set."""

    real_weight: float = 1.0  # the step of a real sentence, a written one's being 1
    grammar: bool = True  # grammar_features(): who each word class is said of
    real: bool = True  # train on the tuning halves of the real collections too
    frames: bool = True  # frame_features(): blame denied, negated or discussed


RECIPE = Recipe()
# Chosen by cross-validation (python -m kintsugi.core.language.crossval; figures in
# docs/blameless-language.md, "Fourth real round"): the lowest threshold at which the
# sentences only the model flags are blame at least 90% of the time for the blind writers
# left out (0.916 at 0.9, 0.860 at 0.8). On a real collection left out they are blame only
# 30-38% of the time at any threshold from 0.5 to 0.98, which is why the model stays opt-in.
THRESHOLD = 0.9
# Whether the model judges only sentences that name a person, team, I or we. Scoring every
# sentence added 0.7-1.4 points of recall per blind writer in the same cross-validation,
# but cost a quarter of the linter's throughput (0.55 ms more per document, below the
# 200 documents per second target), so the model keeps to sentences with an actor.
NEEDS_ACTOR = True
# Whether the model judges negated sentences ("nobody checked the alerts"); negation is one
# of its features. Cross-validation: +1.6 to +3 points of recall per blind writer at the
# same precision, so it does (quoted wording and acts told with their reason still do not).
SCORES_NEGATED = True
_EPOCHS = 30
_RATE = 0.2
_L2 = 3e-3  # stronger than in-sample fitting wants: it helps on writers not trained on
_PRUNE = 0.05  # weights smaller than this are dropped from the shipped file
_TAGS = {Kind.PERSON: "<p>", Kind.TEAM: "<t>", Kind.SELF: "<i>", Kind.WE: "<we>"}
ACTOR_TAGS = frozenset({"<p>", "<t>", "<i>", "<we>"})
_ACTOR_WORDS = ACTOR_TAGS | {tag + "'s" for tag in ACTOR_TAGS}
SYSTEM_TAG = "<sys>"
MIN_WORDS = 4
_ZEROS = repeat(0.0)  # map(weights.get, features, _ZEROS): a missing feature weighs 0

_WORD = re.compile(r"[\w@][\w'’@-]*|[?\"“”]")
# Action-item fields ("owner: @bob", "due: 2026-03-14") assign work; they name no actor.
_FIELDS = re.compile(
    r"(?i)\b(?:owners?|assignees?|assigned to|dri|due(?: date)?|ticket|by)\s*:\s*[^\s,;)]+"
)
_MODALS = frozenset(
    {"should", "could", "would", "might", "must", "shouldn't", "couldn't", "wouldn't", "to"}
)
_HAVE = frozenset({"have", "'ve", "of"})  # "should of" is a common misspelling
_NEGATION = re.compile(r"(?i)\b(?:not|never|no|nobody|none|nothing|without)\b|n[’']t\b")
# Quoted wording, or an act told with its reason or approval ("as planned", "with the
# lead's approval"): the rules decide those; a bag of words would see only the act. This is
# matching.UNSCORABLE without its negation words.
_QUOTED_OR_REASONED = re.compile(
    r"(?i)[\"“”‘]|(?<!\w)'"
    r"|\b(?:as (?:planned|agreed|scheduled|documented|instructed)|per the (?:runbook|plan)"
    r"|with (?:the |their |his |her |our )?(?:[\w-]+['’]s )?(?:approval|agreement|sign-?off|consent)"
    r"|temporarily|on purpose|deliberately)\b"
)
# Word classes read from the lexicon's lists: feature name -> the list's name.
_CLASS_LISTS = (
    ("slip", "slip_verbs"),
    ("judgment", "judgment_words"),
    ("slip-noun", "slip_nouns"),
    ("signal", "signal_nouns"),
    ("dismissal", "dismissal_verbs"),
    ("silencing", "silencing_verbs"),
    ("hindsight", "hindsight_words"),
    ("insinuation", "insinuation_markers"),
    ("harm", "harm_verbs"),
    ("duty", "duty_verbs"),
    ("safeguard", "safeguards"),
    ("sanction", "sanction_verbs"),
    ("live-target", "live_targets"),
)
_CLASSES = frozenset(name for name, _ in _CLASS_LISTS)
_LINKS = frozenset({"by", "to", "on", "with"})  # "by <actor>": passive blame names the doer
_PHRASE = re.compile(r" |\\s|\[- \]|\\b|\(\?[=!]")  # an entry of more than one word
_STEM_SUFFIXES = ("ingly", "edly", "ness", "ing", "ed", "es", "ly", "s")


@lru_cache(maxsize=1)
def _class_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each class's one-word entries as one pattern. Phrases ("messed up") are left out:
    matching them costs a scan of every sentence, and single words carry the signal."""
    lists = dict(load_lexicon().lists)
    found: list[tuple[str, re.Pattern[str]]] = []
    for name, key in _CLASS_LISTS:
        entries = [e for e in lists.get(key, ()) if not _PHRASE.search(e)]
        if entries:
            alternation = "|".join(sorted(entries, key=len, reverse=True))
            found.append((name, re.compile(f"(?:{alternation})")))
    return tuple(found)


@lru_cache(maxsize=50_000)
def _classes_of_word(word: str) -> tuple[str, ...]:
    return tuple(name for name, pattern in _class_patterns() if pattern.fullmatch(word))


@lru_cache(maxsize=50_000)
def _word_extras(word: str) -> tuple[str, tuple[str, ...]]:
    """A word's stem feature ("~botch", or "" when the stem is the word) and its classes."""
    if word[:1] == "<":
        return "", ()
    word_stem = stem(word)
    return ("~" + word_stem if word_stem != word else ""), _classes_of_word(word)


@lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    """A light stem: the longest known suffix off a word of five letters or more."""
    if len(word) >= 5 and word.isalpha():
        for suffix in _STEM_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                return word[: -len(suffix)]
    return word


class Featurizer:
    """Turns a sentence into features; remembers each word's tag, since words repeat."""

    def __init__(
        self, lexicon: PeopleLexicon, *, grammar: bool | None = None, frames: bool | None = None
    ) -> None:
        self.lexicon = lexicon
        self.grammar = RECIPE.grammar if grammar is None else grammar
        self.frames = RECIPE.frames if frames is None else frames
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
            if tag is None and base in self.lexicon.systems:
                tag = SYSTEM_TAG
            found = norm if tag is None else (tag + "'s" if possessive else tag)
            if len(self._tags) < 100_000:
                self._tags[raw] = found
        return found

    def words(self, text: str) -> list[str]:
        return [self.word(raw) for raw in _raw_words(text)]

    def originals(self, text: str) -> list[tuple[str, str]]:
        """(word as the model reads it, word as written) pairs: "<p>" was "Kevin"."""
        return [(self.word(raw), raw) for raw in _raw_words(text)]

    def features(self, text: str) -> set[str]:
        """Every feature of a sentence (see the module docstring)."""
        return self._all_features(text, self.words(text))

    def _all_features(self, text: str, words: list[str]) -> set[str]:
        found = self.features_of(text, words)
        if self.grammar:
            found |= self.grammar_features(text)
        if self.frames:
            found |= frame_features(text, found)
        return found

    def grammar_features(self, text: str) -> set[str]:
        """Who a word class is said of, as the rules' grammar reads it: "#person-subj&slip"
        for "the new hire botched it", "#thing-subj&judgment" for "the parser is sloppy".
        The same relation holds whatever the nouns, so it carries from one document's
        outage to another's, where words and pairs do not."""
        tokens = tokenize(text)
        view: SentenceView | None = None
        found: set[str] = set()
        for i, token in enumerate(tokens):
            if not token.is_word:
                continue
            classes = _classes_of_word(token.norm)
            if not classes:
                continue
            if view is None:
                view = SentenceView(text, 0, len(text), tokens, self.lexicon)
            kind = view.subject_kind(i)
            found.update(f"#{kind}-subj&{name}" for name in classes)
        if view is not None:
            found.add(f"#{view.sentence_subject(len(tokens))}-leads")
        return found

    def actor_features(
        self, text: str, min_words: int = 0, *, needs_actor: bool = NEEDS_ACTOR
    ) -> set[str] | None:
        """:meth:`features`, or None when the sentence is too short to judge, or names no
        person, team, I or we while ``needs_actor`` is set."""
        words = self.words(text)
        if len(words) < min_words:
            return None
        if needs_actor and not any(word in _ACTOR_WORDS for word in words):
            return None
        return self._all_features(text, words)

    def scorable(
        self,
        sentence: str,
        *,
        needs_actor: bool = NEEDS_ACTOR,
        score_negated: bool = SCORES_NEGATED,
    ) -> set[str] | None:
        """The features of a sentence the model may judge, or None when it must stay quiet:
        quoted wording and acts told with their reason are left to the rules (and negated
        ones unless ``score_negated``), as are speaker lines of a chat log and sentences too
        short to judge."""
        if SPEAKER_LINE.match(sentence):
            return None
        words = self.words(sentence)
        if len(words) < MIN_WORDS:
            return None
        if needs_actor and not any(word in _ACTOR_WORDS for word in words):
            return None
        if (_QUOTED_OR_REASONED if score_negated else UNSCORABLE).search(sentence):
            return None
        return self._all_features(sentence, words)

    @staticmethod
    def features_of(text: str, words: list[str]) -> set[str]:
        found = set(words)
        found.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
        classes: list[str] = []
        for word in words:
            word_stem, word_classes = _word_extras(word)
            if word_stem:
                found.add(word_stem)
            classes.extend(word_classes)
        found.update("#" + name for name in classes)
        actors = [i for i, w in enumerate(words) if w in _ACTOR_WORDS]
        if actors:
            found.add("#actor")
            found.update("#actor&" + name for name in classes)
            if actors[0] <= 2:
                found.add("#actor-leads")
            found.update(f"#{words[i - 1]}-actor" for i in actors if i and words[i - 1] in _LINKS)
        if any(a in _MODALS and b in _HAVE for a, b in zip(words, words[1:], strict=False)):
            found.add("#modal-have")
            if actors:
                found.add("#actor&modal-have")
        if _NEGATION.search(text):
            found.add("#negation")
        return found


def frame_features(text: str, found: set[str]) -> set[str]:
    """Blame talked about rather than assigned: the rules' denial frame ("did not find
    that", "it is unfair to blame"), and each word class under a negation ("nobody was
    fired"). Real prose discusses blame far more than written examples do."""
    frames: set[str] = set()
    if DENIAL_FRAME.search(text.lower()):
        frames.add("#denial")
    if "#negation" in found:
        frames.update("#negation&" + f[1:] for f in found if f[:1] == "#" and f[1:] in _CLASSES)
    return frames


def _raw_words(text: str) -> list[str]:
    return _WORD.findall(_FIELDS.sub(" ", text) if ":" in text else text)


def word_count(text: str) -> int:
    return sum(1 for raw in _WORD.findall(text) if raw[0] not in '?"“”')


@dataclass(frozen=True)
class BlameModel:
    weights: dict[str, float]
    bias: float
    threshold: float = THRESHOLD

    def probability(self, found: Iterable[str]) -> float:
        z = self.bias + sum(map(self.weights.get, found, _ZEROS))
        if z < -30:
            return 0.0
        if z > 30:
            return 1.0
        return 1.0 / (1.0 + math.exp(-z))

    def reasons(self, found: Iterable[str], limit: int = 3) -> list[str]:
        """The features that pushed the score up most, strongest first, skipping a word
        already shown inside a stronger pair ("botched" after "<p> botched")."""
        weighted = sorted(
            ((self.weights.get(f, 0.0), f) for f in found), key=lambda pair: (-pair[0], pair[1])
        )
        chosen: list[str] = []
        shown: set[str] = set()
        for weight, feature in weighted:
            if weight <= 0 or len(chosen) == limit:
                break
            if feature[:1] == "~":
                if any(word.startswith(feature[1:]) for word in shown):
                    continue
            elif feature[:1] == "#":
                kind = feature[1:].rsplit("&", 1)[-1]
                if kind in shown:
                    continue
                shown.add(kind)
            else:
                words = set(feature.split(" "))
                if words <= shown:
                    continue
                shown |= words
            chosen.append(feature)
        return chosen


_CLASS_WORDS = {
    "slip": "an error verb",
    "judgment": "a judgment word",
    "slip-noun": "a word for a mistake",
    "signal": "an alert or warning",
    "dismissal": "a word for dismissing",
    "silencing": "a word for silencing an alert",
    "hindsight": "a hindsight marker",
    "insinuation": "an insinuation (as usual, once again)",
    "harm": "a word for harm",
    "duty": "a duty someone had (check, verify, respond)",
    "safeguard": "a safeguard (review, test, approval)",
    "sanction": "a sanction (retrain, reprimand)",
    "live-target": "a live system (production, primary)",
}
_TAG_WORDS = {
    "<p>": "a person",
    "<t>": "a team",
    "<i>": "I",
    "<we>": "we",
    "<sys>": "a system",
    "<p>'s": "a person's",
    "<t>'s": "a team's",
    "<i>'s": "my",
    "<we>'s": "our",
    "<sys>'s": "a system's",
}


def _class_example(name: str, sentence: str) -> str:
    """The sentence's own word of a word class ("botched"), or "" when there is none."""
    for raw in _raw_words(sentence):
        if name in _classes_of_word(raw.lower().replace("’", "'")):
            return f" ('{raw}')"
    return ""


def describe(feature: str, originals: Sequence[tuple[str, str]] = (), sentence: str = "") -> str:
    """A feature in plain words, for the finding's explanation; ``originals`` (from
    :meth:`Featurizer.originals`) turn words and pairs back into the sentence's own words."""
    if feature.startswith("#actor&"):
        rest = feature[len("#actor&") :]
        if rest == "modal-have":
            return "a person or team with a modal and 'have'"
        example = _class_example(rest, sentence)
        return f"a person or team with {_CLASS_WORDS.get(rest, rest)}{example}"
    if feature == "#actor":
        return "a person or team named"
    if feature == "#actor-leads":
        return "a person or team as the subject"
    if feature == "#modal-have":
        return "a modal with 'have' (should have, could have)"
    if feature == "#negation":
        return "a negation"
    if feature.endswith("-actor") and feature.startswith("#"):
        return f"'{feature[1:-6]}' a person or team"
    if feature.startswith("#"):
        name = feature[1:]
        return _CLASS_WORDS.get(name, name) + _class_example(name, sentence)
    if feature.startswith("~"):
        return f"'{feature[1:]}…'"
    parts = feature.split(" ")
    read = [word for word, _ in originals]
    for i in range(len(read) - len(parts) + 1):
        if read[i : i + len(parts)] == parts:
            return "'" + " ".join(raw for _, raw in originals[i : i + len(parts)]) + "'"
    return "'" + " ".join(_TAG_WORDS.get(part, part) for part in parts) + "'"


def explain(
    model: BlameModel,
    found: Iterable[str],
    score: float,
    originals: Sequence[tuple[str, str]] = (),
    sentence: str = "",
) -> str:
    """The finding's message: that no rule matched, and what the model read as blame."""
    described = [describe(f, originals, sentence) for f in model.reasons(found)]
    if not described:
        weighed = ""
    elif len(described) == 1:
        weighed = f" What weighed most: {described[0]}."
    else:
        weighed = f" What weighed most: {', '.join(described[:-1])} and {described[-1]}."
    return (
        "No rule matched, but Kintsugi's statistical model, trained on labelled post-mortem "
        f"sentences, reads this one as blame (score {score:.2f}).{weighed} It may name a "
        "person, team or yourself as the cause, or judge what someone did."
    )


@lru_cache(maxsize=1)
def load_model() -> BlameModel | None:
    """The shipped model, or None when the file is missing (the rules still run)."""
    try:
        text = resources.files(__package__).joinpath(MODEL_FILE).read_text(encoding="utf-8")
        data = json.loads(text)
        weights = data["weights"]  # used as parsed: converting 25,000 entries costs more
        if not isinstance(weights, dict):
            raise TypeError("weights must be an object")
        return BlameModel(
            weights=weights,
            bias=float(data["bias"]),
            threshold=float(data.get("threshold", THRESHOLD)),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def train(
    samples: Sequence[tuple[set[str], int]], sample_weights: Sequence[float] | None = None
) -> tuple[dict[str, float], float]:
    """Logistic regression by stochastic gradient descent, in a seeded order per epoch.

    Features are visited in sorted order so that float sums, and so the weights, do not
    depend on set iteration order (which varies with the hash seed between processes).
    ``sample_weights`` scale a sentence's step: real sentences are few beside the written
    ones, and they are the text the model has to read."""
    weights: dict[str, float] = {}
    bias = 0.0
    ordered = [(sorted(found), label) for found, label in samples]
    scale = list(sample_weights) if sample_weights is not None else [1.0] * len(ordered)
    order = list(range(len(ordered)))
    for epoch in range(_EPOCHS):
        random.Random(epoch).shuffle(order)
        for i in order:
            found, label = ordered[i]
            z = bias
            for f in found:
                z += weights.get(f, 0.0)
            gradient = (1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))) - label) * scale[i]
            bias -= _RATE * gradient
            for f in found:
                w = weights.get(f, 0.0)
                weights[f] = w - _RATE * (gradient + _L2 * w)
    return weights, bias


REAL_PREFIX = "real"  # groups named real, real2, real3: the real collections' tuning halves


def training_groups(*, real: bool = True) -> list[Writer]:
    """Every labelled set the model may learn from, one group per writer or collection:
    the writers (:mod:`writers`) and, with ``real``, the tuning half of each real
    collection (``real/<name>-tuning.tsv``). A held-out file is never opened: the paths
    come from ``REAL_TUNING`` only (a test watches every file opened)."""
    from kintsugi.core.language.corpus import REAL_TUNING, load_corpus
    from kintsugi.core.language.writers import Writer, load_writers

    groups = list(load_writers())
    if real:
        for path in REAL_TUNING:
            if path.exists():
                loaded = load_corpus(path)
                name = path.stem.removesuffix("-tuning")
                groups.append(Writer(name, loaded.examples, loaded.people))
    return groups


def is_real(group_name: str) -> bool:
    return group_name.startswith(REAL_PREFIX)


def group_samples(
    group: Writer, recipe: Recipe = RECIPE
) -> tuple[list[tuple[set[str], int]], list[float]]:
    """A group's sentences as (features, label), and each sentence's weight."""
    featurizer = Featurizer(
        PeopleLexicon(group.people), grammar=recipe.grammar, frames=recipe.frames
    )
    samples = [(featurizer.features(e.text), int(e.label == "blame")) for e in group.examples]
    weight = recipe.real_weight if is_real(group.name) else 1.0
    return samples, [weight] * len(samples)


def training_samples(
    recipe: Recipe = RECIPE,
) -> tuple[list[tuple[set[str], int]], list[float]]:
    """Every group's labelled sentences (never a held-out set), in a fixed order."""
    samples: list[tuple[set[str], int]] = []
    weights: list[float] = []
    for group in training_groups(real=recipe.real):
        found, weight = group_samples(group, recipe)
        samples.extend(found)
        weights.extend(weight)
    return samples, weights


def fit(
    samples: Sequence[tuple[set[str], int]],
    sample_weights: Sequence[float] | None = None,
    *,
    threshold: float = THRESHOLD,
) -> BlameModel:
    """Train, then drop the smallest weights and round the rest, as the shipped file does,
    so that cross-validation measures exactly what ships."""
    # Features seen once are kept: dropping them was tried and lost recall on new writers
    # (they absorb what is peculiar to one sentence, so the common features stay moderate).
    weights, bias = train(samples, sample_weights)
    kept = {k: round(v, 3) for k, v in sorted(weights.items()) if abs(v) >= _PRUNE}
    return BlameModel(kept, round(bias, 3), threshold)


def build_payload(
    samples: Sequence[tuple[set[str], int]], sample_weights: Sequence[float] | None = None
) -> dict[str, object]:
    model = fit(samples, sample_weights)
    return {
        "version": 3,
        "threshold": THRESHOLD,
        "grammar": RECIPE.grammar,
        "bias": model.bias,
        "weights": model.weights,
    }


def serialise(payload: dict[str, object]) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def train_from_corpus(path: Path | None = None) -> Path:
    """Train on every group of :func:`training_groups`; write ``model.json``."""
    target = path or Path(__file__).with_name(MODEL_FILE)
    target.write_text(serialise(build_payload(*training_samples())), encoding="utf-8")
    load_model.cache_clear()
    return target


if __name__ == "__main__":
    written = train_from_corpus()
    print(f"wrote {written} (sha256 {digest(written.read_text(encoding='utf-8'))})")
