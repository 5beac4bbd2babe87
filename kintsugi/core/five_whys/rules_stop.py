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

from kintsugi.core.five_whys.lexicon import (
    CONDITION_MARKERS,
    EVENT_WORDS,
    EXTERNAL_EVENTS,
    EXTERNAL_PARTIES,
    LABEL_HEADS,
    NOT_MECHANISM,
    SYSTEM_NOUNS,
    TIME_ANCHORS,
    TRIGGER_EVENTS,
)
from kintsugi.core.five_whys.text import main_clause, without_intro, words
from kintsugi.core.five_whys.verbs import base_form
from kintsugi.core.five_whys.words import AUXILIARIES, IRREGULAR_PAST, STOPWORDS, word_set
from kintsugi.core.language.patterns import LazyRegex


def _alternation(phrases: Iterable[str], *, prefix: bool = False) -> LazyRegex:
    parts = sorted((re.escape(p).replace(r"\ ", r"[\s-]+") for p in phrases), key=len,
                   reverse=True)  # fmt: skip
    tail = r"\w*" if prefix else r"(?:'s|’s|s)?\b"
    return LazyRegex(rf"\b(?:{'|'.join(parts)}){tail}", re.IGNORECASE)


_PARTY = _alternation(EXTERNAL_PARTIES)
_OUTSIDE_EVENT = _alternation(EXTERNAL_EVENTS, prefix=True)
_TRIGGER = _alternation(TRIGGER_EVENTS, prefix=True)
_OUTAGE = LazyRegex(
    r"\b(?:outage|down|incident|degradation|degraded|errors?|failure|failed|went\s+dark"
    r"|unavailable|disruption|offline|broke|broken|crash\w*|went\s+away|problems?|issues?"
    r"|bug|bad|pushed|unpublished|removed|deleted|changed|leak|cut|503|5xx|fault|faulty"
    r"|shipped|introduced|reduced|found)\b",
    re.IGNORECASE,
)
# Our side: how we depend on them, what we lack, what we chose.
_OUR_DESIGN = LazyRegex(
    r"\b(?:we|us(?!-)"
    r"|fallback|single|only\s+one|one\s+(?:region|provider|vendor|zone)|failover|fail\s+over"
    r"|timeouts?|retry|retries|circuit\s+breaker|cach(?:e|es|ing)|rate[- ]limit\w*"
    r"|autoscal\w*|capacity|redundan\w*|depend\w*|backups?|secondary|multi-region|queue\w*"
    r"|mirror\w*|pinn\w*|no\s+(?:alert|monitoring|limit|check|second|other|way)\w*"
    r"|hard-coded|our\s+(?!(?:cdn|provider|vendor|isp|upstream|cloud|hosting|registrar|partner|supplier|carrier|dns\s+provider)\b)[a-z]+(?:\s+[a-z]+)?\s+(?:took|was|were|has|had|is|does|did|sent|sends|timed|returned|called|calls)|our\s+(?:client|config\w*|design|system|service|code|setup|architecture"
    r"|app\w*|integration|dependency|plan|runbook|contract|sla))\b",
    re.IGNORECASE,
)
_CONDITION_PHRASE = LazyRegex(
    r"\bby\s+hand\b|\bat\s+(?:the\s+same\s+time|once)\b|\bin\s+parallel\b|\ball\s+at\s+once\b"
    # a difficulty or a standing design, said in other words: "the way the modules are
    # organised makes it tough to stagger releases"
    r"|\bmakes?\s+it\s+(?:\w+\s+)?(?:hard|harder|tough|tougher|difficult|impossible|easy|easier"
    r"|likely|possible)\b|\bthe\s+way\s+(?:\S+\s+){1,3}?(?:is|are|was|were)\s+(?:organi[sz]ed"
    r"|designed|built|structured|set\s+up|laid\s+out|versioned|released)\b",
    re.IGNORECASE,
)
# "Nothing we could do" speaks of us without saying anything about our side.
_RESIGNED = LazyRegex(
    r"\b(?:nothing|not\s+much|little)\s+(?:that\s+)?(?:we|anyone)\s+(?:could|can|would)"
    r"(?:\s+have)?\s+(?:do|done)\b|\bout\s+of\s+our\s+(?:hands|control)\b"
    r"|\bbeyond\s+our\s+control\b",
    re.IGNORECASE,
)
_LEADING_BECAUSE = LazyRegex(r"^(?:because\s+of|due\s+to)\b[\s,:]*", re.IGNORECASE)
# Where our own thing came from: "They were written when registrar and DNS were with the
# same provider" speaks of our checks, whatever party it names ("written by Cloudflare"
# does not).
_OUR_MAKING = LazyRegex(
    r"\b(?:was|were|is|are|been)\s+(?:\w+ly\s+)?(?:written|built|designed|configured|set\s+up"
    r"|created|chosen|copied|added|generated|templated|sized|scoped)\b(?!\s+by\b)",
    re.IGNORECASE,
)
# A label with the place it is in: "technical debt in the build system", "gaps across our
# monitoring". The place says where to look, not what is wrong.
_LABEL_PLACE = LazyRegex(
    r"\b(?:in|within|across|around|throughout|inside)\s+(?:the\s+|our\s+|a\s+|an\s+|its\s+"
    r"|their\s+)?[\w\s-]+$",
    re.IGNORECASE,
)
_IDENTIFIER = LazyRegex(r"\d|[a-z]+-[a-z0-9]+-\d|[._/]")


