"""The next "Why ...?" offered after an answer, so the user keeps digging without typing it.

It turns the answer's cause clause into a question by moving its verb: "The pool was
exhausted" -> "Why was the pool exhausted?", "The linter skipped the file" -> "Why did the
linter skip the file?". When the answer has no verb we can move (a noun phrase, an unknown
present-tense verb), it offers the honest generic question rather than a broken one.
"""

from __future__ import annotations

import re

from kintsugi.core.five_whys.text import main_clause
from kintsugi.core.five_whys.tree import MAX_QUESTION
from kintsugi.core.five_whys.verbs import base_form, present_base
from kintsugi.core.five_whys.words import (
    DETERMINERS,
    FIRST_NAMES,
    IRREGULAR_PAST,
    PROPER_NOUNS,
    word_set,
)

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
_RELATIVE_SUBJECTS = word_set("it we they you he she i")
_HAVE_ADVERBS = word_set("never already just also always since recently all both long")
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


# "The certificate expired. Nobody noticed." asks about the first sentence.
_SENTENCE_END = re.compile(r"(?<=[A-Za-z0-9)\"'’”%])[.!?]+\s+(?=[A-Z\"“(])")


def _first_sentence(answer: str) -> str:
    return _SENTENCE_END.split(answer.strip(), maxsplit=1)[0]


def suggest_next_question(answer: str) -> str:
    """Derive the next why from an answer; fall back to "Why did that happen?"."""
    clause = _first_clause(main_clause(_first_sentence(answer)))
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
    first = tokens[0].lower()
    if first in _FINITE or base_form(first) is not None:
        return None  # "Didn't have a lock.", "Was deleted by the job.": no subject to keep
    for index in range(1, min(len(tokens), _MAX_SUBJECT_WORDS + 1)):
        word = tokens[index]
        lowered = word.lower().strip(",")
        if word.endswith(","):
            return None  # the subject would run across a comma: not a simple clause
        if tokens[index - 1].lower() in {"and", "or", "but"} and lowered in _FINITE:
            return None  # "the cache lives in memory and is rebuilt": a verb we do not know
        subject = _subject(tokens[:index])
        rest = tokens[index + 1 :]
        if lowered in _BE or lowered in _CONTRACTIONS:
            lowered = _agree(lowered, tokens[:index])
        if lowered in _DO and rest and _names_a_thing(rest[0]):
            # "did" as the main verb: "Queries did full scans" -> "Why did queries do ...?"
            return _finish(["Why", lowered, subject, "do", *_one_predicate(rest, base=True)])
        if lowered in _BE or lowered in _MODALS or lowered in _CONTRACTIONS:
            # After "did", "can", "won't"... every verb that follows is a base form.
            base_after = lowered not in _BE and not lowered.startswith(_BE_STARTS)
            return _finish(["Why", lowered, subject, *_one_predicate(rest, base=base_after)])
        if lowered in _HAVE:
            return _have_question(lowered, subject, rest)
        if index > 1 and tokens[index - 1].lower() in _RELATIVE_SUBJECTS:
            continue  # "The API it calls had an outage": a relative clause inside the subject
        if (lowered in _PRESENT or lowered in _PRESENT_BASES) and _verb_follows(rest):
            continue  # "Access logs had grown", "the build targets list was changed": nouns
        if lowered in _PRESENT and _looks_like_verb_position(tokens, index):
            return _finish(
                ["Why", "does", subject, present_base(lowered), *_one_predicate(rest, base=True)]
            )
        if lowered in _PRESENT_BASES and _plural(tokens[:index]):
            return _finish(["Why", "do", subject, lowered, *_one_predicate(rest, base=True)])
        base = base_form(lowered)
        if base is not None and index > 1 and _modifies_subject(rest):
            continue  # "The certificate assigned to the domain expired": "assigned" describes
        if base is not None and _looks_like_verb_position(tokens, index):
            if rest and rest[0].lower() == "by" and not _BY_MANNER.match(" ".join(rest[:2])):
                return None  # "A rule deleted by an engineer": a fragment, not a clause
            return _finish(["Why", "did", subject, base, *_one_predicate(rest, base=True)])
    return None


_DO = word_set("did does do")
# Past tenses that are also nouns or base forms: "the job sets the cost", "uses the hit".
_AMBIGUOUS_PAST = word_set("set put cut let hit read cost spread run shut")
_BE_STARTS = ("isn", "wasn", "weren", "aren")
_BY_MANNER = re.compile(r"by\s+(?:mistake|accident|design|default|hand|itself|themselves)\b",
                        re.IGNORECASE)  # fmt: skip
# Words after "did" that name a thing done, not a verb: "did full scans", "did nothing".
_THING_WORDS = word_set(
    "nothing something anything everything full partial more less too so much many no"
)
# What ends a predicate's stretch: a new clause may start after these.
_SUBJECT_STARTS = DETERMINERS | word_set("it they we he she nobody nothing no none someone")
_FINITE = _BE | _HAVE | _MODALS | _CONTRACTIONS
_STOPS_LOOKING = word_set(
    "to of for in on at by from with into before after when while until if because since "
    "so that which who where as than"
)


# A participle that describes its noun is followed by one of these, then the real verb.
_MODIFIER_LINKS = word_set("to by for in on with at from during under as via")
# Where a later verb stops being the answer's main verb.
_CLAUSE_LINKS = word_set(
    "and or but so that which who whom whose when whenever after before because since while "
    "until if unless as though although"
)
# Nouns that end in "s" but are singular, or names: "Redis was", "the status was".
_SINGULAR_S = word_set(
    "redis postgres kubernetes jenkins series news species status dns https sms ios macos "
    "aws gcs gps cors ops devops analytics physics"
)
_SINGULAR_DETERMINERS = word_set("a an one this that each every another")
_PLURAL_BE = {"was": "were", "is": "are", "wasn't": "weren't", "isn't": "aren't"}


