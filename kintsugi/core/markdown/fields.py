"""Cleaning and checking single values, shared by the Markdown and JSON importers.

Each ``clean_*`` function takes what a person typed, returns the normal form that the
exchange format stores (surrounding whitespace stripped, LF newlines) and raises a
:class:`ValidationProblem` that names the field when the value cannot be stored. The
importers add the line number or JSON path; the messages stay the same everywhere.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from kintsugi.core.document import (
    MAX_LIST_ITEMS,
    MAX_NAME,
    MAX_TICKET_ID,
    MAX_TITLE,
    MAX_URL,
)
from kintsugi.core.errors import ValidationProblem

# The vocabularies' word tables live in values.py; their readers stay importable from here.
from kintsugi.core.markdown.values import parse_postmortem_status as parse_postmortem_status
from kintsugi.core.markdown.values import parse_priority as parse_priority
from kintsugi.core.markdown.values import parse_priority_word as parse_priority_word
from kintsugi.core.markdown.values import parse_severity as parse_severity
from kintsugi.core.markdown.values import word_key
from kintsugi.core.vocabulary import ActionStatus, EvidenceKind

# Control characters cannot be typed, break terminals and tables, and C1 controls (U+0085)
# count as line breaks in YAML: refuse them rather than store surprises.
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_IN_LINE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]")

# Django's username rule (letters, digits and @ . + - _): owners and authors are users.
# Team and service identifiers are slugs, as in their URLs.
SLUG_PATTERN = re.compile(r"[-\w]+")
# Ticket keys as trackers write them: ABC-123, #42, org/repo#42, Bug 12345. No brackets,
# no colon and no backslash, so a key can never be mistaken for a link in a table cell.
TICKET_ID_PATTERN = re.compile(r"[\w#./@+-]+(?: [\w#./@+-]+)*")
# Characters that RFC 3986 never allows in a URL and that would break Markdown links.
_URL_FORBIDDEN = re.compile(r"[\s<>\"`\\\x00-\x1f\x7f-\x9f]")


def normalise_newlines(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _label(field: str) -> str:
    return re.sub(r"\[\d+\]", "", field).rsplit(".", 1)[-1].replace("_", " ")


def clean_text(value: str, *, field: str, limit: int, required: bool = False) -> str:
    """Multi-line text (Markdown): stripped, LF newlines, within ``limit`` characters."""
    text = normalise_newlines(value).strip()
    if required and not text:
        raise ValidationProblem(f"The {_label(field)} is empty; write something.", field=field)
    _check_characters(text, _CONTROL_IN_TEXT, field)
    if len(text) > limit:
        raise ValidationProblem(
            f"The {_label(field)} is {len(text):,} characters long; the limit is {limit:,}.",
            field=field,
        )
    return text


def clean_line(value: str, *, field: str, limit: int, required: bool = True) -> str:
    """One line of text (titles, labels): no line breaks, within ``limit`` characters."""
    text = value.strip()
    if "\n" in text or "\r" in text:
        raise ValidationProblem(
            f"The {_label(field)} must fit on one line; move details to a description.",
            field=field,
        )
    return clean_text(text, field=field, limit=limit, required=required)


def clean_title(value: str, *, field: str) -> str:
    return clean_line(value, field=field, limit=MAX_TITLE)


def _check_characters(text: str, pattern: re.Pattern[str], field: str) -> None:
    match = pattern.search(text)
    if match is not None:
        raise ValidationProblem(
            f"The {_label(field)} contains the control character "
            f"U+{ord(match.group()):04X}, which text cannot hold.",
            field=field,
        )


def _clean_identifier(
    value: str, *, field: str, pattern: re.Pattern[str], limit: int, what: str
) -> str:
    text = value.strip()
    if not text:
        raise ValidationProblem(f"The {_label(field)} is empty.", field=field)
    if len(text) > limit:
        raise ValidationProblem(
            f"The {_label(field)} {text[:40]!r}... is {len(text)} characters long; "
            f"the limit is {limit}.",
            field=field,
        )
    if not pattern.fullmatch(text):
        raise ValidationProblem(f"{text!r} is not a valid {what}.", field=field)
    return text


def clean_person(value: str, *, field: str) -> str:
    """Someone as a document names them: a username, an email address or a full name
    ("Jennifer Smith" in a Google SRE book table). One line, spaces collapsed; which user
    it is gets decided on import, against the people Kintsugi knows."""
    return " ".join(clean_line(value, field=field, limit=MAX_NAME).split())


def clean_slug(value: str, *, field: str) -> str:
    return _clean_identifier(
        value,
        field=field,
        pattern=SLUG_PATTERN,
        limit=MAX_NAME,
        what="slug (letters, digits, - and _ only, such as 'payments-api')",
    )


def clean_region(value: str, *, field: str) -> str:
    return clean_line(value, field=field, limit=MAX_NAME)


def clean_revision(value: str, *, field: str) -> str:
    """The export's revision digest: written by Kintsugi, so anything else is refused."""
    text = value.strip()
    if not re.fullmatch(r"[0-9a-f]{8,64}", text):
        raise ValidationProblem(
            "The revision is Kintsugi's digest of the exported post-mortem (8 to 64 hex "
            "digits); remove it rather than editing it.",
            field=field,
        )
    return text