# How we set up their product is ours, whoever's product it is: "The Amazon S3 settings on
# the backups were wrong", "the bucket policy was public".
OUR_SETUP = LazyRegex(
    r"\b(?:settings|permissions|acls?|polic(?:y|ies)|configuration)\s+(?:on|for|of)\s+(?:our"
    r"|the)\b|\b(?:settings|permissions|acls?|polic(?:y|ies)|configuration)\s+(?:was|were)\s+"
    r"(?:wrong|incorrect|misconfigured|too\s+permissive|public|open)\b",
    re.IGNORECASE,
)


def is_external_stop(answer: str) -> bool:
    """The root cause is the outside world, with nothing about our side of it."""
    if OUR_SETUP.search(answer):
        return False
    clause = main_clause(answer) or answer
    design = _OUR_DESIGN.search(_RESIGNED.sub(" ", answer))
    if (
        design
        and party_leads(answer)
        and not _OURS.search(answer)
        and not any(word in CONDITION_MARKERS for word in words(answer))
    ):
        # "The acquirer had a data centre failover that failed": their failover, not ours.
        design = None
    if design or our_making(clause):
        return False
    if not (_party_heads(clause) or their_side(answer)) and _names_our_condition(
        _RESIGNED.sub(" ", answer)
    ):
        return False
    if _OUTSIDE_EVENT.search(answer) or _THEIR_SIDE.search(answer):
        return True
    parties = [match for match in _PARTY.finditer(clause) if not _names_whose(clause, match)]
    if not parties:
        return False
    return bool(_OUTAGE.search(clause)) or _party_is_subject(clause, parties[0].start())


def _names_whose(clause: str, party: re.Match[str]) -> bool:
    """The party only says whose thing is meant, inside a phrase after a preposition: "a
    token for a Heroku machine account was found in a GitHub repository". A party that is
    the subject, that is followed by a verb or an outage word, or that ends the clause is
    not one of these."""
    if _party_is_subject(clause, party.start()) or party.group(0).lower().endswith(("'s", "’s")):
        return False  # "a fault in the cloud provider's control plane" is theirs
    before = words(clause[: party.start()])[-4:]
    if not any(word in _NOT_SUBJECT for word in before) or "by" in before[-2:]:
        return False  # "written by Cloudflare": the party is the agent
    following = words(clause[party.end() :])[:1]
    if not following:
        return False
    word = following[0]
    return word not in STOPWORDS and not (
        word in AUXILIARIES or word in {"that", "who", "which"} or _is_verb(word)
        or base_form(word) is not None or bool(_OUTAGE.fullmatch(word))
    )  # fmt: skip


# "their side had an outage", "status page said degraded performance": the answer points
# at someone else's system without naming them.
_THEIR_SIDE = LazyRegex(
    r"\b(?:their|the\s+other)\s+(?:side|end)\b|\btheir\s+status\s+page\b"
    r"|^\W*(?:no\s+idea\W+)?(?:their\s+side|status\s+page)\b"
    # a component the party runs for us: "the AWS-managed gateways did not scale fast enough"
    r"|\b(?:"
    + "|".join(re.escape(p).replace(r"\ ", r"[\s-]+") for p in EXTERNAL_PARTIES)
    + r")[\s-]+(?:managed|hosted|operated)\b",
    re.IGNORECASE,
)
_OURS = LazyRegex(r"\b(?:we|us|our|ours)\b", re.IGNORECASE)


# What was, or was not, in place on our side: "the checkout form has no path to accept an
# address when the vendor is unavailable", "Registrar notices go to an address nobody
# reads", "the design standard allows single-PSU routers". A condition is ours to change.
_OUR_CONDITION = word_set(
    "no not never without lacks lack lacked lacking missing nobody none default defaults "
    "single manual manually allows allowed unmonitored untested unchecked hard-coded "
    "hardcoded only"
)


def _party_heads(clause: str) -> bool:
    """The party itself acts, as the head of the subject: "The partner changed their API",
    "The maps vendor lowered free tier limits"; not "partner credentials" or "the vendor's
    default template", where the party only says whose thing of ours it is."""
    party = _PARTY.search(clause)
    if party is None or not _party_is_subject(clause, party.start()):
        return False
    if party.group(0).lower().endswith(("'s", "’s")):
        return False
    following = words(clause[party.end() :])[:1]
    return bool(following) and (
        following[0] in AUXILIARIES or following[0] in {"that", "who", "which"}
        or _is_verb(following[0]) or base_form(following[0]) is not None
    )  # fmt: skip


