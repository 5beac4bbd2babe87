"""Template completeness: the SRE post-mortem sections and the action-item fields.

A post-mortem without a timeline cannot give time-to-detect; an action item without an
owner, a ticket and a date is how post-mortem debt starts. These checks read the Markdown
line by line (headings, tables and lists) without a full parser, so the CLI stays fast.

Two profiles (docs/lint.md): ``strict``, the default, for post-mortems written in
Kintsugi's template, asks for every section and every field; ``relaxed``, for documents
written elsewhere, asks only for what any post-mortem needs (what happened, when, why, and
what will change, with an owner and a ticket) and reports each gap once.

Sections are recognised under the names real teams use: our own list, then the importer's
heading classifier (kintsugi.core.markdown.headings), so lint and import agree on what a
heading means. A lead paragraph under the title is a summary, as in most published
post-mortems.

A file with neither front matter nor any recognised section is not treated as a
post-mortem (a README linted by a pre-commit hook), so no template findings are reported
for it; the language rules still run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from kintsugi.core.language import Finding, Level, LintConfig, Rule
from kintsugi.core.language.prose import mask_code_blocks
from kintsugi.lint.action_items import (
    LIST_ITEM,
    Make,
    Section,
    check_items,
    link_definitions,
    read_section,
)

STRICT, RELAXED = "strict", "relaxed"


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
    "The Action Items section lists no items. A post-mortem that changes nothing will be "
    "followed by the same incident, and work described only in prose has nobody to own it "
    "and no date to be late by.",
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
    relaxed: bool  # also required in the relaxed profile


SECTIONS = (
    SectionSpec(
        "summary",
        "Executive Summary",
        ("executive summary", "summary", "impact", "overview", "incident summary", "tl;dr",
         "tldr", "customer impact", "impact summary", "summary of impact", "introduction",
         "description", "incident description", "what happened"),
        True,
    ),
    SectionSpec(
        "timeline",
        "Incident Timeline",
        ("incident timeline", "timeline", "chronology", "sequence of events", "detailed timeline",
         "timeline of events"),
        True,
    ),
    SectionSpec(
        "factors",
        "Contributing Factors",
        ("contributing factors", "root causes", "root cause", "root cause analysis", "causes",
         "causal factors", "trigger", "why it happened", "5 whys", "five whys", "fault"),
        True,
    ),
    SectionSpec(
        "lessons",
        "Lessons Learned",
        ("lessons learned", "lessons learnt", "lessons", "learnings", "takeaways",
         "what went well", "what went wrong", "what went poorly", "where we got lucky",
         "what we learned", "what didn't go well", "what didn't go so well",
         "what did not go well", "what went badly", "postmortem", "post-mortem", "post mortem",
         "retrospective", "conclusion", "conclusions", "reflections"),
        False,
    ),
    SectionSpec(
        "actions",
        "Action Items",
        ("action items", "actions", "follow-up actions", "follow-ups", "follow ups", "followups",
         "follow-up", "follow up", "followup", "follow-up items", "corrective actions",
         "corrective and preventive actions",
         "remediation", "remediations", "next steps", "action plan", "preventive actions",
         "future measures", "future actions", "future work"),
        True,
    ),
)  # fmt: skip
_BY_KEY = {spec.key: spec for spec in SECTIONS}
_ACTIONS = _BY_KEY["actions"]
# The importer's section keys (kintsugi.core.markdown.headings) that stand for ours.
_IMPORT_KEYS = {
    "summary": "summary", "impact": "summary", "timeline": "timeline", "factors": "factors",
    "analysis": "factors", "trigger": "factors", "lessons": "lessons", "went_well": "lessons",
    "went_poorly": "lessons", "got_lucky": "lessons", "actions": "actions",
}  # fmt: skip
# What was done during the incident is its resolution, not the follow-up work.
_NOT_FOLLOW_UP = re.compile(r"\b(?:actions?|steps?) (?:taken|performed)\b|^what we did$")

_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_BOLD_LABEL = re.compile(r"^ {0,3}(\*\*|__)(?P<text>[^*_\n]{2,60}?):?\1:?[ \t]*$")
_NUMBERING = re.compile(r"^(?:\d+|[ivx]+|[a-z])[.)]\s+")
_HEADING_SPLIT = re.compile(r"\s*(?:/|&|\+|,|;|:|\band\b|\s[-–—]\s)\s*")
_TOML_FRONT_MATTER = re.compile(r"\A\+\+\+[ \t]*\n(?:.*\n)*?\+\+\+[ \t]*(?:\n|\Z)")
# A sentence that says why it happened: in the relaxed profile a cause stated in prose
# (in the summary, a conclusion, a lessons section) answers "why", even without a section.
_CAUSE_IN_PROSE = re.compile(
    r"\bcaus(?:ed|ing|e of)\b|\bbecause\b|\bdue to\b|\broot cause\b|\bthe reason\b"
    r"|\b(?:a|the) bug in\b|\btriggered by\b|\bas a result of\b|\bresult(?:ed)? from\b"
    r"|\bstemm(?:ed|ing) from\b|\bled to\b",
    re.I,
)
_LEAD_WORDS = 12  # a lead paragraph this long under the title is the summary
# A summary that times the incident ("at 15:09 UTC we released..., at 15:23 a report...,
# reverted by 15:56") is its timeline in the relaxed profile: a short incident needs no more.
_CLOCK = re.compile(r"(?<![\d:])(?:[01]?\d|2[0-3]):[0-5]\d(?![\d:])")
_TIMED_SUMMARY = 3  # distinct clock times


@dataclass(frozen=True)
class Heading:
    line: int  # 0-based
    level: int
    text: str


def profile_of(config: LintConfig | None) -> str:
    return (config.profile if config else None) or STRICT


def normalise_heading(text: str) -> str:
    text = re.sub(r"[*_`~]|\[|\]\([^)]*\)|\]", "", text).lower().replace("’", "'")
    text = re.sub(r"\([^)]*\)", "", text)  # "Timeline (all times UTC)"
    text = _NUMBERING.sub("", text.strip())
    text = re.sub(r"[^\w\s/&+,;:'.-]", " ", text)  # emoji and decorations
    return " ".join(text.split()).strip(" .:-")


def section_of(heading: str) -> SectionSpec | None:
    """The template section a heading stands for, accepting the common variants."""
    name = normalise_heading(heading)
    if not name or _NOT_FOLLOW_UP.search(name):
        return None
    parts = [name, *(p.strip() for p in _HEADING_SPLIT.split(name))]
    for spec in SECTIONS:
        if any(part in spec.names for part in parts):
            return spec
    # Imported lazily: the classifier is only needed for headings our list does not know.
    from kintsugi.core.markdown.headings import section_key

    key = _IMPORT_KEYS.get(section_key(heading) or "")
    return _BY_KEY[key] if key else None


def find_headings(lines: Sequence[str]) -> list[Heading]:
    headings = []
    for number, line in enumerate(lines):
        atx = _ATX.match(line)
        bold = _BOLD_LABEL.match(line)
        if atx:
            headings.append(Heading(number, len(atx.group(1)), atx.group(2)))
        elif bold and not (number > 0 and lines[number - 1].strip()):
            headings.append(Heading(number, 4, bold.group("text")))  # a bold label line
        elif (
            number > 0
            and _SETEXT.match(line)
            and lines[number - 1].strip()
            and not LIST_ITEM.match(lines[number - 1])
            and "|" not in lines[number - 1]
        ):
            level = 1 if line.strip().startswith("=") else 2
            headings.append(Heading(number - 1, level, lines[number - 1].strip()))
    return headings


def check_template(text: str, config: LintConfig | None = None) -> list[Finding]:
    """Template findings for one Markdown post-mortem, honouring enable/disable/severity
    and the profile (``config.profile``: strict unless set)."""
    config = config or LintConfig()
    active = {rule.id for rule in TEMPLATE_RULES if config.is_enabled(rule.id)}
    if not active:
        return []
    relaxed = profile_of(config) == RELAXED
    toml = _TOML_FRONT_MATTER.match(text)
    masked = mask_code_blocks(text)
    if toml:  # Hugo and Zola write TOML front matter between +++ lines
        masked = re.sub(r"[^\n]", " ", masked[: toml.end()]) + masked[toml.end() :]
    lines = masked.split("\n")
    offsets = [0]
    for line in lines[:-1]:
        offsets.append(offsets[-1] + len(line) + 1)
    has_front_matter = bool(toml) or (text.startswith("---") and masked[:3] != "---")
    headings = [h for h in find_headings(lines) if h.level >= 2 or _is_section(h)]
    found = {h.line: spec for h in headings if (spec := section_of(h.text)) is not None}
    if not found and (relaxed or not has_front_matter):
        # Relaxed: front matter alone does not make a post-mortem (every static-site page
        # has some); a blog post that only links to one is not one.
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
    if "summary" not in present and _has_lead(lines, headings):
        present.add("summary")
    if relaxed and "factors" not in present and _cause_in_prose(lines, headings, found):
        present.add("factors")
    if relaxed and "timeline" not in present and _timed_summary(lines, headings, found):
        present.add("timeline")
    first_line = _first_content_line(lines)
    for spec in SECTIONS:
        if spec.key not in present and (spec.relaxed or not relaxed):
            others = ", ".join(n.title() for n in spec.names[1:4])
            message = (
                f"Missing section '{spec.title}' (## {spec.title}; also accepted: {others}...)."
            )
            findings.append(make(MISSING_SECTION, first_line, 1, message))
    findings.extend(_check_actions(lines, headings, found, make, relaxed))
    order = {rule.id: index for index, rule in enumerate(TEMPLATE_RULES)}
    findings.sort(key=lambda f: (f.line, order[f.rule], f.column))
    return [f for f in findings if f.rule in active]


def _is_section(heading: Heading) -> bool:
    """An H1 is the title, unless the document uses H1 for its sections."""
    return heading.level == 1 and section_of(heading.text) is not None


def _end_of(heading: Heading, headings: Sequence[Heading], total: int) -> int:
    return next(
        (h.line for h in headings if h.line > heading.line and h.level <= heading.level), total
    )


def _check_actions(
    lines: Sequence[str],
    headings: Sequence[Heading],
    found: dict[int, SectionSpec],
    make: Make,
    relaxed: bool,
) -> list[Finding]:
    sections: list[Section] = []
    links = link_definitions(lines)
    covered = -1
    for heading in headings:
        spec = found.get(heading.line)
        if spec is None or spec.key != "actions" or heading.line < covered:
            continue
        end = _end_of(heading, headings, len(lines))
        covered = end
        # A "What went wrong" under the action items lists problems, not work to do.
        skip = [
            (h.line, _end_of(h, headings, len(lines)))
            for h in headings
            if heading.line < h.line < end and found.get(h.line, _ACTIONS).key != "actions"
        ]
        sections.append(read_section(lines, heading.line, end, heading.text, links, skip))
    findings: list[Finding] = []
    for section in sections:
        if any(other.items for other in sections):
            break  # the items are elsewhere (an empty "Follow-up" left from a template)
        message = NO_ACTION_ITEMS.message.split(". ")[0] + "."
        if section.prose:
            paragraphs = "a paragraph" if section.prose == 1 else f"{section.prose} paragraphs"
            message = (
                f"'{normalise_heading(section.title).capitalize()}' describes the follow-up "
                f"work in {paragraphs} of prose but lists no items that could each have an "
                "owner, a ticket and a date."
            )
        findings.append(make(NO_ACTION_ITEMS, section.heading, 1, message))
    rules = {"owner": ACTION_OWNER, "ticket": ACTION_TICKET, "due": ACTION_DUE}
    findings.extend(check_items(sections, rules, make, relaxed=relaxed))
    return findings


def _has_lead(lines: Sequence[str], headings: Sequence[Heading]) -> bool:
    """A paragraph of prose before the first section heading (after the title)."""
    first_section = next((h.line for h in headings if h.level >= 2), len(lines))
    title_lines = {h.line for h in headings if h.level == 1}
    words = 0
    for number in range(first_section):
        line = lines[number].strip()
        if not line or number in title_lines or line.startswith(("<!--", "[", "!", "<", "#")):
            continue
        words += len(line.split())
    return words >= _LEAD_WORDS


def _timed_summary(
    lines: Sequence[str], headings: Sequence[Heading], found: dict[int, SectionSpec]
) -> bool:
    """Whether the lead paragraph and summary sections give the incident's times."""
    first_section = next((h.line for h in headings if h.level >= 2), len(lines))
    ranges = [(0, first_section)]
    for heading in headings:
        spec = found.get(heading.line)
        if spec is not None and spec.key == "summary":
            ranges.append((heading.line + 1, _end_of(heading, headings, len(lines))))
    times = {
        match.group()
        for start, end in ranges
        for line in lines[start:end]
        for match in _CLOCK.finditer(line)
    }
    return len(times) >= _TIMED_SUMMARY


def _cause_in_prose(
    lines: Sequence[str], headings: Sequence[Heading], found: dict[int, SectionSpec]
) -> bool:
    """Whether the document says why outside its timeline and its list of action items
    ("Investigate the root cause" is work to do, not a cause)."""
    skipped: list[tuple[int, int]] = []
    for heading in headings:
        spec = found.get(heading.line)
        if spec is not None and spec.key in ("timeline", "actions"):
            skipped.append((heading.line, _end_of(heading, headings, len(lines))))
    for number, line in enumerate(lines):
        in_actions = any(start <= number < end for start, end in skipped)
        if in_actions and (LIST_ITEM.match(line) or line.startswith((" ", "\t"))):
            continue
        if _CAUSE_IN_PROSE.search(line) and not _in_timeline(number, headings, found):
            return True
    return False


def _in_timeline(number: int, headings: Sequence[Heading], found: dict[int, SectionSpec]) -> bool:
    above = [h for h in headings if h.line <= number]
    for heading in reversed(above):
        spec = found.get(heading.line)
        if spec is not None:
            return spec.key == "timeline" and number < _end_of(heading, headings, number + 1)
    return False


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
