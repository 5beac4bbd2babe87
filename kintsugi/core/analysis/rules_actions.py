"""Checks that tie the analysis to the action items: is every root cause addressed, and is
every action something that can be done?

"Not actionable" is a judgment; ours, documented in docs/five-whys.md, flags two kinds:

- exhortations: items that ask people to behave differently ("be more careful", "remind
  engineers", "retrain the team", "double-check", "pay more attention"). They rely on the
  memory and attention that already failed, and are never done;
- open-ended items: a vague verb (improve, investigate, review, fix, address...) with no
  object specific enough to say when it is done ("improve monitoring", "investigate the
  issue"), or an item of fewer than two meaningful words.

Training is fine when it is bounded ("run a failover game day with the on-call rotation
before 30 April"), and so is "improve" with an object ("improve monitoring of GraphQL
errors by alerting when the error rate exceeds 2%").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from kintsugi.core.analysis.findings import (
    ACTION_NOT_ACTIONABLE,
    ROOT_CAUSE_UNADDRESSED,
    Finding,
    Location,
)
from kintsugi.core.analysis.text import words
from kintsugi.core.analysis.tree import Chain
from kintsugi.core.analysis.words import STOPWORDS, word_set

_PEOPLE = r"(?:the\s+|all\s+|our\s+|every\s+)?(?:teams?|engineers?|staff|people|everyone|developers?|devs|operators?|on-?call\w*|sres?|reviewers?|support)"
_EXHORTATION = re.compile(
    r"^\s*(?:please\s+)?(?:"
    r"be\s+(?:more\s+|extra\s+|very\s+)?(?:careful|vigilant|cautious|aware|mindful|diligent"
    r"|attentive|thorough)"
    r"|pay\s+(?:more\s+|closer\s+|better\s+)?attention"
    r"|take\s+(?:more\s+|extra\s+)?care"
    r"|re-?remind|remind|re-?train|re-?educate"
    rf"|(?:train|educate|coach|teach)\s+{_PEOPLE}"
    r"|(?:raise|increase|create|improve)\s+awareness"
    r"|double[- ]check|triple[- ]check"
    r"|make\s+sure"
    rf"|ensure\s+(?:that\s+)?(?:{_PEOPLE}|we)\b"
    r"|try\s+(?:to|harder)|think\s+(?:twice|before)"
    r"|(?:communicate|document|test|plan|review|check)\s+(?:better|more)\b"
    rf"|(?:ask|tell|encourage|urge|require)\s+{_PEOPLE}\s+to"
    r"|(?:don'?t|do\s+not|never|avoid)\b"
    r"|follow\s+the\s+(?:process|runbook|procedure|checklist|rules)"
    r")",
    re.IGNORECASE,
)
_SHOULD = re.compile(
    r"\b(?:should|must|need\s+to)\s+(?:be\s+more|remember|always|never|pay|take\s+care)\b"
    r"|\bbe\s+more\s+careful\b|\bpay\s+more\s+attention\b",
    re.IGNORECASE,
)
_VAGUE_VERBS = word_set(
    "improve increase enhance strengthen optimise optimize fix address revisit review "
    "investigate explore evaluate consider discuss rethink clean look work tackle handle "
    "better analyse analyze assess check"
)
_GENERIC = word_set(
    "monitoring alerting alert alerts testing tests test process processes communication "
    "documentation docs things thing issue issues problem problems quality reliability "
    "stability system systems code coverage observability visibility performance tooling "
    "infrastructure situation incident incidents root cause causes security overall "
    "general awareness practices practice procedures procedure handling approach way ways "
    "everything stuff more better team teams going forward future further into up "
    "possible possibly options option solution solutions this that it"
)


def unaddressed_finding(chain: Chain, action_count: int | None) -> Finding | None:
    """The root cause of this branch links no (existing) action item."""
    number = chain.branch.root_cause_number
    if number is None or chain.branch.root_cause is None:
        return None
    linked = chain.branch.actions
    existing = [n for n in linked if action_count is None or 1 <= n <= action_count]
    if existing:
        return None
    location = Location(chain.path, number)
    if linked:
        missing = ", ".join(f"A{n}" for n in linked)
        count = action_count or 0
        return ROOT_CAUSE_UNADDRESSED.finding(
            location,
            message=(
                f"This root cause links {missing}, but the post-mortem has only {count} "
                f"action item{'s' if count != 1 else ''}. {ROOT_CAUSE_UNADDRESSED.message}"
            ),
        )
    return ROOT_CAUSE_UNADDRESSED.finding(location)


def action_findings(chains: Sequence[Chain], action_items: Sequence[str]) -> Iterator[Finding]:
    for number, title in enumerate(action_items, 1):
        if is_actionable(title):
            continue
        linking = next((chain for chain in chains if number in chain.branch.actions), None)
        if linking is None:
            location = Location(None, None, number)
        else:
            location = Location(linking.path, linking.branch.root_cause_number, number)
        yield ACTION_NOT_ACTIONABLE.finding(
            location, message=f"A{number} “{title.strip()}”: {ACTION_NOT_ACTIONABLE.message}"
        )


def is_actionable(title: str) -> bool:
    if _EXHORTATION.search(title) or _SHOULD.search(title):
        return False
    meaningful = [word for word in words(title) if word not in STOPWORDS and word != "not"]
    if len(meaningful) < 2:
        return False
    first = meaningful[0]
    if first in _VAGUE_VERBS:
        specific = [word for word in meaningful[1:] if word not in _GENERIC]
        return len(specific) >= 2
    return True
