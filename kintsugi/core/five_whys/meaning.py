"""What a short text says, reduced to comparable words: stems, synonyms and negation.

Two answers "say the same thing" when their content words meet after this reduction:
"The API was down" and "Why was the API unavailable?" meet on {api, unavailable};
"The queue was not being drained" and "Why was the queue not drained?" meet on
{queue, drain} with the same polarity. Negation is kept apart as a polarity, except where
"not X" is a word of its own ("did not succeed" is "fail"), because "the alert fired late"
does not restate "why did the alert not fire?".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kintsugi.core.five_whys.lexicon import (
    ANTONYMS,
    CLOSED_COMPOUNDS,
    FILLERS,
    PHRASES,
    SYNONYM_GROUPS,
)
from kintsugi.core.five_whys.text import stem, words
from kintsugi.core.five_whys.words import STOPWORDS

_NEGATIONS = frozenset({"not", "never", "no", "nothing"})
# Times and dates say when, not why ("down between 10:02 and 10:47"); bare numbers stay:
# "component 3" is not "component 4".
_TIME = re.compile(
    r"\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:am|pm|utc|z)?\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\s*(?:am|pm)\b"
    # spans: "during that half hour", "for 30 minutes", "throughout the window"
    r"|\b(?:during|for|over|within|throughout|in)\s+(?:that|the|this|those|these)\s+"
    r"(?:whole\s+|entire\s+)?(?:half\s+hour|hours?|minutes|period|window|time|night|morning"
    r"|afternoon|evening|day|outage)\b"
    r"|\bfor\s+(?:about\s+|around\s+|over\s+)?\d+\s+(?:seconds?|minutes?|hours?|days?)\b"
)
# Longest first, so that "ran out of space" is read before "ran out of".
_PHRASES = [
    (re.compile(rf"(?<!\w){re.escape(old)}(?!\w)"), new)
    for old, new in sorted(PHRASES, key=lambda pair: len(pair[0]), reverse=True)
]
_CANONICAL: dict[str, str] = {
    stem(member): group.split()[0] for group in SYNONYM_GROUPS for member in group.split()
}
_CANONICAL.update(
    {member: group.split()[0] for group in SYNONYM_GROUPS for member in group.split()}
)
_PREFIXES = sorted((m for m in _CANONICAL if len(m) >= 4), key=len, reverse=True)


# A verb with its particle, written open, hyphenated or closed, is one word when the
# closed form is one ("checked out", "check-out", "checkout"); other verbs keep their
# particle apart ("timed out" is read by PHRASES).
_PARTICLE_VERB = re.compile(r"\b([a-z]+)[- ](in|out|up|down|on|off|over)\b")


def _close_compound(match: re.Match[str]) -> str:
    verb, particle = match.group(1), match.group(2)
    for base in (verb, stem(verb), stem(verb) + "e", verb[:-1], verb[:-2], verb[:-3]):
        if base + particle in CLOSED_COMPOUNDS:
            return base + particle
    return match.group(0)


# A verb that only says the thing behaves, with an adverb that says how, is the adjective:
# "responding slowly" is "slow", "loads intermittently" is "intermittent".
_MANNER = re.compile(
    r"\b(?:respond|perform|run|load|behav|operat|work|process|serv|react)\w*\s+(\w{3,}?)ly\b"
)


@dataclass(frozen=True)
class Meaning:
    words: frozenset[str]
    negated: bool
    # "Why could users not sign in?" says what "Sign-in failed for users" says: a verb
    # negated with "not" or "never" (and no antonym of its own) reads as that verb failing.
    # None when the text is not negated so.
    failed: frozenset[str] | None = None


def meaning(text: str) -> Meaning:
    lowered = _TIME.sub(" ", text.lower())
    lowered = _PARTICLE_VERB.sub(_close_compound, lowered)
    lowered = _MANNER.sub(r"\1", lowered)
    for pattern, replacement in _PHRASES:
        lowered = pattern.sub(replacement, lowered)
    found: set[str] = set()
    negated = False
    pending = False
    verbal = False
    for word in words(lowered):
        if word in _NEGATIONS:
            pending = True
            verbal = verbal or word != "no"
            continue
        if (word in STOPWORDS and word not in _CANONICAL) or word in FILLERS:
            continue
        stemmed = stem(word)
        opposite = ANTONYMS.get(word) or ANTONYMS.get(stemmed)
        if pending and opposite:
            found.add(opposite)
        else:
            negated ^= pending
            found.add(canonical(stemmed))
        pending = False
    negated ^= pending
    failed = frozenset(found | {"fail"}) if negated and verbal else None
    return Meaning(frozenset(found), negated, failed)


@lru_cache(maxsize=4096)
def canonical(stemmed: str) -> str:
    """The synonym group's first word for a stem, or the stem itself."""
    exact = _CANONICAL.get(stemmed)
    if exact is not None:
        return exact
    for prefix in _PREFIXES:
        if stemmed.startswith(prefix):
            return _CANONICAL[prefix]
    return stemmed
