"""The next "Why ...?" offered after an answer, so the user keeps digging without typing it.

It turns the answer's cause clause into a question by moving its verb: "The pool was
exhausted" -> "Why was the pool exhausted?", "The linter skipped the file" -> "Why did the
linter skip the file?". When the answer has no verb we can move (a noun phrase, an unknown
present-tense verb), it offers the honest generic question rather than a broken one.
"""

from __future__ import annotations

import re

from kintsugi.core.analysis.text import main_clause
from kintsugi.core.analysis.tree import MAX_QUESTION
from kintsugi.core.analysis.verbs import base_form, present_base
from kintsugi.core.analysis.words import DETERMINERS, FIRST_NAMES, PROPER_NOUNS, word_set

FALLBACK = "Why did that happen?"

_BE = word_set("is was were are am")
_HAVE = word_set("has have had")
_MODALS = word_set("did does do can could will would should must")
_CONTRACTIONS = word_set(
    "isn't wasn't weren't aren't hasn't haven't hadn't didn't doesn't don't can't couldn't "
    "won't wouldn't shouldn't"
)
_PARTICIPLES_AFTER_HAVE = word_set(
    "been gone done seen known taken given written broken chosen grown begun forgotten "
    "run hit set put cut let built kept lost left sent made paid held found got"
)
# Present-tense verbs common in answers; others fall back to the generic question.
_PRESENT = word_set(
    "uses takes returns treats keeps sends runs needs relies depends expects assumes "
    "allows lacks contains requires checks reads writes calls holds points retries "
    "ignores caches logs fires swaps skips fails loads stores lists shows covers matches "
    "sorts accepts rejects makes gives sets defaults watches tells reports counts "
    "hard-deletes deletes routes sends waits blocks locks restarts"
)
_PRESENT_BASES = frozenset(present_base(verb) for verb in _PRESENT) | word_set(
    "rely depend share run use need have lack"
)
_PLURAL_PRONOUNS = word_set("we they you i")
_MAX_SUBJECT_WORDS = 10
_TRAILING = re.compile(r"[\s.!?;:,]+$")


# "The credentials expired, and no alert watches expiry": two causes in one answer. The
# question follows the first, as the answer puts it first ("Add a branch here" asks about
# the other). Not after a list ("connections, threads, and memory"): a comma before the
# ", and" means the words belong to one clause.
_SECOND_CLAUSE = re.compile(r",\s+(?:and|but|yet|while)\s+", re.IGNORECASE)


def _first_clause(clause: str) -> str:
    match = _SECOND_CLAUSE.search(clause)
    if match is None or "," in clause[: match.start()]:
        return clause
    return clause[: match.start()]


def suggest_next_question(answer: str) -> str:
    """Derive the next why from an answer; fall back to "Why did that happen?"."""
    clause = _first_clause(main_clause(answer))
    tokens = clause.split()
    if len(tokens) < 2:
        return FALLBACK
    question = _there_question(tokens) or _inverted_question(tokens)
    if question is None or len(question) > MAX_QUESTION:
        return FALLBACK
    return question


def _there_question(tokens: list[str]) -> str | None:
    """ "There was no alert" -> "Why was there no alert?"."""
    if tokens[0].lower() == "there" and tokens[1].lower() in _BE | _CONTRACTIONS:
        return _finish(["Why", tokens[1].lower(), "there", *tokens[2:]])
    return None


def _inverted_question(tokens: list[str]) -> str | None:
    for index in range(1, min(len(tokens), _MAX_SUBJECT_WORDS + 1)):
        word = tokens[index]
        lowered = word.lower().strip(",")
        if word.endswith(","):
            return None  # the subject would run across a comma: not a simple clause
        subject = _subject(tokens[:index])
        rest = tokens[index + 1 :]
        if lowered in _BE or lowered in _MODALS or lowered in _CONTRACTIONS:
            return _finish(["Why", lowered, subject, *rest])
        if lowered in _HAVE:
            return _have_question(lowered, subject, rest)
        if lowered in _PRESENT and _looks_like_verb_position(tokens, index):
            return _finish(["Why", "does", subject, present_base(lowered), *rest])
        if lowered in _PRESENT_BASES and _plural(tokens[:index]):
            return _finish(["Why", "do", subject, lowered, *rest])
        base = base_form(lowered)
        if base is not None and _looks_like_verb_position(tokens, index):
            return _finish(["Why", "did", subject, base, *_base_after_and(rest)])
    return None


def _plural(subject: list[str]) -> bool:
    last = subject[-1].lower()
    if len(subject) == 1 and last in _PLURAL_PRONOUNS:
        return True
    return last.endswith("s") and not last.endswith(("ss", "us", "is"))


def _base_after_and(rest: list[str]) -> list[str]:
    """ "hit the limit and went read-only" -> "... and go read-only" after "Why did"."""
    result = list(rest)
    for index in range(1, len(result)):
        if result[index - 1].lower() in {"and", "or", "then"}:
            base = base_form(result[index].lower())
            if base is not None:
                result[index] = base
    return result


def _have_question(have: str, subject: str, rest: list[str]) -> str:
    """ "had expired" is an auxiliary ("Why had X expired?"); "has no Y" is possession."""
    following = rest[0].lower() if rest else ""
    if following.endswith("ed") or following in _PARTICIPLES_AFTER_HAVE or following == "not":
        return _finish(["Why", have, subject, *rest])
    do = {"has": "does", "have": "do", "had": "did"}[have]
    return _finish(["Why", do, subject, "have", *rest])


def _looks_like_verb_position(tokens: list[str], index: int) -> bool:
    """ "the cached value" and "a newly deployed config" use "-ed" words as adjectives."""
    previous = tokens[index - 1].lower()
    if previous in DETERMINERS or previous.endswith("ly") and index >= 2:
        return previous not in DETERMINERS and tokens[index - 2].lower() not in DETERMINERS
    return previous not in {"to", "of", "for", "with", "and", "or"}


def _subject(tokens: list[str]) -> str:
    """The answer's first word loses its sentence capital, unless it is a name."""
    first, *others = tokens
    lowered = first.lower()
    capitalised = first[:1].isupper() and (first[1:] == "" or first[1:].islower())
    if capitalised and lowered not in FIRST_NAMES and lowered not in PROPER_NOUNS:
        first = lowered if first != "I" else first
    return " ".join([first, *others])


def _finish(parts: list[str]) -> str:
    text = " ".join(part for part in parts if part)
    return _TRAILING.sub("", text) + "?"
