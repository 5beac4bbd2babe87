"""Where a chain stops too early: at the outside world, at its trigger, or at a label.

- External stop: the root cause is an outside party or event (a provider's outage, a
  maintainer's unpublish, a fibre cut) and says nothing about how we depend on it.
- Trigger: the root cause is the change or event that set the failure off (a deploy, an
  upgrade, a config push, a campaign, a load spike) rather than the condition that let it do
  harm. A clause is a condition when it says what was, or was not, in place (no canary,
  without review, by default, only one region); one that only tells what happened, and
  when, is an event.
- Vague: the root cause is a label for a kind of problem ("a gap in alignment", "process
  issues") and names no system or mechanism, nor any verb of one.

The word lists are data, in lexicon.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kintsugi.core.analysis.lexicon import (
    CONDITION_MARKERS,
    EXTERNAL_EVENTS,
    EXTERNAL_PARTIES,
    LABEL_HEADS,
    NOT_MECHANISM,
    SYSTEM_NOUNS,
    TRIGGER_EVENTS,
)
from kintsugi.core.analysis.text import main_clause, words
from kintsugi.core.analysis.verbs import base_form
from kintsugi.core.analysis.words import AUXILIARIES, IRREGULAR_PAST, STOPWORDS, word_set


def _alternation(phrases: Iterable[str], *, prefix: bool = False) -> re.Pattern[str]:
    parts = sorted((re.escape(p).replace(r"\ ", r"[\s-]+") for p in phrases), key=len,
                   reverse=True)  # fmt: skip
    tail = r"\w*" if prefix else r"(?:'s|’s|s)?\b"
    return re.compile(rf"\b(?:{'|'.join(parts)}){tail}", re.IGNORECASE)


_PARTY = _alternation(EXTERNAL_PARTIES)
_OUTSIDE_EVENT = _alternation(EXTERNAL_EVENTS, prefix=True)
_TRIGGER = _alternation(TRIGGER_EVENTS, prefix=True)
_OUTAGE = re.compile(
    r"\b(?:outage|down|incident|degradation|degraded|errors?|failure|failed|went\s+dark"
    r"|unavailable|disruption|offline|broke|broken|crash\w*|went\s+away|problems?|issues?"
    r"|bug|bad|pushed|unpublished|removed|deleted|changed|leak|cut|503|5xx)\b",
    re.IGNORECASE,
)
# Our side: how we depend on them, what we lack, what we chose.
_OUR_DESIGN = re.compile(
    r"\b(?:we|us(?!-)"
    r"|fallback|single|only\s+one|one\s+(?:region|provider|vendor|zone)|failover|fail\s+over"
    r"|timeouts?|retry|retries|circuit\s+breaker|cach(?:e|es|ing)|rate[- ]limit\w*"
    r"|autoscal\w*|capacity|redundan\w*|depend\w*|backups?|secondary|multi-region|queue\w*"
    r"|mirror\w*|pinn\w*|no\s+(?:alert|monitoring|limit|check|second|other|way)\w*"
    r"|hard-coded|our\s+(?!(?:cdn|provider|vendor|isp|upstream|cloud|hosting|registrar|partner|supplier|carrier|dns\s+provider)\b)[a-z]+(?:\s+[a-z]+)?\s+(?:took|was|were|has|had|is|does|did|sent|sends|timed|returned|called|calls)|our\s+(?:client|config\w*|design|system|service|code|setup|architecture"
    r"|app\w*|integration|dependency|plan|runbook|contract|sla))\b",
    re.IGNORECASE,
)
_CONDITION_PHRASE = re.compile(
    r"\bby\s+hand\b|\bat\s+(?:the\s+same\s+time|once)\b|\bin\s+parallel\b|\ball\s+at\s+once\b",
    re.IGNORECASE,
)
# "Nothing we could do" speaks of us without saying anything about our side.
_RESIGNED = re.compile(
    r"\b(?:nothing|not\s+much|little)\s+(?:that\s+)?(?:we|anyone)\s+(?:could|can|would)"
    r"(?:\s+have)?\s+(?:do|done)\b|\bout\s+of\s+our\s+(?:hands|control)\b"
    r"|\bbeyond\s+our\s+control\b",
    re.IGNORECASE,
)
_LEADING_BECAUSE = re.compile(r"^(?:because\s+of|due\s+to)\b[\s,:]*", re.IGNORECASE)
# Where our own thing came from: "They were written when registrar and DNS were with the
# same provider" speaks of our checks, whatever party it names ("written by Cloudflare"
# does not).
_OUR_MAKING = re.compile(
    r"\b(?:was|were|is|are|been)\s+(?:\w+ly\s+)?(?:written|built|designed|configured|set\s+up"
    r"|created|chosen|copied|added|generated|templated|sized|scoped)\b(?!\s+by\b)",
    re.IGNORECASE,
)
# A label with the place it is in: "technical debt in the build system", "gaps across our
# monitoring". The place says where to look, not what is wrong.
_LABEL_PLACE = re.compile(
    r"\b(?:in|within|across|around|throughout|inside)\s+(?:the\s+|our\s+|a\s+|an\s+|its\s+"
    r"|their\s+)?[\w\s-]+$",
    re.IGNORECASE,
)
_IDENTIFIER = re.compile(r"\d|[a-z]+-[a-z0-9]+-\d|[._/]")


def is_external_stop(answer: str) -> bool:
    """The root cause is the outside world, with nothing about our side of it."""
    clause = main_clause(answer) or answer
    if _OUR_DESIGN.search(_RESIGNED.sub(" ", answer)) or our_making(clause):
        return False
    if _OUTSIDE_EVENT.search(answer):
        return True
    party = _PARTY.search(clause)
    if party is None:
        return False
    return bool(_OUTAGE.search(clause)) or _party_is_subject(clause, party.start())


def our_making(clause: str) -> bool:
    """The clause tells how our own thing was made ("They were written when ..."), which is
    our side, whatever outside party it also names."""
    return bool(_OUR_MAKING.search(clause))


def party_leads(answer: str) -> bool:
    """An outside party is the subject of the cause clause ("The maintainer removed it")."""
    clause = main_clause(answer) or answer
    party = _PARTY.search(clause)
    return party is not None and _party_is_subject(clause, party.start())


def _party_is_subject(clause: str, start: int) -> bool:
    """The party comes before the clause's first verb: "The maintainer removed it"."""
    before = words(clause[:start])
    # "... never closes it when the upstream times out": a party after a negation or in a
    # clause of time or condition is where our component failed, not the subject. One in
    # a phrase after a preposition, or after more words than a subject's modifiers take
    # ("The payment client predates idempotency keys at the provider"), is not either.
    if len(before) > _SUBJECT_MODIFIERS:
        return False
    return not any(word in AUXILIARIES or word in _NOT_SUBJECT or _is_verb(word) for word in before)


