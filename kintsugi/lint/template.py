"""Template completeness: the SRE post-mortem sections and the action-item fields.

A post-mortem without a timeline cannot give time-to-detect; an action item without an
owner, a ticket and a date is how post-mortem debt starts. These checks read the Markdown
line by line (headings, one table or list per section) without a full parser, so the CLI
stays fast and independent of the app's renderer in kintsugi.core.markdown.

A file with neither front matter nor any recognised section is not treated as a
post-mortem (a README linted by a pre-commit hook), so no template findings are reported
for it; the language rules still run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from kintsugi.core.language import Finding, Level, LintConfig, Rule
from kintsugi.core.language.prose import mask_code_blocks


def _rule(rule_id: str, severity: Level, title: str, message: str, suggestion: str) -> Rule:
    return Rule(rule_id, "template", severity, title, message, suggestion)


MISSING_SECTION = _rule(
    "template/missing-section",
    Level.WARNING,
    "Missing template section",
    "Every post-mortem has an Executive Summary, an Incident Timeline, Contributing Factors, "
    "Lessons Learned and Action Items: without them readers cannot see the impact, the "
    "metrics (time to detect, mitigate, resolve) or what will change.",
    "Add the section as a '## ' heading; the accepted names are listed in the message.",
)
NO_ACTION_ITEMS = _rule(
    "template/no-action-items",
    Level.WARNING,
    "No action items",
    "The Action Items section lists nothing. A post-mortem that changes nothing will be "
    "followed by the same incident.",
    "Add a table with Action, Owner, Ticket and Due columns, one row per item.",
)
ACTION_OWNER = _rule(
    "template/action-item-owner",
    Level.WARNING,
    "Action item without an owner",
    "An action item nobody owns is not done: it becomes post-mortem debt.",
    "Name one owner per item (a person, not a team), e.g. @alice.",
)
ACTION_TICKET = _rule(
    "template/action-item-ticket",
    Level.WARNING,
    "Action item without a ticket",
    "Without a ticket the item lives only in this document, outside the team's planning, "
    "and nobody sees it go overdue.",
    "File the work in the tracker and put its ID (e.g. OPS-123) or link in the Ticket column.",
)
ACTION_DUE = _rule(
    "template/action-item-due-date",
    Level.WARNING,
    "Action item without a target date",
    "Without a target completion date an item cannot be overdue, so it never is. High "
    "priority items are due within 14 days of the incident by default.",
    "Give each item a date as YYYY-MM-DD in the Due column.",
)
TEMPLATE_RULES = (MISSING_SECTION, NO_ACTION_ITEMS, ACTION_OWNER, ACTION_TICKET, ACTION_DUE)


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    names: tuple[str, ...]  # accepted headings, normalised


SECTIONS = (
    SectionSpec(
        "summary",
        "Executive Summary",
        ("executive summary", "summary", "impact", "overview", "incident summary", "tl;dr",
         "tldr", "customer impact", "impact summary", "summary of impact"),
    ),
    SectionSpec(
        "timeline",
        "Incident Timeline",
        ("incident timeline", "timeline", "chronology", "sequence of events", "detailed timeline",
         "timeline of events"),
    ),
    SectionSpec(
        "factors",
        "Contributing Factors",
        ("contributing factors", "root causes", "root cause", "root cause analysis", "causes",
         "causal factors", "trigger", "why it happened", "5 whys", "five whys"),
    ),
    SectionSpec(
        "lessons",
        "Lessons Learned",
        ("lessons learned", "lessons learnt", "lessons", "learnings", "takeaways",
         "what went well", "what went wrong", "what went poorly", "where we got lucky",
         "what we learned"),
    ),
    SectionSpec(
        "actions",
        "Action Items",
        ("action items", "actions", "follow-up actions", "follow-ups", "follow ups", "followups",
         "follow-up items", "corrective actions", "corrective and preventive actions",
         "remediation", "remediations", "next steps", "action plan", "preventive actions"),
    ),
)  # fmt: skip

_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_NUMBERING = re.compile(r"^(?:\d+|[ivx]+|[a-z])[.)]\s+")
_HEADING_SPLIT = re.compile(r"\s*(?:/|&|\+|,|;|:|\band\b|\s[-–—]\s)\s*")
_TABLE_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_LIST_ITEM = re.compile(r"^( {0,3})(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?(?P<body>\S.*)$")
_MISSING_VALUES = frozenset(
    {"", "-", "--", "—", "–", "tbd", "tba", "n/a", "na", "none", "unassigned", "unknown",
     "?", "??", "???", "todo", "to do", "nobody", "no one", "x"}
)  # fmt: skip
_OWNER_IN_TEXT = re.compile(
    r"(?:^|\s)@[\w.-]+|\b(?:owner|assignee|assigned to|dri)\s*[:=]?\s*\w", re.I
)
_TICKET_IN_TEXT = re.compile(
    r"\b[A-Z][A-Z0-9]+-\d+\b|(?:^|\s)#\d+\b|https?://\S+|\bticket\s*[:=]\s*\S", re.I
)
_DATE_PATTERNS = (
    re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
    re.compile(r"\b(\d{4})/(\d{2})/(\d{2})\b"),
)
_TEXT_DATE = re.compile(
    r"\b(?:\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})\b"
)


@dataclass(frozen=True)
class Heading:
    line: int  # 0-based
    level: int
    text: str


def normalise_heading(text: str) -> str:
    text = re.sub(r"[*_`~]|\[|\]\([^)]*\)|\]", "", text).lower()
    text = re.sub(r"\([^)]*\)", "", text)  # "Timeline (all times UTC)"
    text = _NUMBERING.sub("", text.strip())
    text = re.sub(r"[^\w\s/&+,;:'.-]", " ", text)  # emoji and decorations
    return " ".join(text.split()).strip(" .:-")


def section_of(heading: str) -> SectionSpec | None:
    """The template section a heading stands for, accepting the common variants."""
    name = normalise_heading(heading)
    parts = [name, *(p.strip() for p in _HEADING_SPLIT.split(name))]
    for spec in SECTIONS:
        if any(part in spec.names for part in parts):
            return spec
    return None


def find_headings(lines: Sequence[str]) -> list[Heading]:
    headings = []
    for number, line in enumerate(lines):
        atx = _ATX.match(line)
        if atx:
            headings.append(Heading(number, len(atx.group(1)), atx.group(2)))
        elif (
            number > 0
            and _SETEXT.match(line)
            and lines[number - 1].strip()
            and not _LIST_ITEM.match(lines[number - 1])
            and "|" not in lines[number - 1]
        ):
            level = 1 if line.strip().startswith("=") else 2
            headings.append(Heading(number - 1, level, lines[number - 1].strip()))
    return headings


Make = Callable[[Rule, int, int, str], Finding]


def check_template(text: str, config: LintConfig | None = None) -> list[Finding]:
    """Template findings for one Markdown post-mortem, honouring enable/disable/severity."""
    config = config or LintConfig()
    active = {rule.id for rule in TEMPLATE_RULES if config.is_enabled(rule.id)}
    if not active:
        return []
    masked = mask_code_blocks(text)
    lines = masked.split("\n")
    offsets = [0]
    for line in lines[:-1]:
        offsets.append(offsets[-1] + len(line) + 1)
    has_front_matter = text.startswith("---") and masked[:3] != "---"
    headings = [h for h in find_headings(lines) if h.level <= 2]
    found = {h.line: spec for h in headings if (spec := section_of(h.text)) is not None}
    if not found and not has_front_matter:
        return []

    def make(rule: Rule, line: int, column: int, message: str) -> Finding:
        start = offsets[line] + column - 1
        return Finding(
            rule=rule.id,
            category=rule.category,
            severity=config.severity_for(rule.id, rule.severity),
            message=message,
            suggestion=rule.suggestion,
            line=line + 1,
            column=column,
            end_line=line + 1,
            end_column=max(column + 1, len(lines[line].rstrip()) + 1),
            start=start,
            end=offsets[line] + max(column, len(lines[line].rstrip())),
            excerpt=" ".join(lines[line].split())[:80],
        )

    findings: list[Finding] = []
    present = {spec.key for spec in found.values()}
    first_line = _first_content_line(lines)
    for spec in SECTIONS:
        if spec.key not in present:
            others = ", ".join(n.title() for n in spec.names[1:4])
            message = (
                f"Missing section '{spec.title}' (## {spec.title}; also accepted: {others}...)."
            )
            findings.append(make(MISSING_SECTION, first_line, 1, message))
    for heading in headings:
        spec = found.get(heading.line)
        if spec is not None and spec.key == "actions":
            end = next(
                (h.line for h in headings if h.line > heading.line and h.level <= heading.level),
                len(lines),
            )
            findings.extend(_check_actions(lines, heading.line, end, make))
    return [f for f in findings if f.rule in active]


def _first_content_line(lines: Sequence[str]) -> int:
    """Where document-level findings go: the first line of prose (after front matter and
    after any leading suppression comments, which must come before what they silence)."""
    return next(
        (
            n
            for n, line in enumerate(lines)
            if line.strip() and not line.lstrip().startswith("<!--")
        ),
        0,
    )


def _check_actions(lines: Sequence[str], heading: int, end: int, make: Make) -> list[Finding]:
    findings: list[Finding] = []
    items = 0
    item_indent: int | None = None  # the section's top-level list indentation
    number = heading + 1
    while number < end:
        line = lines[number]
        if "|" in line and number + 1 < end and _TABLE_DELIMITER.match(lines[number + 1]):
            table_end = number + 2
            while table_end < end and "|" in lines[table_end] and lines[table_end].strip():
                table_end += 1
            rows = _check_table(lines, number, table_end, make, findings)
            items += rows
            number = table_end
            continue
        item = _LIST_ITEM.match(line)
        if item and item_indent is None:
            item_indent = len(item.group(1))
        if item and len(item.group(1)) == item_indent:
            items += 1
            findings.extend(
                _check_list_item(item.group("body"), number, len(item.group(1)) + 1, make)
            )
        number += 1
    if items == 0:
        findings.append(make(NO_ACTION_ITEMS, heading, 1, NO_ACTION_ITEMS.message))
    return findings


def _cells(line: str) -> list[tuple[int, str]]:
    """(1-based column, text) of each cell of a table row; escaped pipes stay in the cell."""
    cells: list[tuple[int, str]] = []
    stripped = line.rstrip()
    start = 0
    body_start = len(stripped) - len(stripped.lstrip())
    if stripped[body_start : body_start + 1] == "|":
        body_start += 1
    start = body_start
    index = body_start
    while index <= len(stripped):
        at_end = index == len(stripped)
        if at_end or (stripped[index] == "|" and stripped[index - 1 : index] != "\\"):
            raw = stripped[start:index]
            if not (at_end and not raw.strip() and cells):
                lead = len(raw) - len(raw.lstrip())
                cells.append((start + lead + 1, raw.strip().replace("\\|", "|")))
            start = index + 1
        index += 1
    return cells


def _role(header: str) -> str | None:
    name = normalise_heading(header)
    if name.startswith(("owner", "assignee", "assigned")) or name in ("responsible", "dri", "who"):
        return "owner"
    if any(
        word in name for word in ("ticket", "bug", "issue", "jira", "tracking", "tracker")
    ) or name in (
        "link",
        "pr",
        "reference",
        "ref",
    ):
        return "ticket"
    if any(word in name for word in ("due", "target", "deadline", "eta", "date")) or name in (
        "by",
        "when",
    ):
        return "due"
    return None


def _check_table(
    lines: Sequence[str], header: int, end: int, make: Make, findings: list[Finding]
) -> int:
    roles: dict[str, int] = {}
    for index, (_, text) in enumerate(_cells(lines[header])):
        role = _role(text)
        if role and role not in roles:
            roles[role] = index
    labels = {
        "owner": (ACTION_OWNER, "Owner"),
        "ticket": (ACTION_TICKET, "Ticket"),
        "due": (ACTION_DUE, "Due"),
    }
    for role, (rule, label) in labels.items():
        if role not in roles:
            findings.append(make(rule, header, 1, f"The action items table has no {label} column."))
    rows = 0
    for number in range(header + 2, end):
        cells = _cells(lines[number])
        if not any(text for _, text in cells):
            continue
        rows += 1
        for role, column_index in roles.items():
            rule, label = labels[role]
            column, value = cells[column_index] if column_index < len(cells) else (1, "")
            if _is_missing(value):
                findings.append(make(rule, number, column, f"Action item has no {label.lower()}."))
            elif role == "due" and not _is_date(value):
                findings.append(
                    make(rule, number, column, f"Due date '{value}' is not a date; use YYYY-MM-DD.")
                )
    return rows


def _check_list_item(body: str, number: int, column: int, make: Make) -> list[Finding]:
    findings = []
    if not _OWNER_IN_TEXT.search(body):
        findings.append(
            make(ACTION_OWNER, number, column, "Action item has no owner (@name or 'Owner: name').")
        )
    if not _TICKET_IN_TEXT.search(body):
        findings.append(
            make(
                ACTION_TICKET, number, column, "Action item has no ticket (e.g. OPS-123 or a link)."
            )
        )
    if not _is_date(body):
        findings.append(
            make(ACTION_DUE, number, column, "Action item has no target date (YYYY-MM-DD).")
        )
    return findings


def _is_missing(value: str) -> bool:
    return re.sub(r"[*_`~]", "", value).strip().lower() in _MISSING_VALUES


def _is_date(value: str) -> bool:
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
