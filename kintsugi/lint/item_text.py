"""What an action item's text says: done, no work, only a ticket, and which fields it has.

Read by kintsugi.lint.action_items for list items and table cells; the patterns come from
the reviews of real post-mortems in docs/lint-review.md (each names the forms it covers).
"""

from __future__ import annotations

import re
from datetime import date, datetime

# An item already done needs no owner, ticket or date to be tracked by (relaxed profile).
DONE_TEXT = re.compile(
    r"^~~.*~~$|\b(?:DONE|COMPLETED|FIXED)\b|[✅✔☑]"
    # a proposal decided against is closed: "it was rejected", "won't fix"
    r"|\b(?i:(?:was|were|has been|have been) (?:rejected|declined|turned down|abandoned)"
    r"|won'?t fix|wontfix)\b"
    r"|[(_*]\s*(?i:done|completed?|fixed|resolved)\b[^()_*]*[)_*]+\s*\.?\s*$",
)
# A measure reported as taken ("We have enabled 2FA", "The action has been disabled") is
# done, in the relaxed profile: security disclosures list what was done under "What we're
# doing about it".
DONE_TENSE = re.compile(
    r"^(?:[*_]*\s*)(?:(?:we|they|the [^,.;:]{1,60}?|this|it|[\w`-]+)\s+(?:have|has|had)"
    r"|(?:we|they)['’]ve)\s+(?:(?:now|already|also|since|long|\w+ly|for (?:several|many"
    r"|some|a few|\w+) (?:years|months|weeks|days))\s+)?(?!been\s+\w+ing\b)(?:been\s+)?"
    r"\w+(?:ed|en|wn|ne| up)\b"
    r"|^(?:we|they)\s+(?:(?:also|then|now|already)\s+)?"
    r"(?!(?:need|proceed|exceed|succeed|feed|seed|speed)\b)\w+ed\b",
    re.I,
)
# An item that opens on a verb in the past tense, with no subject ("Sent the notice to
# every affected team", "Re-worked the secrets handling"): done when an item beside it is
# marked done; alone, "Automated tests for X" may be a title for work still to do.
PAST_ITEM = re.compile(
    r"^[*_✅✔☑\s]*(?!(?:Need|Feed|Speed|Proceed|Exceed|Succeed|Seed|Embed|Red|Shed)\b)"
    r"(?:[A-Z][a-z]+(?:-[a-z]+)?ed|Sent|Made|Built|Wrote|Ran|Shipped|Set up|Put|Took|Gave"
    r"|Held|Began|Brought|Rolled back|Spun up)\b(?!\s+(?:by|to be|on|in)\b)"
)
# A heading that marks the items under it done ("Immediate actions (completed)", "Done",
# "Completed actions", "Shipped ✅").
DONE_GROUP = re.compile(
    r"[(\[]\s*(?:completed?|done|finished|resolved|fixed|closed|shipped)\s*[)\]]|[✅✔☑]"
    r"|^\W*(?:completed|done|finished|shipped)\b(?!\s+(?:by|when|in|before)\b)",
    re.I,
)
# A target for a group of items written in its heading: a quarter or a half ("Long-term
# (Q4 2025 - Q1 2026)"), or a date said to be the target ("(target: 2026-01-15)").
QUARTER = re.compile(r"\b(?:Q[1-4]|H[12])\s*(?:FY\s*)?['’]?(?:\d{4}|\d{2})\b", re.I)
_TARGET_WORD = re.compile(r"\b(?:target|due|by|deadline|eta)\b", re.I)
DONE_STATUS = frozenset({"done", "closed", "complete", "completed", "fixed", "resolved", "yes"})
EMPTY_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+\[[ xX]\])?\s*$")
# An item that says there is nothing to do ("- N/A", "- None yet"): a placeholder left in a
# template, not work that could have an owner (the blind review in docs/lint-review.md).
PLACEHOLDER = re.compile(
    r"^(?:\[[ xX]\]\s*)?(?:n/?a|none(?: yet| at this time| identified)?|nothing(?: yet)?|tbd"
    r"|to be determined|-+|—)[.!]?$",
    re.IGNORECASE,
)
# An item that is this very report ("Write an incident report", "Publish the post-mortem"):
# the document does it by existing, so it is no follow-up work (the blind review).
META_ITEM = re.compile(
    r"^(?:\[[ xX]\]\s*)?(?:write(?: up)?|draft|publish|finish|complete|prepare|share|post"
    r"|do|hold|run|create)\s+(?:an?|the|this|our)?\s*(?:(?:incident|outage|post[- ]?incident)"
    r"\s+(?:report|review|write[- ]?up|summary|document|doc)|post[- ]?mortem(?:\s+(?:report"
    r"|document|doc|review))?|retrospective|write[- ]?up|rca"
    r"|report(?=(?:\s+(?:on|for|about|of)\s+(?:this|the)\s+(?:incident|outage|event))?\W*$))"
    r"(?:\s+(?!and\b|then\b|to\b)\S+){0,6}?\s*[.!]?$",
    re.IGNORECASE,
)
# An item that is only a tracker reference ("- #2127", "- [OPS-12](https://...)"): the
# owner lives in the tracker, as its dates do.
TRACKER_ONLY = re.compile(
    r"^(?:\[[ xX]\]\s*)?(?:\[?#\d+\]?(?:\([^)\s]*\))?|\[[^\]]+\]\(https?://[^)\s]+\)"
    r"|<?https?://\S+>?|[A-Z][A-Z0-9]+-\d+)[.,;]?$"
)
# A paragraph that speaks of the list above it: "Add these to...", "both of them", "the above".
BACK_REFERENCE = re.compile(
    r"\b(?:these|those|them|both|all (?:of )?(?:these|them|the above)|the (?:above|items above))\b",
    re.IGNORECASE,
)
MISSING_VALUES = frozenset(
    {"", "-", "--", "—", "–", "tbd", "tba", "n/a", "na", "none", "unassigned", "unknown",
     "?", "??", "???", "todo", "to do", "nobody", "no one", "x"}
)  # fmt: skip
OWNER_IN_TEXT = re.compile(
    r"(?:^|[\s(\[,;])@[\w.-]+|\b(?:owners?|assignee|assigned to|dri)\b\s*[:=]?\s*\w", re.I
)
TICKET_IN_TEXT = re.compile(
    r"\b[A-Z][A-Z0-9]+-\d+\b|(?:^|[\s(\[,;])#\d+\b|[\w.-]+/[\w.-]+#\d+\b|https?://\S+"
    r"|\]\([^)\s]+\)|\bticket\s*[:=]\s*\S",
    re.I,
)
DATE_PATTERNS = (
    re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
    re.compile(r"\b(\d{4})/(\d{2})/(\d{2})\b"),
)
TEXT_DATE = re.compile(
    r"\b(?:\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})\b"
)


def reads_done(body: str) -> bool:
    return bool(DONE_TEXT.search(body) or DONE_TENSE.search(body))


def is_missing(value: str) -> bool:
    return re.sub(r"[*_`~]", "", value).strip().lower() in MISSING_VALUES


def is_target(value: str) -> bool:
    """A target completion date: a date, or a quarter or half ("Q4 2025", "H1 2026")."""
    return bool(QUARTER.search(value)) or is_date(value)


def group_target(heading: str) -> bool:
    """Whether a heading over action items gives them a target: a quarter, or a date
    labelled as the target; a plain date in a heading may be when it was written."""
    return bool(QUARTER.search(heading)) or (
        bool(_TARGET_WORD.search(heading)) and is_date(heading)
    )


def is_date(value: str) -> bool:
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(value):
            try:
                date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                continue
            return True
    for match in TEXT_DATE.finditer(value):
        for fmt in ("%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y"):
            cleaned = re.sub(r"(?<=\d)(st|nd|rd|th)|[.,]", "", match.group())
            try:
                datetime.strptime(" ".join(cleaned.split()), fmt)
            except ValueError:
                continue
            return True
    return False
