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
- "paged" is *alert fired*: the page is how the detection reached a person.
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
        r"(?:errors?|failures?|timeouts?|5\d\d ?s?) (?:began|begin|start|started|spiked?)",
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


def infer_kind(text: str) -> EventKind:
    for kind, pattern in _COMPILED:
        if pattern.search(text):
            return kind
    return EventKind.NOTE