def clean_ticket_id(value: str, *, field: str) -> str:
    return _clean_identifier(
        value,
        field=field,
        pattern=TICKET_ID_PATTERN,
        limit=MAX_TICKET_ID,
        what="ticket ID (such as ABC-123, #42 or org/repo#42; put the link in the ticket URL)",
    )


def clean_url(value: str, *, field: str) -> str:
    """An http(s) link. Other schemes (``javascript:``, ``data:``, ``file:``) are refused:
    links end up in pages and exports that other people click."""
    url = value.strip()
    if not url:
        raise ValidationProblem(f"The {_label(field)} is empty.", field=field)
    if len(url) > MAX_URL:
        raise ValidationProblem(
            f"The {_label(field)} is {len(url):,} characters long; the limit is {MAX_URL:,}.",
            field=field,
        )
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in ("http", "https"):
        shown = url if len(url) <= 60 else url[:57] + "..."
        raise ValidationProblem(
            f"Only http:// and https:// links are allowed, not {shown!r}.", field=field
        )
    bad = _URL_FORBIDDEN.search(url)
    if bad is not None:
        raise ValidationProblem(
            f"The link {url[:60]!r} contains {bad.group()!r}, which a URL cannot hold; "
            "percent-encode it (a space is %20).",
            field=field,
        )
    try:
        host = urlsplit(url).hostname
    except ValueError:
        host = None
    if not host:
        raise ValidationProblem(f"The link {url[:60]!r} has no host name.", field=field)
    return url


def check_count(count: int, *, field: str, limit: int = MAX_LIST_ITEMS) -> None:
    if count > limit:
        raise ValidationProblem(
            f"Too many {_label(field)}: {count}; the limit is {limit}.", field=field
        )


_key = word_key


_ACTION_STATUS_WORDS = {
    ActionStatus.OPEN: ("open", "todo", "to do", "not started", "new", "planned"),
    ActionStatus.IN_PROGRESS: ("in progress", "wip", "started", "doing", "ongoing"),
    ActionStatus.DONE: ("done", "fixed", "complete", "completed", "closed", "resolved"),
    ActionStatus.WONT_DO: (
        "won't do",
        "wont do",
        "won't fix",
        "wont fix",
        "wontfix",
        "rejected",
        "declined",
        "cancelled",
        "canceled",
    ),
}


def parse_action_status(value: object, *, field: str = "status") -> ActionStatus:
    key = _key(value)
    for status, words in _ACTION_STATUS_WORDS.items():
        if key in words:
            return status
    raise ValidationProblem(
        f"Unknown action item status {str(value)!r}; use Open, In progress, Done or Won't do.",
        field=field,
    )


def parse_evidence_kind(value: object, *, field: str = "kind") -> EvidenceKind:
    key = _key(value)
    for kind in EvidenceKind:
        if key == kind.value:
            return kind
    allowed = ", ".join(kind.value for kind in EvidenceKind)
    raise ValidationProblem(
        f"Unknown evidence kind {str(value)!r}; use one of: {allowed}.", field=field
    )
