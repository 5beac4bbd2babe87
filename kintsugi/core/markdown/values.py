"""Words people write for severities, statuses and priorities, and what each one means here.

Teams grade incidents on their own scales (Critical/Major/Minor, P1..P4, "Sev 1", "Level
2", a status page's "major outage"). Reading such a word as one of our values is a
decision, not a fact: the readers below say whether a value was written in our own
spelling (``exact``) or mapped through these tables, so that the importer can report every
mapping and the strict reader can refuse it. A word that is in no table is never guessed.

The tables are data: docs/markdown-format.md shows them, and a test checks that every
word in them is read both ways (mapped with a note, refused in strict mode).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Generic, TypeVar

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.vocabulary import PostmortemStatus, Priority, Severity

T = TypeVar("T")


def word_key(value: object) -> str:
    """Case, spaces, ``_`` and ``-`` do not matter: "In-Review" and "in review" are one word."""
    text = str(value).strip().lower().replace("’", "'")
    return re.sub(r"[\s_-]+", " ", text).strip()


@dataclass(frozen=True)
class Reading(Generic[T]):
    """A value read from a word; ``exact`` when the word is our own spelling of it."""

    value: T
    exact: bool


# Severity words of other scales, most severe first. Our own labels ("SEV2 - Major") and
# "SEV2" in any case or spacing are exact; everything here is a mapping.
SEVERITY_WORDS: dict[Severity, tuple[str, ...]] = {
    Severity.SEV1: (
        "critical",
        "catastrophic",
        "blocker",
        "emergency",
        "highest",
        "major outage",
        "full outage",
        "total outage",
    ),
    Severity.SEV2: ("major", "high", "serious", "severe", "partial outage"),
    Severity.SEV3: (
        "minor",
        "medium",
        "moderate",
        "normal",
        "degraded",
        "degraded performance",
    ),
    Severity.SEV4: (
        "low",
        "lowest",
        "trivial",
        "cosmetic",
        "informational",
        "under maintenance",
        "near miss",
    ),
}
# Numbered scales: "SEV 0" and "P0" are the most severe step of scales that start at 0,
# read as our most severe, SEV1; a fifth step (SEV5, P5) is below SEV4, read as SEV4.
_SEV_OWN = re.compile(r"sev ?([1-4])")
_SEVERITY_NUMBERED = re.compile(
    r"(?:sev|severity|s|p|priority|level|lvl|l|incident level|impact level)? ?([0-5])"
)
_SEVERITY_FOR_NUMBER = {
    "0": Severity.SEV1,
    "1": Severity.SEV1,
    "2": Severity.SEV2,
    "3": Severity.SEV3,
    "4": Severity.SEV4,
    "5": Severity.SEV4,
}
_SEVERITY_LOOKUP = {word: severity for severity, words in SEVERITY_WORDS.items() for word in words}
# "SEV2 (Major)", "Critical - site down", "P1: high": each part is tried in turn, also
# without words that only say what the value is ("Major incident", "High impact").
_PARTS = re.compile(r"\s*(?:[(),;:/|]| - | – | — )\s*")
_FILLER = re.compile(r"^(?:incident|impact|severity) | (?:incident|impact|severity|issue)$")


# Emoji, emphasis and punctuation around a word ("🔴 **Critical**", "SEV1.") say nothing more.
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")


def _one_severity(key: str) -> Reading[Severity] | None:
    key = _EDGES.sub("", key)
    if not key:
        return None
    bare = _FILLER.sub("", key).strip()
    if bare != key:
        return _one_severity(bare)
    for severity in Severity:
        if key == word_key(severity.label):
            return Reading(severity, exact=True)
    own = _SEV_OWN.fullmatch(key)
    if own is not None:
        return Reading(Severity(f"SEV{own.group(1)}"), exact=True)
    numbered = _SEVERITY_NUMBERED.fullmatch(key)
    if numbered is not None:
        return Reading(_SEVERITY_FOR_NUMBER[numbered.group(1)], exact=False)
    mapped = _SEVERITY_LOOKUP.get(key)
    return None if mapped is None else Reading(mapped, exact=False)


def read_severity(value: object) -> Reading[Severity] | None:
    """The severity a word means, or None when no table knows it (never a guess).

    A value with several parts ("SEV2 (Major)") is read when its parts agree; parts that
    disagree ("P1 - Minor") are not read, because either reading could be wrong.
    """
    whole = _one_severity(word_key(value))
    if whole is not None:
        return whole
    parts = _PARTS.split(str(value).strip().lower())
    readings = [found for part in parts if (found := _one_severity(word_key(part)))]
    if not readings or len({reading.value for reading in readings}) > 1:
        return None
    return Reading(readings[0].value, exact=any(reading.exact for reading in readings))


def parse_severity(value: object, *, field: str = "severity") -> Severity:
    """Our own spelling only (SEV1..SEV4, ``sev-2``, the labels): the strict readers."""
    reading = read_severity(value)
    if reading is None or not reading.exact:
        raise ValidationProblem(
            f"Unknown severity {str(value)!r}; use SEV1, SEV2, SEV3 or SEV4.", field=field
        )
    return reading.value


# Only our own status words are read as a status: any other word ("Complete", "Final",
# "Resolved") is a team's own workflow, and publishing on its strength would skip review.
_STATUS_WORDS = {
    PostmortemStatus.DRAFT: ("draft",),
    PostmortemStatus.IN_REVIEW: ("in review",),
    PostmortemStatus.APPROVED: ("approved",),
    PostmortemStatus.PUBLISHED: ("published",),
}


def read_status(value: object) -> Reading[PostmortemStatus]:
    """Our own status, or a draft (not exact) for any other word."""
    key = word_key(value)
    for status, words in _STATUS_WORDS.items():
        if key in words:
            return Reading(status, exact=True)
    return Reading(PostmortemStatus.DRAFT, exact=False)


def parse_postmortem_status(value: object, *, field: str = "status") -> PostmortemStatus:
    reading = read_status(value)
    if not reading.exact:
        raise ValidationProblem(
            f"Unknown post-mortem status {str(value)!r}; use draft, in_review, approved or published.",
            field=field,
        )
    return reading.value


# Action-item priority words. Ours are P0 (most urgent) to P3 and their labels.
PRIORITY_WORDS: dict[Priority, tuple[str, ...]] = {
    Priority.P0: ("immediate", "critical", "urgent", "blocker", "highest", "asap"),
    Priority.P1: ("high", "must", "must have", "important"),
    Priority.P2: ("medium", "normal", "moderate", "should", "should have"),
    Priority.P3: (
        "low",
        "lowest",
        "minor",
        "trivial",
        "could",
        "could have",
        "nice to have",
        "someday",
    ),
}
_PRIORITY_LOOKUP = {word: priority for priority, words in PRIORITY_WORDS.items() for word in words}
_PRIORITY_OWN = re.compile(r"p ?([0-3])")
# "P4", "priority 2", a bare "1": a numbered scale of five steps, whose last is our P3.
_PRIORITY_NUMBERED = re.compile(r"(?:p|priority|prio) ?([0-4])|([0-4])")


def read_priority(value: object) -> Reading[Priority] | None:
    """The priority a word means, or None when no table knows it."""
    key = _EDGES.sub("", word_key(value))
    own = _PRIORITY_OWN.fullmatch(key)
    if own is not None:
        return Reading(Priority(f"P{own.group(1)}"), exact=True)
    for priority in Priority:
        if key == word_key(priority.label):
            return Reading(priority, exact=True)
    numbered = _PRIORITY_NUMBERED.fullmatch(key)
    if numbered is not None:
        number = min(int(numbered.group(1) or numbered.group(2)), 3)
        return Reading(Priority(f"P{number}"), exact=False)
    mapped = _PRIORITY_LOOKUP.get(key)
    return None if mapped is None else Reading(mapped, exact=False)


def parse_priority_word(value: object, *, field: str = "priority") -> tuple[Priority, bool]:
    """``(priority, exact)`` for any word the tables know; raise for an unknown one.

    For best-effort readers: when ``exact`` is False, report the mapping ("priority 'High'
    read as P1"); in strict mode, refuse it.
    """
    reading = read_priority(value)
    if reading is None:
        raise ValidationProblem(
            f"Unknown priority {str(value)!r}; use P0 (most urgent), P1, P2 or P3.", field=field
        )
    return reading.value, reading.exact


def parse_priority(value: object, *, field: str = "priority") -> Priority:
    """Any word the priority table knows, without saying whether it was mapped."""
    return parse_priority_word(value, field=field)[0]