def _agree(verb: str, subject: list[str]) -> str:
    """ "The file names was the same" asks "Why were the file names the same?"."""
    head_index = next(
        (i - 1 for i, word in enumerate(subject) if i and word.lower() in _MODIFIER_LINKS),
        len(subject) - 1,
    )
    head = subject[head_index]
    lowered = head.lower()
    named = head.isupper() or (head_index > 0 and head[:1].isupper())
    plural = (
        not named
        and subject[0].lower() not in _SINGULAR_DETERMINERS
        and lowered.endswith("s")
        and not lowered.endswith(("ss", "us", "is", "ics", "'s", "’s"))
        and lowered not in _SINGULAR_S
    )
    return _PLURAL_BE.get(verb, verb) if plural else verb


def _modifies_subject(rest: list[str]) -> bool:
    """The "-ed" word is followed by a preposition and, later in the same clause, by the
    clause's own verb: "assigned to the domain expired", "designed to check it had not run"."""
    if not rest or rest[0].lower() not in _MODIFIER_LINKS:
        return False
    for index, word in enumerate(rest[1:], 1):
        lowered = word.lower().strip(",.")
        infinitives = lowered == "and" and index >= 2 and rest[index - 2].lower() == "to"
        if (lowered in _CLAUSE_LINKS and not infinitives) or word.endswith(","):
            return False  # "designed to check and report ..." goes on
        if lowered in _FINITE:
            return True
        following = rest[index + 1].lower() if index + 1 < len(rest) else ""
        if (
            base_form(lowered) is not None
            and rest[index - 1].lower() not in DETERMINERS | {"to"}
            and following != "by"  # "a lock held by a vacuum": another description
        ):
            return True
    return False


def _verb_follows(rest: list[str]) -> bool:
    """A finite verb comes within two words, before any clause link: the word before it
    was part of the subject."""
    for word in rest[:3]:
        lowered = word.lower().strip(",.")
        if lowered in _CLAUSE_LINKS or lowered in DETERMINERS or word.endswith(","):
            return False
        if lowered in _FINITE or (lowered in IRREGULAR_PAST and lowered not in _AMBIGUOUS_PAST):
            return True
        if base_form(lowered) is not None and lowered.endswith("ed"):
            return True
    return False


def _names_a_thing(word: str) -> bool:
    lowered = word.lower().strip(",")
    if lowered in _THING_WORDS or lowered in DETERMINERS or lowered[:1].isdigit():
        return True
    return lowered.endswith("s") and not lowered.endswith(("ss", "us", "is"))


def _one_predicate(rest: list[str], *, base: bool) -> list[str]:
    """The rest of the question, kept to one subject: a second clause joined by "and" is
    cut ("... and every request waited on it"), and after "did"/"does" a second verb joined
    by "and" takes its base form ("hit the limit and went read-only" -> "and go read-only")."""
    result: list[str] = []
    index = 0
    while index < len(rest):
        word = rest[index]
        lowered = word.lower()
        after_and = index > 0 and rest[index - 1].lower() in {"and", "or", "then"}
        if after_and and _new_clause(rest[index:]):
            return result[:-1]
        if after_and and lowered in _FINITE:
            following = rest[index + 1].lower() if index + 1 < len(rest) else ""
            if base and lowered in _DO and following == "not":
                # "lost the connection and did not reconnect" -> "and not reconnect"
                result.append("not")
                index += 2
                continue
            if base and lowered in {"didn't", "doesn't", "don't"}:
                result.append("not")
                index += 1
                continue
            # "Why was it issued by hand and is outside ...?": one predicate is enough.
            return result[:-1]
        if after_and and base:
            converted = base_form(lowered)
            if converted is None and lowered in _PRESENT:
                converted = present_base(lowered)
            word = converted or word
        result.append(word)
        index += 1
    return result


def _new_clause(words: list[str]) -> bool:
    """ "every request waited", "the region had an outage": a subject, then its own verb."""
    first = words[0].lower()
    if len(words) > 1 and words[1].lower() in _FINITE:
        return True  # "and writes were not moved", "and restarts did not help"
    if first not in _SUBJECT_STARTS and not (words[0][:1].isupper() and first not in _FINITE):
        return False
    for index, word in enumerate(words[1:6], 1):
        lowered = word.lower().strip(",.")
        if lowered in _STOPS_LOOKING:
            return False
        if lowered in _FINITE or lowered in _PRESENT:
            return True
        if base_form(lowered) is not None and words[index - 1].lower() not in DETERMINERS:
            return True
    return False


def _plural(subject: list[str]) -> bool:
    last = subject[-1].lower()
    if len(subject) == 1 and last in _PLURAL_PRONOUNS:
        return True
    if last.endswith(("'s", "’s", "s'", "s’")):
        return False  # "the cache library's default": a possessive, not a plural
    return last.endswith("s") and not last.endswith(("ss", "us", "is"))


def _have_question(have: str, subject: str, rest: list[str]) -> str:
    """ "had expired" is an auxiliary ("Why had X expired?"); "has no Y" is possession."""
    adverbs = 0
    while adverbs < len(rest) - 1 and rest[adverbs].lower() in _HAVE_ADVERBS:
        adverbs += 1  # "have never been restored", "had already expired"
    following = rest[adverbs].lower() if rest else ""
    if following.endswith("ed") or following in _PARTICIPLES_AFTER_HAVE or following == "not":
        return _finish(["Why", have, subject, *_one_predicate(rest, base=False)])
    do = {"has": "does", "have": "do", "had": "did"}[have]
    return _finish(["Why", do, subject, "have", *_one_predicate(rest, base=True)])


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
