"""Checks on the shape of a chain: answers that restate, answers that loop, chains too short.

An answer restates when it says again its question, the problem (the first question) or
the previous answer, compared after meaning.py's reduction (synonyms, negation).

Restating and looping are judged on content words after a light stemming (see text.py), so
"The job timed out." restates "Why did the job time out?" whatever the tense. The
thresholds are deliberately strict (most words shared, at most one new word) because a
good answer often reuses a word of its question ("Why did the disks fill up?" -> "Logs
filled the disks."), and a false alarm on a good chain teaches people to ignore the check.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kintsugi.core.five_whys.findings import (
    CIRCULAR,
    RESTATES_QUESTION,
    TOO_SHALLOW,
    Finding,
    Location,
)
from kintsugi.core.five_whys.lexicon import HYPERNYMS, IMPLIED_NOUNS, NON_CAUSAL, SCOPE_NOUNS
from kintsugi.core.five_whys.meaning import Meaning, canonical, meaning
from kintsugi.core.five_whys.questions import suggest_next_question
from kintsugi.core.five_whys.text import content_stems, main_clause, stem
from kintsugi.core.five_whys.tree import Chain
from kintsugi.core.five_whys.words import word_set
from kintsugi.core.language.patterns import LazyRegex

MIN_DEPTH = 3
_PRONOUN = LazyRegex(r"\b(?:it|they|them|this|that|these|those|its|their)\b", re.IGNORECASE)
# An answer restates a text when at least this share of its content words are in it and
# it adds at most MAX_NEW_WORDS of its own.
RESTATE_SHARE = 0.75
MAX_NEW_WORDS = 1
# A later answer repeats an earlier one when (almost) all its words are in the earlier one
# and they share at least half of all their words. Direction matters: a later answer that
# adds to an earlier one ("an engineer deleted the DNS record" after "the DNS record was
# deleted") elaborates, it does not loop.
# A verb and its noun meet when they share this many letters and differ by a suffix.
NOMINAL_STEM = 5
_SUFFIXES = word_set(
    "ion ation ition tion ment ments al ure ance ence ing er ers or ors ity ions s"
)
_SCOPE = frozenset(canonical(stem(word)) for word in SCOPE_NOUNS)
_NON_CAUSAL = frozenset(canonical(stem(word)) for word in NON_CAUSAL) | NON_CAUSAL
_IMPLIED = {
    verb: frozenset(canonical(stem(word)) for word in nouns)
    for verb, nouns in IMPLIED_NOUNS.items()
}
# "The CPU was saturated at 100% so keepalives were missed": the cause comes before "so".
_SO = LazyRegex(r"\s+so\s+(?!that\b)", re.IGNORECASE)
# A standing practice or design, told in the present: "Manual operations are regularly
# executed on production databases", "The system requires scheduled manual updates". After
# an answer about one event of that kind it says why such events happen, which is the next
# step down, not the same step again.
_STANDING = LazyRegex(
    r"\b(?:regularly|routinely|always|usually|typically|normally|by\s+design|requires?"
    r"|(?:is|are)\s+required\s+to|relies|rely|depends|(?:is|are)\s+designed)\b",
    re.IGNORECASE,
)


def _generalises(answer: str, previous: str) -> bool:
    return bool(_STANDING.search(answer)) and not _STANDING.search(previous)


REPEAT_CONTAINMENT = 0.8
REPEAT_OVERLAP = 0.5


def shape_findings(chain: Chain) -> Iterator[Finding]:
    """Restating and circular answers among this branch's own steps (not inherited ones)."""
    path = chain.steps
    offset = len(chain.inherited)
    problem = meaning(path[0].question) if path else Meaning(frozenset(), False)
    earlier = [content_stems(step.answer) for step in path[:offset]]
    # The same answers after synonyms: "as quickly as" repeats "as fast as".
    earlier_said = [set(meaning(step.answer).words) for step in path[:offset]]
    earlier_meant = [meaning(step.answer) for step in path[:offset]]
    previous = meaning(path[offset - 1].answer) if offset else None
    for number, step in enumerate(chain.branch.steps, 1):
        answer = content_stems(step.answer)
        location = Location(chain.path, number)
        if not answer:
            earlier.append(answer)
            earlier_said.append(set())
            earlier_meant.append(Meaning(frozenset(), False))
            continue
        position = offset + number
        said = meaning(step.answer)
        # The previous answer too: after "Why did that happen?" the question says nothing,
        # and an answer that says the previous one again in other words has not moved.
        asked = meaning(step.question)
        # A word the question says in so many words is not new, whatever it was folded
        # into: "Running of the scheduler had stopped" after "Why was it not running?".
        asked = Meaning(asked.words | content_stems(step.question), asked.negated, asked.failed)
        if (
            previous is not None
            and _PRONOUN.search(step.question)
            and not _generalises(step.answer, path[position - 2].answer)
        ):
            # "Why were they consumed slowly?": "they" are what the previous answer named.
            asked = Meaning(asked.words | previous.words, asked.negated, asked.failed)
        if (
            says_again(said, asked)
            or (position > 1 and says_again(said, problem))
            or (
                previous is not None
                and says_again(said, previous)
                and covers(said, previous)
                and not _generalises(step.answer, path[position - 2].answer)
            )
        ):
            yield RESTATES_QUESTION.finding(location)
        else:
            # The clause that states the cause may repeat an earlier answer even when the
            # answer goes on ("..., so reads saw stale data").
            cause = content_stems(main_clause(step.answer))
            # The same test as a restatement, against each earlier answer: "Because the
            # certificate had passed its end date" says again "Its certificate was expired".
            cause_said = meaning(_SO.split(main_clause(step.answer))[0])
            repeated = next(
                (
                    index
                    for index, other in enumerate(earlier, 1)
                    if not _generalises(step.answer, path[index - 1].answer)
                    and (
                        repeats(answer, other)
                        or (cause != answer and repeats(cause, other))
                        or repeats(set(said.words), earlier_said[index - 1])
                        or (
                            says_again(cause_said, earlier_meant[index - 1])
                            and covers(cause_said, earlier_meant[index - 1])
                        )
                    )
                ),
                None,
            )
            if repeated is not None:
                yield CIRCULAR.finding(
                    location,
                    message=f"{CIRCULAR.message} (It repeats the answer at why {repeated}.)",
                )
        earlier.append(answer)
        earlier_said.append(set(said.words))
        earlier_meant.append(said)
        previous = said


