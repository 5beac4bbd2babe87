"""What an action item's text says: done, no work, only a ticket, and which fields it has.

Read by kintsugi.lint.action_items for list items and table cells; the patterns come from
the reviews of real post-mortems in docs/lint-review.md (each names the forms it covers).
"""

from __future__ import annotations

import re
from datetime import date, datetime

# The owner reader is shared with the importer (kintsugi.core.markdown.owners): lint asks
# whether an item names its owner the way import reads one.
from kintsugi.core.markdown.owners import ITEM_LABEL as _LABEL
from kintsugi.core.markdown.owners import OWNER_IN_TEXT as OWNER_IN_TEXT
from kintsugi.core.markdown.owners import TOPIC_WORDS as TOPIC_WORDS
from kintsugi.core.markdown.owners import owner_label as owner_label

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
    r"(?!(?:need|proceed|exceed|succeed|feed|seed|speed)\b)\w+ed\b"
    # a state restored or put in place: "The nightly vacuum is back", "2FA is now enforced"
    r"|^(?:the [^,.;:]{1,60}?|this|it|[\w`-]+)\s+(?:is|are)\s+(?:now\s+)?(?:back|live"
    r"|in place|enforced|enabled|restored|deployed|fixed)\b(?!\s+(?:when|once|after|by|if)\b)",
    re.I,
)
# An item that opens on a verb in the past tense, with no subject ("Sent the notice to
# every affected team", "Re-worked the secrets handling"): done when an item beside it is
# marked done; alone, "Automated tests for X" may be a title for work still to do.
PAST_ITEM = re.compile(
    r"^[*_✅✔☑\s]*(?!(?:Need|Feed|Speed|Proceed|Exceed|Succeed|Seed|Embed|Red|Shed)\b)"
    r"(?:[A-Z][a-z]+(?:-[a-z]+)?ed|Sent|Made|Built|Rebuilt|Wrote|Rewrote|Ran|Shipped|Set up|Put"
    r"|Took|Gave"
    r"|Held|Began|Brought|Rolled back|Spun up)\b(?!\s+(?:by|to be|on|in)\b)"
)
# Participles that title work to do as often as they report it ("Automated tests for the
# cache", "Improved paging"): read as past only with an object after them.
ADJECTIVE_PARTICIPLES = frozenset(
    {"automated", "improved", "increased", "reduced", "enhanced", "extended", "dedicated",
     "integrated", "centralized", "centralised", "distributed", "expanded", "unified",
     "simplified", "detailed", "scheduled", "managed", "structured", "advanced",
     "hardened", "isolated", "versioned", "tiered", "staged", "guarded", "limited"}
)  # fmt: skip
# Past tenses that start or plan work rather than finish it: "Started mapping out a path",
# "Made a plan to implement load shedding", "Filed an issue to track" are open work.
_OPENING_PAST = re.compile(
    r"^(?:Started|Began|Planned|Proposed|Scheduled|Requested|Asked|Drafted|Opened|Filed"
    r"|Discussed|Considered|Explored|Identified|Made a plan|Agreed|Decided|Raised)\b"
)
# A past tense with an adverb before it ("Temporarily doubled the rewards") or an object
# after it ("Migrated the Asia node", "Documented and published a report"): a verb, not
# an adjective in a title for work to do ("Automated tests for the importer").
_PAST_CLAUSE = re.compile(
    r"^[*_✅✔☑\s]*(?:[A-Z][a-z]+ly\s+[a-z]+ed\b"
    r"|(?:[A-Z][a-z]+(?:-[a-z]+)?ed|Sent|Made|Built|Wrote|Ran|Shipped|Set|Put|Took|Gave|Held"
    r"|Brought|Spun|Rebuilt|Rewrote|Reran|Resent|Reset)(?:\s+(?:up|out|off|down|back))?(?:\s+and\s+[a-z]+ed)?\s+(?:the|a|an|all"
    r"|our|their|its|any|every|some|more|each|both|two|three|\d+)\b)"
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
TICKET_IN_TEXT = re.compile(
    r"\b[A-Z][A-Z0-9]+-\d+\b|(?:^|[\s(\[,;])#\d+\b|(?<![\w.-])[\w.-]+/[\w.-]+#\d+\b|https?://\S+"
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
    return bool(DONE_TEXT.search(body) or DONE_TENSE.search(without_label(body)))


def reads_past(body: str) -> bool:
    """An item that opens on a verb in the past tense, after its label ("[ICL] Removed
    ...", "Temporarily doubled ..."), and not on one that only starts work."""
    text = without_label(body)
    plain = text.lstrip("*_✅✔☑ ")
    if _OPENING_PAST.match(plain):
        return False
    if _PAST_CLAUSE.match(text):
        return True
    first = plain.split(" ", 1)[0].lower()
    return bool(PAST_ITEM.match(text)) and first not in ADJECTIVE_PARTICIPLES


def reads_past_clause(body: str) -> bool:
    """A past tense that is surely a verb: with an adverb before it or an object after."""
    text = without_label(body)
    return reads_past(body) and bool(_PAST_CLAUSE.match(text))


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


def without_label(text: str) -> str:
    """The item's text after a leading label, owner or topic ("**Temporary fix**: We've
    enabled ...", "[ICL] Removed ..."), so that its tense is read where its verb is."""
    match = _LABEL.match(text)
    return text[match.end() :] if match else text


# Readers' instructions ("Visit your dashboard and re-enable the bot") address the people
# affected, and events ("Full service will automatically resume on April 6") happen on
# their own: neither is the team's work, so neither asks for an owner, a ticket or a date.
_TO_READER = re.compile(r"^\W*[\w-]+(?:\s+[\w-]+)?\s+(?:your|you)\b", re.I)
_BY_US = re.compile(r"\b(?:we|our|us|we'll|we're|we've|team)\b", re.I)
_ON_ITS_OWN = re.compile(
    r"\bwill\s+(?:automatically\s+|then\s+)?(?:resume|end|expire|lapse|be lifted|come back"
    r"|be restored|return to normal)\b",
    re.I,
)


def not_team_work(text: str) -> bool:
    """An item addressed to the reader ("Visit your dashboard") or telling an event ("Full
    service will automatically resume on April 6"), not work the team will do."""
    plain = without_label(text).lstrip("*_ ")
    if _BY_US.search(plain):
        return False
    return bool(_TO_READER.match(plain) or _ON_ITS_OWN.search(plain))


# A follow-up list introduced in the first person singular ("here are the two things I'll
# be changing"), in a document with no "we": a one-person project, whose items the writer
# owns.
_WRITER_COMMITS = re.compile(r"\bI(?:'ll|’ll| will| am going to|'m going to|’m going to)\b")
_WE = re.compile(r"\b(?:we|we'll|we're|we've|our|us)\b", re.I)


def owned_by_writer(section_text: str, document_text: str) -> bool:
    """Whether the writer commits to the items ("I'll be changing") in a document that
    never speaks as a team ("we"), so that they own them."""
    return bool(_WRITER_COMMITS.search(section_text)) and not _WE.search(document_text)