def _names_our_condition(answer: str) -> bool:
    return any(word in _OUR_CONDITION for word in words(answer))


def names_our_condition(answer: str) -> bool:
    """The answer names a condition of ours ("no path to accept an address when the vendor
    is unavailable") and the party does not itself act in it."""
    clause = main_clause(answer) or answer
    if _party_heads(clause) or their_side(answer):
        return False
    return _names_our_condition(_RESIGNED.sub(" ", answer))


def their_side(answer: str) -> bool:
    return bool(_THEIR_SIDE.search(answer))


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


# A defect as the subject is a latent condition, not the event that set it off: "A bug in
# the configuration roll-out to a load balancer", "A bad line of C code introduced it". (A
# change that introduced a bug, "A deployment introduced a bug", is still the change.)
_DEFECT_SUBJECT = LazyRegex(
    r"^(?:because\s+|due\s+to\s+)?(?:a|an|the|one|two|some)?\s*(?:\w+\s+){0,2}?(?:bug|bugs|defect"
    r"|defects|flaw|flaws|line\s+of\s+(?:\w+\s+)?code|lines\s+of\s+(?:\w+\s+)?code)\b",
    re.IGNORECASE,
)


def is_trigger(answer: str) -> bool:
    """The root cause tells what happened (a change, an event), not what let it do harm."""
    # "After the primary was restarted, it came back with the wrong filesystem": what the
    # clause says happened comes after its introduction.
    clause = without_intro(main_clause(answer) or answer)
    if _DEFECT_SUBJECT.search(clause.strip()):
        return False
    if not _TRIGGER.search(clause) and not _dated_event(clause):
        return False
    # "kicked off", "turned on": the trigger's own words are no condition, and neither is
    # the "Because of" an answer starts with ("Because of the config push at 16:20").
    rest = _TRIGGER.sub(" ", _LEADING_BECAUSE.sub("", answer.strip()))
    if _CONDITION_PHRASE.search(rest):
        return False
    return not any(word in CONDITION_MARKERS for word in words(rest))


_TIME_ANCHOR = LazyRegex(
    r"\b(?:" + "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in TIME_ANCHORS) + r")\b"
    r"|\b(?:at|around)\s+\d{1,2}(?::\d{2})?\b|\b\d{4}-\d{2}-\d{2}\b",
    re.IGNORECASE,
)


def _dated_event(clause: str) -> bool:
    """An event with its date: "The zone edit on Monday morning", "weekly retrain ran
    sunday", "An infrastructure change on Wednesday altered its network policy"."""
    return bool(_TIME_ANCHOR.search(clause)) and any(word in EVENT_WORDS for word in words(clause))


def condition_step(answers: list[str]) -> int | None:
    """The 1-based step of the last earlier answer that named a condition, if any."""
    for number in range(len(answers), 0, -1):
        found = set(words(answers[number - 1]))
        if found & CONDITION_MARKERS:
            return number
    return None


_SHORT_LABEL = 4
# A product's own name with a capital inside it (VxWorks, PostgreSQL, GitHub, macOS) names a
# component; the words are lowercased before the other tests, so it is read from the text.
_PRODUCT_NAME = LazyRegex(r"\b[A-Za-z]*[a-z][A-Z][A-Za-z]*\b")


def is_label(answer: str) -> bool:
    """A label for a kind of problem, with no system, mechanism or identifier named."""
    tokens = words(answer)
    meaningful = [word for word in tokens if word not in STOPWORDS and word != "not"]
    if not meaningful or not any(word in LABEL_HEADS for word in meaningful):
        return False
    if _PRODUCT_NAME.search(answer):
        # "A priority inversion problem in the VxWorks operating system" names a component.
        return False
    head = [word for word in words(_LABEL_PLACE.sub("", answer.strip().rstrip(".!")))]
    if any(word in LABEL_HEADS for word in head):
        # Judge the label without the place it is in.
        meaningful = [word for word in head if word not in STOPWORDS and word != "not"]
    # A system noun before the label head only says which area: "logging hygiene",
    # "pipeline sprawl", "the integration landscape".
    # Only in a short label: a sentence that goes on names more than an area.
    first_head = next(i for i, word in enumerate(meaningful) if word in LABEL_HEADS)
    if len(meaningful) > _SHORT_LABEL:
        first_head = -1
    if any(
        (word in SYSTEM_NOUNS and index > first_head) or _IDENTIFIER.search(word)
        for index, word in enumerate(meaningful)
    ):
        return False
    return not any(_is_verb(word) for word in meaningful)


def _is_verb(word: str) -> bool:
    """A verb of mechanism: a past tense other than be/have/do ("expired", "locked")."""
    if word in AUXILIARIES or word in NOT_MECHANISM:
        return False
    if word in IRREGULAR_PAST:
        return True
    return word.endswith("ed") and base_form(word) is not None