_NOT_SUBJECT = word_set(
    "not never when whenever if unless while once until after before as at in on to with "
    "from by for into via against"
)
# "The main upstream DNS provider": at most this many words before a party that leads.
_SUBJECT_MODIFIERS = 4


def is_trigger(answer: str) -> bool:
    """The root cause tells what happened (a change, an event), not what let it do harm."""
    clause = main_clause(answer) or answer
    if not _TRIGGER.search(clause):
        return False
    # "kicked off", "turned on": the trigger's own words are no condition, and neither is
    # the "Because of" an answer starts with ("Because of the config push at 16:20").
    rest = _TRIGGER.sub(" ", _LEADING_BECAUSE.sub("", answer.strip()))
    if _CONDITION_PHRASE.search(rest):
        return False
    return not any(word in CONDITION_MARKERS for word in words(rest))


def condition_step(answers: list[str]) -> int | None:
    """The 1-based step of the last earlier answer that named a condition, if any."""
    for number in range(len(answers), 0, -1):
        found = set(words(answers[number - 1]))
        if found & CONDITION_MARKERS:
            return number
    return None


def is_label(answer: str) -> bool:
    """A label for a kind of problem, with no system, mechanism or identifier named."""
    tokens = words(answer)
    meaningful = [word for word in tokens if word not in STOPWORDS and word != "not"]
    if not meaningful or not any(word in LABEL_HEADS for word in meaningful):
        return False
    head = [word for word in words(_LABEL_PLACE.sub("", answer.strip().rstrip(".!")))]
    if any(word in LABEL_HEADS for word in head):
        # Judge the label without the place it is in.
        meaningful = [word for word in head if word not in STOPWORDS and word != "not"]
    if any(word in SYSTEM_NOUNS or _IDENTIFIER.search(word) for word in meaningful):
        return False
    return not any(_is_verb(word) for word in meaningful)


def _is_verb(word: str) -> bool:
    """A verb of mechanism: a past tense other than be/have/do ("expired", "locked")."""
    if word in AUXILIARIES or word in NOT_MECHANISM:
        return False
    if word in IRREGULAR_PAST:
        return True
    return word.endswith("ed") and base_form(word) is not None
