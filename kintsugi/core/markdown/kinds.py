"""Guessing the kind of a timeline event from its text, for variants that give none.

Hand-written timelines say "Alert fired", "paged on-call", "rolled back the deploy". The
metrics (time to detect, acknowledge, mitigate, resolve) need kinds, so import guesses
them from such words; the rules are ordered from the most specific to the least, the
first that matches wins, and anything unrecognised is a plain note. Authors can always
state the kind explicitly: ``- 14:02 UTC [alert fired] ...``.

Judgement calls, documented in docs/markdown-format.md:
- a rollback, revert, failover or traffic drain is a *workaround applied*: it relieves
  users (it counts for time to mitigate when no event says "mitigated") but is rarely the
  fix;
- "resolved", "all clear", "incident ends" and "fully recovered" are *fully recovered*;
- "paged" is *alert fired*: the page is how the detection reached a person;
- an outcome (recovered, mitigated, a workaround) counts only where the clause asserts it:
  "raises question of a potential workaround", "believing the issue to be resolved",
  "the rollback did not help", "should we fail over?" tell of no outcome; and only the
  entry's first paragraph, without code, is read: quoted output and the background a
  later paragraph gives ("the first occurrence resolved itself") are not the event;
- "stopped working" and "went down" start the impact.
"""

from __future__ import annotations

import re

from kintsugi.core.timeline import EventKind

_RULES: tuple[tuple[EventKind, str], ...] = (
    (
        EventKind.FULLY_RECOVERED,
        r"fully recovered|full recovery|all clear|back to normal|incident (?:ends|ended|"
        r"resolved|closed)|(?:service|traffic|error rates?) (?:fully )?(?:restored|recovered)"
        r"|\bresolved\b",
    ),
    (EventKind.MITIGATED, r"\bmitigat|impact (?:ends|ended|stopped)|outage (?:ends|ended)"),
    (
        EventKind.WORKAROUND_APPLIED,
        r"workaround|rolled back|roll(?:ing|ed)? ?back|\breverted?\b|fail(?:ed)? ?over|"
        r"drain(?:ed|ing)?|redirected traffic|traffic (?:shifted|moved)|sacrificial",
    ),
    (EventKind.PAGE_ACKNOWLEDGED, r"acknowledg|\back(?:ed|'d)?\b"),
    (EventKind.ALERT_FIRED, r"\balert|\bpaged\b|pager|\bpage (?:sent|fired)|monitoring detected"),
    (
        EventKind.RESPONDERS_JOINED,
        r"joined (?:the )?(?:bridge|call|incident|war ?room|channel)|bridge (?:opened|started)"
        r"|war ?room",
    ),
    (
        EventKind.IMPACT_STARTED,
        r"outage (?:begins|began|starts|started)|impact (?:begins|began|starts|started)|"
        r"(?:errors?|failures?|timeouts?|5\d\d ?s?) (?:began|begin|start|started|spiked?)|"
        r"\b(?:stopped|stops|ceased) working\b|\b(?:went|goes) down\b",
    ),
    (
        EventKind.CHANGE_DEPLOYED,
        r"\bdeploy|rolled out|\brollout\b|\breleased?\b|migration (?:ran|started|began)|"
        r"config(?:uration)? change",
    ),
    (
        EventKind.COMMUNICATION,
        r"status ?page|customers? (?:were )?(?:notified|informed|emailed)|announce|"
        r"communicat|tweet|posted an update",
    ),
    (
        EventKind.INVESTIGATION,
        r"investigat|looking into|debugg|\bidentified\b|root cause|\bfound\b|\bdiagnos",
    ),
)

_COMPILED = tuple((kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _RULES)

# The kinds that say users stopped suffering: asserted or not, they move downtime.
_OUTCOMES = frozenset(
    {EventKind.FULLY_RECOVERED, EventKind.MITIGATED, EventKind.WORKAROUND_APPLIED}
)
# Where a clause ends: punctuation, a line break, a contrast ("..., but", "although").
_CLAUSE_END = re.compile(r"[.;:!?,()\n]|\s(?:but|although|though|whereas|while|until)\s")
_SENTENCE_END = re.compile(r"[.!?\n]")
# Words before the outcome, in its clause, that say it did not happen (negation) or is only
# thought of: asked, proposed, planned, hoped, believed, possible ("raises question of a
# potential workaround", "believing the issue to be resolved", "a rollback is considered").
_NOT_DONE_BEFORE = re.compile(
    r"(?i)\b(?:not|no|never|nor|without|unable|cannot|can't|\w+n't|yet to|fail(?:s|ed)? to"
    r"|question\w*|ask\w*|propos\w*|suggest\w*|consider\w*|discuss\w*|debat\w*|plan\w*"
    r"|potential|possibl[ey]|whether|if|could|would|might|may|should|hop\w*|believ\w*"
    r"|thought|think\w*|assum\w*|expect\w*|attempt\w*|try|tries|tried|trying|wants?"
    r"|wanted|needs?|needed|how to|in order to|options?|idea|prepar\w*|wait\w*|unless)\b"
)
# Words after it, in its clause, that take it back: "the rollback was proposed", "failover
# did not help", "the revert failed".
_NOT_DONE_AFTER = re.compile(
    r"(?i)^\W*(?:\w+\W+){0,3}?(?:(?:is|was|were|are|be|been|being)\s+)?(?:proposed|suggested"
    r"|considered|discussed|planned|rejected|cancell?ed|aborted|failed|fails|not|\w+n't"
    r"|no longer|impossible|unsuccessful)\b"
)
# Quoted output (fenced blocks, inline code) is what a machine printed, not the event.
_CODE = re.compile(r"```.*?(?:```|$)|`[^`\n]*`", re.DOTALL)


def _headline(text: str) -> str:
    """The part of an entry that tells what happened then: its first paragraph, code
    removed. Later paragraphs give background ("This occurred once previously ... The
    first occurrence resolved itself") that is not this event."""
    prose = _CODE.sub(" ", text)
    paragraphs = [part for part in re.split(r"\n[ \t]*\n", prose) if part.strip()]
    return paragraphs[0] if paragraphs else prose


def _asserted(text: str, match: re.Match[str]) -> bool:
    """Whether the clause holding ``match`` says the outcome happened."""
    start = max((found.end() for found in _CLAUSE_END.finditer(text, 0, match.start())), default=0)
    end_found = _CLAUSE_END.search(text, match.end())
    end = end_found.start() if end_found else len(text)
    if _NOT_DONE_BEFORE.search(text[start : match.start()]):
        return False
    if _NOT_DONE_AFTER.search(text[match.end() : end]):
        return False
    sentence_end = _SENTENCE_END.search(text, match.end())
    return not (sentence_end and sentence_end.group() == "?")


def infer_kind(text: str) -> EventKind:
    headline = _headline(text)
    for kind, pattern in _COMPILED:
        for match in pattern.finditer(headline):
            if kind not in _OUTCOMES or _asserted(headline, match):
                return kind
    return EventKind.NOTE
