"""Action-item field checks: every item needs an owner, a ticket and a target date.

What the document lacks is said once: when no action item has an owner (a table without
an Owner column, a list that names nobody), that is one finding at the table or section,
not one per row, because the author has one thing to fix. Items that miss a field their
neighbours have are reported one by one, since each is its own omission.

The ``relaxed`` profile (documents written elsewhere) keeps owner and ticket findings, asks
for target dates only in documents that track them (a due column, or some item with a
date: elsewhere the date lives in the tracker), and never reports row by row: several
items missing a field among others that have it are one finding listing their lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from kintsugi.core.language import Finding, Rule

Make = Callable[[Rule, int, int, str], Finding]

TABLE_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
LIST_ITEM = re.compile(
    r"^( {0,3})(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[(?P<check>[ xX])\][ \t]+)?(?P<body>\S.*)$"
)
# An item already done needs no owner, ticket or date to be tracked by (relaxed profile).
_DONE_TEXT = re.compile(
    r"^~~.*~~$|\b(?:DONE|COMPLETED|FIXED)\b|[✅✔☑]"
    # a proposal decided against is closed: "it was rejected", "won't fix"
    r"|\b(?i:(?:was|were|has been|have been) (?:rejected|declined|turned down|abandoned)"
    r"|won'?t fix|wontfix)\b"
    r"|[(_*]\s*(?i:done|completed?|fixed|resolved)\b[^()_*]*[)_*]+\s*\.?\s*$",
)
# A measure reported as taken ("We have enabled 2FA", "The action has been disabled") is
# done, in the relaxed profile: security disclosures list what was done under "What we're
# doing about it".
_DONE_TENSE = re.compile(
    r"^(?:[*_]*\s*)(?:we|they|the [^,.;:]{1,60}?|this|it|[\w`-]+)\s+"
    r"(?:have|has|had)\s+(?:(?:now|already|also|since|long|for (?:several|many|some|a few"
    r"|\w+) (?:years|months|weeks|days))\s+)?(?:been\s+)?\w+(?:ed|en|wn|ne| up)\b"
    r"|^(?:we|they)\s+(?:(?:also|then|now|already)\s+)?"
    r"(?!(?:need|proceed|exceed|succeed|feed|seed|speed)\b)\w+ed\b",
    re.I,
)
_DONE_STATUS = frozenset({"done", "closed", "complete", "completed", "fixed", "resolved", "yes"})
_EMPTY_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+\[[ xX]\])?\s*$")
# An item that says there is nothing to do ("- N/A", "- None yet"): a placeholder left in a
# template, not work that could have an owner (the blind review in docs/lint-review.md).
_PLACEHOLDER = re.compile(
    r"^(?:\[[ xX]\]\s*)?(?:n/?a|none(?: yet| at this time| identified)?|nothing(?: yet)?|tbd"
    r"|to be determined|-+|—)[.!]?$",
    re.IGNORECASE,
)
# An item that is this very report ("Write an incident report", "Publish the post-mortem"):
# the document does it by existing, so it is no follow-up work (the blind review).
_META_ITEM = re.compile(
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
_TRACKER_ONLY = re.compile(
    r"^(?:\[[ xX]\]\s*)?(?:\[?#\d+\]?(?:\([^)\s]*\))?|\[[^\]]+\]\(https?://[^)\s]+\)"
    r"|<?https?://\S+>?|[A-Z][A-Z0-9]+-\d+)[.,;]?$"
)
# A paragraph that speaks of the list above it: "Add these to...", "both of them", "the above".
_BACK_REFERENCE = re.compile(
    r"\b(?:these|those|them|both|all (?:of )?(?:these|them|the above)|the (?:above|items above))\b",
    re.IGNORECASE,
)
_ANY_LIST_ITEM = re.compile(r"^(\s*)(?:[-*+]|\d{1,9}[.)])[ \t]+\S")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[(?P<label>[^\]]+)\]:\s*(?P<target>\S+)")
_REFERENCE = re.compile(r"\[(?P<text>[^\]]+)\](?:\[(?P<label>[^\]]*)\])?")
_MISSING_VALUES = frozenset(
    {"", "-", "--", "—", "–", "tbd", "tba", "n/a", "na", "none", "unassigned", "unknown",
     "?", "??", "???", "todo", "to do", "nobody", "no one", "x"}
)  # fmt: skip
_OWNER_IN_TEXT = re.compile(
    r"(?:^|[\s(\[,;])@[\w.-]+|\b(?:owners?|assignee|assigned to|dri)\b\s*[:=]?\s*\w", re.I
)
_TICKET_IN_TEXT = re.compile(
    r"\b[A-Z][A-Z0-9]+-\d+\b|(?:^|[\s(\[,;])#\d+\b|[\w.-]+/[\w.-]+#\d+\b|https?://\S+"
    r"|\]\([^)\s]+\)|\bticket\s*[:=]\s*\S",
    re.I,
)
_DATE_PATTERNS = (
    re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
    re.compile(r"\b(\d{4})/(\d{2})/(\d{2})\b"),
)
_TEXT_DATE = re.compile(
    r"\b(?:\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})\b"
)
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")

FIELDS = ("owner", "ticket", "due")
_LABELS = {"owner": "Owner", "ticket": "Ticket", "due": "Due"}
_HINTS = {
    "owner": "names an owner (@name or 'Owner: name')",
    "ticket": "has a ticket (e.g. OPS-123 or a link)",
    "due": "has a target date (YYYY-MM-DD)",
}
_SINGLE = {
    "owner": "names no owner (@name or 'Owner: name')",
    "ticket": "has no ticket (e.g. OPS-123 or a link)",
    "due": "has no target date (YYYY-MM-DD)",
}
_NOUNS = {"owner": "an owner", "ticket": "a ticket", "due": "a target date"}


@dataclass
class Item:
    """One action item: a table row or a list item (with its continuation lines)."""

    line: int  # 0-based
    column: int
    values: dict[str, tuple[int, str] | None]  # field -> (column, text); None: no such column
    table: int | None = None  # header line of its table
    done: bool = False
    tracker_only: bool = False  # the item is a ticket reference and nothing else

    def has(self, name: str) -> bool:
        value = self.values.get(name)
        if value is None:
            return False
        text = value[1]
        if self.table is not None:
            return not is_missing(text)  # a cell that is not a date is reported on its own
        if name == "due":
            return is_date(text)
        pattern = _OWNER_IN_TEXT if name == "owner" else _TICKET_IN_TEXT
        return bool(pattern.search(text))


@dataclass
class Section:
    """What one action-items section holds."""

    heading: int
    title: str
    items: list[Item] = field(default_factory=list)
    tables: dict[int, dict[str, int]] = field(default_factory=dict)  # header -> field -> cell
    prose: int = 0  # paragraphs that are not items
    # Items that are no work: placeholders ("N/A") and this report itself ("Write an
    # incident report"), kept so that "no follow-up work" can say what was there instead.
    not_work: list[str] = field(default_factory=list)
    # A lessons section whose items are all work to do ("We need to..."), read as the
    # follow-ups of a document that has no action items section (relaxed profile).
    as_lessons: bool = False


def link_definitions(lines: Sequence[str]) -> dict[str, str]:
    """Reference-style link targets (``[issue-611]: https://...``), by lower-cased label."""
    found = {}
    for line in lines:
        match = _LINK_DEFINITION.match(line)
        if match:
            found[" ".join(match.group("label").lower().split())] = match.group("target")
    return found


def _with_targets(body: str, links: dict[str, str]) -> str:
    """The item's text with its reference links' targets, so ``([issue][alerting])`` and
    ``[#2226]`` count as the ticket links they are."""
    targets = []
    for match in _REFERENCE.finditer(body):
        label = match.group("label") or match.group("text")
        target = links.get(" ".join(label.lower().split()))
        if target:
            targets.append(target)
    return " ".join([body, *targets])


def read_section(
    lines: Sequence[str],
    heading: int,
    end: int,
    title: str,
    links: dict[str, str] | None = None,
    skip: Sequence[tuple[int, int]] = (),
) -> Section:
    section = Section(heading, title)
    item_indent: int | None = None
    run: list[Item] = []  # the list items just read, up to a heading or a paragraph
    number = heading + 1
    in_paragraph = False
    while number < end:
        skipped = next((stop for start, stop in skip if start == number), None)
        if skipped is not None:
            number = skipped
            in_paragraph = False
            continue
        line = lines[number]
        if "|" in line and number + 1 < end and TABLE_DELIMITER.match(lines[number + 1]):
            number = _read_table(lines, number, end, section)
            in_paragraph = False
            continue
        item = LIST_ITEM.match(line)
        if item and item_indent is None:
            item_indent = len(item.group(1))
        if item and len(item.group(1)) == item_indent:
            after = _item_end(lines, number, end)
            rest = " ".join(part.strip() for part in lines[number + 1 : after])
            text = f"{item.group('body')} {rest}".strip()  # wrapped lines, sub-points
            if _PLACEHOLDER.match(text) or _META_ITEM.match(text):
                section.not_work.append(text)
                number = after
                in_paragraph = False
                continue
            body = _with_targets(text, links or {})
            values: dict[str, tuple[int, str] | None] = {
                name: (len(item.group(1)) + 1, body) for name in FIELDS
            }
            done = item.group("check") in ("x", "X") or _reads_done(text)
            section.items.append(
                Item(
                    number,
                    len(item.group(1)) + 1,
                    values,
                    done=done,
                    tracker_only=bool(_TRACKER_ONLY.match(text)),
                )
            )
            run.append(section.items[-1])
            number = after
            in_paragraph = False
            continue
        stripped = line.strip()
        is_prose = bool(stripped) and not (
            _HEADING.match(line)
            or _LINK_DEFINITION.match(line)
            or stripped.startswith(("<!--", "![", "<"))
            or _ANY_LIST_ITEM.match(line)
            or _EMPTY_ITEM.match(line)
        )
        if is_prose and not in_paragraph:
            section.prose += 1
            _share_ticket(lines, number, end, run, links or {})
        if is_prose or _HEADING.match(line):
            run = []  # a paragraph or a heading ends the list it could speak of
        in_paragraph = is_prose
        number += 1
    return section


def _share_ticket(
    lines: Sequence[str], start: int, end: int, items: Sequence[Item], links: dict[str, str]
) -> None:
    """A paragraph right after a list that files its items together ("Add these to the
    documentation [see here for an issue](...)") gives each of them that ticket."""
    stop = next((n for n in range(start, end) if not lines[n].strip()), end)
    paragraph = _with_targets(" ".join(line.strip() for line in lines[start:stop]), links)
    if not items or not _BACK_REFERENCE.search(paragraph) or not _TICKET_IN_TEXT.search(paragraph):
        return
    for item in items:
        value = item.values.get("ticket")
        if value is not None and item.table is None:
            item.values["ticket"] = (value[0], f"{value[1]} {paragraph}")


def _reads_done(body: str) -> bool:
    return bool(_DONE_TEXT.search(body) or _DONE_TENSE.search(body))


def _item_end(lines: Sequence[str], start: int, end: int) -> int:
    """The line after a list item and its continuation (wrapped lines, sub-points)."""
    indent = len(lines[start]) - len(lines[start].lstrip())
    number = start + 1
    while number < end:
        line = lines[number]
        if not line.strip():
            following = next((n for n in range(number + 1, end) if lines[n].strip()), end)
            if following == end:
                return number
            nxt = lines[following]
            if len(nxt) - len(nxt.lstrip()) <= indent:
                return number
            number = following
            continue
        if _HEADING.match(line) or "|" in line and TABLE_DELIMITER.match(line):
            return number
        listed = _ANY_LIST_ITEM.match(line)
        if listed and len(listed.group(1)) <= indent:
            return number
        number += 1
    return number


def _read_table(lines: Sequence[str], header: int, end: int, section: Section) -> int:
    roles: dict[str, int] = {}
    for index, (_, text) in enumerate(cells(lines[header])):
        role = column_role(text)
        if role and role not in roles:
            roles[role] = index
    section.tables[header] = roles
    number = header + 2
    while number < end and "|" in lines[number] and lines[number].strip():
        row = cells(lines[number])
        if any(text for _, text in row):
            values: dict[str, tuple[int, str] | None] = {}
            for name in FIELDS:
                cell = roles.get(name)
                if cell is None:
                    values[name] = None
                else:
                    values[name] = row[cell] if cell < len(row) else (1, "")
            status = row[roles["status"]][1] if roles.get("status", len(row)) < len(row) else ""
            done = status.strip(" *_`").lower() in _DONE_STATUS or bool(_DONE_TEXT.search(status))
            section.items.append(Item(number, 1, values, table=header, done=done))
        number += 1
    return number


def cells(line: str) -> list[tuple[int, str]]:
    """(1-based column, text) of each cell of a table row; escaped pipes stay in the cell."""
    found: list[tuple[int, str]] = []
    stripped = line.rstrip()
    body_start = len(stripped) - len(stripped.lstrip())
    if stripped[body_start : body_start + 1] == "|":
        body_start += 1
    start = body_start
    index = body_start
    while index <= len(stripped):
        at_end = index == len(stripped)
        if at_end or (stripped[index] == "|" and stripped[index - 1 : index] != "\\"):
            raw = stripped[start:index]
            if not (at_end and not raw.strip() and found):
                lead = len(raw) - len(raw.lstrip())
                found.append((start + lead + 1, raw.strip().replace("\\|", "|")))
            start = index + 1
        index += 1
    return found


def column_role(header: str) -> str | None:
    name = " ".join(re.sub(r"[*_`~]", "", header).lower().split()).strip(" :.")
    if name.startswith(("owner", "assignee", "assigned")) or name in ("responsible", "dri", "who"):
        return "owner"
    if any(word in name for word in ("ticket", "bug", "issue", "jira", "tracking", "tracker")):
        return "ticket"
    if name in ("link", "links", "pr", "reference", "ref"):
        return "ticket"
    if any(word in name for word in ("due", "target", "deadline", "eta", "date")):
        return "due"
    if name in ("by", "when"):
        return "due"
    if name in ("status", "state", "done", "progress"):
        return "status"
    return None


def check_items(
    sections: Sequence[Section], rules: dict[str, Rule], make: Make, *, relaxed: bool
) -> list[Finding]:
    """Owner, ticket and due-date findings over every action item of the document."""
    items = [item for section in sections for item in section.items]
    if relaxed:
        items = [item for item in items if not item.done]
    if not items:
        return []
    findings: list[Finding] = []
    for name in FIELDS:
        rule = rules[name]
        if relaxed and name == "due" and not _tracks_dates(sections, items):
            continue
        missing = [item for item in items if not item.has(name)]
        if relaxed and name == "owner":
            missing = [item for item in missing if not item.tracker_only]
            if not missing:
                continue
        if len(missing) == len(items):
            findings.append(_none_has(name, rule, sections, items, make))
            continue
        columnless = {item.table for item in missing if item.table is not None}
        columnless = {t for t in columnless if item_field_absent(sections, t, name)}
        for table in sorted(columnless):
            count = sum(1 for item in missing if item.table == table)
            findings.append(
                make(
                    rule,
                    table,
                    1,
                    f"This action items table has no {_LABELS[name]} column: "
                    f"{_count(count)} without {_NOUNS[name]}.",
                )
            )
        rows = [item for item in missing if item.table not in columnless]
        if relaxed and len(rows) > 1:
            where = ", ".join(str(item.line + 1) for item in rows)
            findings.append(
                make(
                    rule,
                    rows[0].line,
                    rows[0].column,
                    f"{len(rows)} of {len(items)} action items have no {_word(name)} "
                    f"(lines {where}).",
                )
            )
            continue
        have = len(items) - len(missing)
        findings.extend(_row_finding(name, rule, item, make, have, len(items)) for item in rows)
    findings.extend(_bad_dates(items, rules["due"], make))
    return findings


def item_field_absent(sections: Sequence[Section], table: int, name: str) -> bool:
    return any(table in s.tables and name not in s.tables[table] for s in sections)


def _tracks_dates(sections: Sequence[Section], items: Sequence[Item]) -> bool:
    has_column = any("due" in roles for s in sections for roles in s.tables.values())
    return has_column or any(item.has("due") for item in items)


def _none_has(
    name: str, rule: Rule, sections: Sequence[Section], items: Sequence[Item], make: Make
) -> Finding:
    tables = {item.table for item in items}
    if len(tables) == 1 and None not in tables:
        header = next(iter(tables))
        assert header is not None
        if item_field_absent(sections, header, name):
            message = (
                f"The action items table has no {_LABELS[name]} column: "
                f"{_count(len(items))} without {_NOUNS[name]}."
            )
        else:
            message = (
                f"No action item has {_NOUNS[name]}: the {_LABELS[name]} column is empty in "
                f"all {len(items)} rows."
            )
        return make(rule, header, 1, message)
    # At the heading of the first section that holds the items (not an empty "Follow-up").
    heading = next(s.heading for s in sections if any(item in s.items for item in items[:1]))
    holder = next(s for s in sections if s.heading == heading)
    if holder.as_lessons:
        title = holder.title.strip(" #*_")
        if len(items) == 1:
            message = f"The follow-up written as a lesson under '{title}' {_SINGLE[name]}."
        else:
            message = (
                f"None of the {len(items)} follow-ups written as lessons under '{title}' "
                f"{_HINTS[name]}."
            )
    elif len(items) == 1:
        message = f"The action item {_SINGLE[name]}."
    else:
        message = f"None of the {len(items)} action items {_HINTS[name]}."
    return make(rule, heading, 1, message)


def _row_finding(name: str, rule: Rule, item: Item, make: Make, have: int, total: int) -> Finding:
    value = item.values.get(name)
    column = value[0] if value is not None and item.table is not None else item.column
    message = f"Action item has no {_word(name)} ({have} of {total} items have one)."
    return make(rule, item.line, column, message)


def _bad_dates(items: Sequence[Item], rule: Rule, make: Make) -> list[Finding]:
    """A due cell that holds something other than a date ("next sprint")."""
    found = []
    for item in items:
        value = item.values.get("due")
        if item.table is None or value is None or is_missing(value[1]) or is_date(value[1]):
            continue
        found.append(
            make(rule, item.line, value[0], f"Due date '{value[1]}' is not a date; use YYYY-MM-DD.")
        )
    return found


def _word(name: str) -> str:
    return {"owner": "owner", "ticket": "ticket", "due": "target date"}[name]


def _count(number: int) -> str:
    return f"{number} item{'s' if number != 1 else ''}"


def is_missing(value: str) -> bool:
    return re.sub(r"[*_`~]", "", value).strip().lower() in _MISSING_VALUES


def is_date(value: str) -> bool:
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(value):
            try:
                date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                continue
            return True
    for match in _TEXT_DATE.finditer(value):
        for fmt in ("%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y"):
            cleaned = re.sub(r"(?<=\d)(st|nd|rd|th)|[.,]", "", match.group())
            try:
                datetime.strptime(" ".join(cleaned.split()), fmt)
            except ValueError:
                continue
            return True
    return False