def depth_finding(chain: Chain) -> Finding | None:
    depth = chain.depth_to_root_cause
    cause = chain.branch.root_cause
    if depth is None or cause is None or depth >= MIN_DEPTH:
        return None
    whys = "one why" if depth == 1 else f"{depth} whys"
    return TOO_SHALLOW.finding(
        Location(chain.path, chain.branch.root_cause_number),
        message=f"Only {whys} to reach this root cause. {TOO_SHALLOW.message}",
        next_question=suggest_next_question(cause.answer),
    )


def says_again(answer: Meaning, text: Meaning) -> bool:
    """The answer says what the text says: same words after synonyms, same polarity. A
    verb negated on one side and failing on the other is the same polarity ("Why could
    users not sign in?" and "Sign-in failed")."""
    if answer.negated == text.negated:
        return restates(set(answer.words), set(text.words))
    if answer.failed is not None and not text.negated:
        return restates(set(answer.failed), set(text.words))
    if text.failed is not None and not answer.negated:
        # The nouns implied are those of the words the text said, not of the failure read
        # into its negation ("did not arrive" implies no job).
        return restates(set(answer.words), set(text.failed), implied_by=set(text.words))
    return False


# An answer says the previous answer again only when it also says most of it: "the config
# push" picks one thing out of "config is pushed to all proxies at once and not validated".
PREVIOUS_COVERAGE = 0.5


def covers(answer: Meaning, previous: Meaning) -> bool:
    if not previous.words:
        return False
    found = {word for word in previous.words if _meets(word, set(answer.words))}
    return len(found) / len(previous.words) >= PREVIOUS_COVERAGE


def restates(answer: set[str], text: set[str], *, implied_by: set[str] | None = None) -> bool:
    if len(answer) == 0 or not text:
        return False
    found = {word for word in answer if _meets(word, text)}
    new = answer - found
    # A noun the question implies ("logged out" of a session) or one that names only the
    # frame ("the app") adds nothing, as long as something else is left to compare.
    source = text if implied_by is None else implied_by
    implied = set(_SCOPE).union(*(_IMPLIED.get(word, ()) for word in source))
    if len(answer) - len(new & implied) >= 2:
        answer = answer - (new & implied)
        new = new - implied
    # Degree, frequency, frames and talk add no cause: "Elasticsearch was rejecting a large
    # and growing number of queries" says again "Why was Elasticsearch rejecting queries?".
    empty = new & _NON_CAUSAL
    if empty and found:
        answer = answer - empty
        new = new - empty
    return len(found) / len(answer) >= RESTATE_SHARE and len(new) <= MAX_NEW_WORDS


def _meets(word: str, text: set[str]) -> bool:
    """The word is in the text, or a noun made of a verb of it: "refresh" and "refreshing",
    "deploy" and "deployment", "expir" and "expiration" (a shared start of five letters or
    more, the rest a suffix)."""
    if word in text:
        return True
    # "remounted" says "mounted" again; "re" starts no word of five letters or more that
    # means something else in these answers.
    for prefix in ("re", "over", "under"):
        # "remounted" says "mounted" again, "overloaded" says "load"
        if word.startswith(prefix) and len(word) >= len(prefix) + 4 and word[len(prefix) :] in text:
            return True
        if any(
            other.startswith(prefix)
            and len(other) >= len(prefix) + 4
            and other[len(prefix) :] == word
            for other in text
        ):
            return True
    # A word meets its more general word: "failed" says what "crashed" says, less exactly.
    if HYPERNYMS.get(word) in text or any(HYPERNYMS.get(other) == word for other in text):
        return True
    return any(
        len(short) >= NOMINAL_STEM and long.startswith(short) and long[len(short) :] in _SUFFIXES
        for other in text
        for short, long in ((word, other), (other, word))
    )


def repeats(answer: set[str], other: set[str]) -> bool:
    if min(len(answer), len(other)) < 2:
        return False
    shared = len(answer & other)
    containment = shared / len(answer)
    overlap = shared / len(answer | other)
    return containment >= REPEAT_CONTAINMENT and overlap >= REPEAT_OVERLAP
