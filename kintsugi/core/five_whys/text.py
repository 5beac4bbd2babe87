"""Small, predictable text helpers: tokens, a light stemmer, and the clause that states a cause.

No NLP library on purpose: the checks run live on every keystroke, must explain
themselves, and must give the same answer on every machine. A light stemmer is enough to
see that "timed out" restates "time out".
"""

from __future__ import annotations

import re

from kintsugi.core.five_whys.words import (
    IRREGULAR_PARTICIPLES,
    IRREGULAR_PAST,
    STOPWORDS,
)

_WORD = re.compile(r"[a-z0-9]+(?:['’\-.][a-z0-9]+)*")
_NOT = re.compile(r"n['’]t\b")
_POSSESSIVE = re.compile(r"['’]s$")
# Where an answer's main cause ends: "X, so Y" and "X; Y" state the cause first.
_CLAUSE_END = re.compile(r";|,\s+(?:so|which|and so)\s|\s+so that\s|:\s|\s[-–—]\s")
_LEADING_BECAUSE = re.compile(r"^(?:because(?:\s+of)?|due\s+to)\b[\s,:]*", re.IGNORECASE)


def words(text: str) -> list[str]:
    """Lower-case words; "didn't" becomes "did not" and "primary's" becomes "primary"."""
    lowered = _NOT.sub(" not", text.lower())
    return [_POSSESSIVE.sub("", word) for word in _WORD.findall(lowered)]


def stem(word: str) -> str:
    """A light stem: enough for "failed"/"fails"/"failing" to meet, not a linguist's stem."""
    if word in IRREGULAR_PAST:
        return _drop_e(IRREGULAR_PAST[word])
    if word in IRREGULAR_PARTICIPLES:
        return _drop_e(IRREGULAR_PARTICIPLES[word])
    if word.endswith("s") and word[:-1].isdigit():
        return word[:-1]  # "502s" are 502 responses
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, replacement in (("ies", "y"), ("ied", "y")):
        if word.endswith(suffix) and len(word) > 4:
            return word[: -len(suffix)] + replacement
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return _drop_e(_undouble(word[: -len(suffix)]))
    if word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return _drop_e(word[:-1])
    return _drop_e(word)


def content_stems(text: str) -> set[str]:
    """The stems of the words that carry meaning (no stopwords, no "not")."""
    return {stem(word) for word in words(text) if word not in STOPWORDS and word != "not"}


# An introductory phrase before the subject: "Instead of using a library, someone wrote
# ...", "During maintenance of the backbone, an engineer ...", "After the primary was
# restarted, it was brought back ...". The subject and its verb come after the comma.
_INTRO = re.compile(
    r"^(?:instead\s+of|during|after|before|while|when|whilst|following|despite|in\s+spite\s+of"
    r"|as\s+part\s+of|in\s+the\s+course\s+of|on|at|once)\b[^,]{3,90},\s+(?=\S)",
    re.IGNORECASE,
)


def without_intro(clause: str) -> str:
    """The clause without an introductory phrase, so that its subject comes first."""
    return _INTRO.sub("", clause, count=1)


def main_clause(answer: str) -> str:
    """The clause that states the cause.

    "Nobody was paged because the routing has no rule" states its cause after "because";
    "The form has no confirmation, so a human can delete it" states it before "so".
    """
    text = _LEADING_BECAUSE.sub("", answer.strip())
    lowered = text.lower()
    index = lowered.find(" because ")
    if index >= 0:
        text = text[index + len(" because ") :]
        text = _LEADING_BECAUSE.sub("", text)
    match = _CLAUSE_END.search(text)
    if match and match.start() > 0:
        text = text[: match.start()]
    return text.strip().rstrip(".!?").strip()


def _undouble(stem_: str) -> str:
    """ "stopp" -> "stop", but keep "ll", "ss", "ff", "zz" ("filled", "passed", "buzzed")."""
    if len(stem_) >= 4 and stem_[-1] == stem_[-2] and stem_[-1] not in "lsfz":
        return stem_[:-1]
    return stem_


def _drop_e(word: str) -> str:
    """Stems drop a final "e" so "expire" and "expired" meet."""
    return word[:-1] if len(word) > 3 and word.endswith("e") else word
