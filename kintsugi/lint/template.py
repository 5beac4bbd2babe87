"""Template completeness: the SRE post-mortem sections and the action-item fields.

A post-mortem without a timeline cannot give time-to-detect; an action item without an
owner, a ticket and a date is how post-mortem debt starts. These checks read the Markdown
line by line (headings, tables and lists) without a full parser, so the CLI stays fast.

Two profiles (docs/lint.md): ``strict``, the default, for post-mortems written in
Kintsugi's template, asks for every section and every field; ``relaxed``, for documents
written elsewhere, asks only for what any post-mortem needs (what happened, when, why, and
what will change, with an owner and a ticket) and reports each gap once.

Sections are recognised under the names real teams use (kintsugi.lint.headings); in the
relaxed profile a part written in another form counts too (kintsugi.lint.evidence: a lead
paragraph is the summary, a timed lead the timeline, causes told in prose, follow-ups
written as lessons). The action items' fields are kintsugi.lint.action_items.

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
from kintsugi.lint.action_items import Section, link_definitions, read_section
from kintsugi.lint.evidence import (
    actions_by_content,
    background_summary,
    cause_in_prose,
    dated_list,
    failure_told,
    first_section_tells,
    follow_ups_in_lessons,
    has_lead,
    headings_telling_work,
    timed_headings,
    timed_narrative,
    timed_summary,
    work_told_beside,
)
from kintsugi.lint.headings import (
    ACTIONS,
    SECTIONS,
    Heading,
    SectionSpec,
    end_of,
    find_headings,
    is_section,
    normalise_heading,
    section_of,
)
from kintsugi.lint.item_findings import Make, check_items
from kintsugi.lint.item_text import one_person, own_ticket_ids, owned_by_writer
from kintsugi.lint.section_lines import line_finding, line_offsets

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


_TOML_FRONT_MATTER = re.compile(r"\A\+\+\+[ \t]*\n(?:.*\n)*?\+\+\+[ \t]*(?:\n|\Z)")


def profile_of(config: LintConfig | None) -> str:
    return (config.profile if config else None) or STRICT


@dataclass
class _Document:
    """The Markdown read line by line: code blocks and TOML front matter blanked, headings
    found, and the ones that stand for a template section looked up."""

    lines: list[str]
    offsets: list[int]
    has_front_matter: bool
    every: list[Heading]  # every heading: each ends the sections above it
    found: dict[int, SectionSpec]  # heading line -> the section it stands for


def check_template(text: str, config: LintConfig | None = None) -> list[Finding]:
    """Template findings for one Markdown post-mortem, honouring enable/disable/severity
    and the profile (``config.profile``: strict unless set)."""
    config = config or LintConfig()
    active = {rule.id for rule in TEMPLATE_RULES if config.is_enabled(rule.id)}
    if not active:
        return []
    relaxed = profile_of(config) == RELAXED
    doc = _read(text)
    if not doc.found and (relaxed or not doc.has_front_matter):
        # Relaxed: front matter alone does not make a post-mortem (every static-site page
        # has some); a blog post that only links to one is not one.
        return []
    make = _maker(doc, config)
    present, found, lessons = _sections_present(doc, relaxed)
    findings = _missing_sections(present, relaxed, make, _first_content_line(doc.lines))
    findings.extend(_check_actions(doc.lines, doc.every, found, make, relaxed, lessons))
    order = {rule.id: index for index, rule in enumerate(TEMPLATE_RULES)}
    findings.sort(key=lambda f: (f.line, order[f.rule], f.column))
    return [f for f in findings if f.rule in active]


def _read(text: str) -> _Document:
    toml = _TOML_FRONT_MATTER.match(text)
    masked = mask_code_blocks(text)
    if toml:  # Hugo and Zola write TOML front matter between +++ lines
        masked = re.sub(r"[^\n]", " ", masked[: toml.end()]) + masked[toml.end() :]
    lines = masked.split("\n")
    has_front_matter = bool(toml) or (text.startswith("---") and masked[:3] != "---")
    # Every heading ends the sections above it (an unrecognised "# Stats" after the action
    # items ends them too); only these that stand for a section are looked up.
    every = find_headings(lines)
    headings = [h for h in every if h.level >= 2 or is_section(h)]
    found = {h.line: spec for h in headings if (spec := section_of(h.text)) is not None}
    return _Document(lines, line_offsets(lines), has_front_matter, every, found)


def _maker(doc: _Document, config: LintConfig) -> Make:
    def make(rule: Rule, line: int, column: int, message: str) -> Finding:
        return line_finding(
            doc.lines,
            doc.offsets,
            line + 1,
            rule=rule.id,
            category=rule.category,
            severity=config.severity_for(rule.id, rule.severity),
            message=message,
            suggestion=rule.suggestion,
            column=column,
        )

    return make


def _sections_present(
    doc: _Document, relaxed: bool
) -> tuple[set[str], dict[int, SectionSpec], int | None]:
    """The sections the document has, under a heading or, in the relaxed profile, in
    another form (kintsugi.lint.evidence); the sections by heading line, with a lessons
    section read as the follow-ups; and that section's line (None when it is not)."""
    lines, every, found = doc.lines, doc.every, doc.found
    headings = [h for h in every if h.level >= 2 or is_section(h)]
    present = {spec.key for spec in found.values()}
    if relaxed and "actions" not in present:
        # Items that say who does them are the action items, whatever the heading.
        held = actions_by_content(lines, every, found)
        if held:
            found = {**found, **dict.fromkeys(held, ACTIONS)}
            present.add("actions")
    if "summary" not in present and (
        has_lead(lines, headings) or background_summary(lines, headings)
    ):
        present.add("summary")
    if not relaxed:
        return present, found, None
    if "summary" not in present and first_section_tells(lines, every, found):
        present.add("summary")
    if "factors" not in present and (
        cause_in_prose(lines, every, found) or failure_told(lines, every)
    ):
        present.add("factors")
    if "timeline" not in present and (
        timed_summary(lines, every, found)
        or timed_narrative(lines, every, found)
        or dated_list(lines, every, found)
        or timed_headings(every)
    ):
        present.add("timeline")
    if "actions" in present:
        return present, found, None
    # Follow-ups written as lessons ("We need to document the deploy process") are the
    # action items, without an owner or a ticket: say that, not that they are missing.
    lessons = follow_ups_in_lessons(lines, every, found)
    if lessons is not None:
        found = {**found, lessons: ACTIONS}
        present.add("actions")
    return present, found, lessons


def _missing_sections(present: set[str], relaxed: bool, make: Make, line: int) -> list[Finding]:
    findings = []
    for spec in SECTIONS:
        if spec.key not in present and (spec.relaxed or not relaxed):
            others = ", ".join(n.title() for n in spec.names[1:4])
            message = (
                f"Missing section '{spec.title}' (## {spec.title}; also accepted: {others}...)."
            )
            findings.append(make(MISSING_SECTION, line, 1, message))
    return findings


def _check_actions(
    lines: Sequence[str],
    headings: Sequence[Heading],
    found: dict[int, SectionSpec],
    make: Make,
    relaxed: bool,
    as_lessons: int | None = None,
) -> list[Finding]:
    """The action-item findings; ``as_lessons`` is the line of a lessons section read as
    the follow-ups (a document without an action items section, relaxed profile)."""
    sections: list[Section] = []
    links = link_definitions(lines)
    document = "\n".join(lines)
    alone = one_person(document)
    own_ids: re.Pattern[str] | None | bool = False  # looked up for the first item without
    covered = -1
    for heading in headings:
        spec = found.get(heading.line)
        if spec is None or spec.key != "actions" or heading.line < covered:
            continue
        end = end_of(heading, headings, len(lines))
        covered = end
        # A "What went wrong" under the action items lists problems, not work to do.
        skip = [
            (h.line, end_of(h, headings, len(lines)))
            for h in headings
            if heading.line < h.line < end and found.get(h.line, ACTIONS).key != "actions"
        ]
        section = read_section(lines, heading.line, end, heading.text, links, skip)
        section.as_lessons = heading.line == as_lessons
        if alone or owned_by_writer("\n".join(lines[heading.line : end]), document):
            for item in section.items:
                item.by_writer = True
        for item in section.items:
            if item.table is None and not item.has("ticket"):
                if own_ids is False:
                    own_ids = own_ticket_ids(document)
                item.own_ticket = isinstance(own_ids, re.Pattern) and bool(
                    own_ids.search(item.text)
                )
        sections.append(section)
    findings: list[Finding] = []
    if not any(section.items for section in sections):
        # No items anywhere (an empty "Follow-up" left from a template is not reported
        # when the items are in another section).
        # One gap, one finding: follow-ups told in prose under two headings ("Corrective
        # measures", "Future actions") are said once, at the first, naming the others.
        telling = headings_telling_work(lines, headings) if sections else set()
        if sections:
            first = _no_items(lines, headings, sections[0], make, telling, sections[1:])
            findings = [first]
    rules = {"owner": ACTION_OWNER, "ticket": ACTION_TICKET, "due": ACTION_DUE}
    findings.extend(check_items(sections, rules, make, relaxed=relaxed))
    return findings


def _no_items(
    lines: Sequence[str],
    headings: Sequence[Heading],
    section: Section,
    make: Make,
    telling: set[int],
    others: Sequence[Section] = (),
) -> Finding:
    """One ``no-action-items`` finding for a section without items, saying what is there
    instead: placeholders or this report itself, or follow-up work told in prose;
    ``others`` are the document's other follow-up sections without items."""
    title, line = section.title, section.heading
    also = ""
    if others:
        names = ", ".join(f"'{normalise_heading(s.title).capitalize()}'" for s in others[:3])
        also = f" (nor {'does' if len(others) == 1 else 'do'} {names})"
    message = NO_ACTION_ITEMS.message.split(". ")[0] + also + "."
    if section.not_work:
        listed = "; ".join(f"'{text}'" for text in section.not_work[:2])
        return make(
            NO_ACTION_ITEMS,
            line,
            1,
            f"'{normalise_heading(title).capitalize()}' lists no follow-up work ({listed}): "
            "nothing here changes what let the incident happen. List the remediation, or "
            "say why none is needed.",
        )
    prose = section.prose
    if prose:
        # A subsection named for a topic ("Email prevention") that describes what is in
        # place: the work is told in a sibling ("we will review...", review4 row 40).
        elsewhere = work_told_beside(lines, headings, line, telling)
        if elsewhere is not None:
            title, line, prose = elsewhere.text, elsewhere.line, 1
        paragraphs = "a paragraph" if prose == 1 else f"{prose} paragraphs"
        message = (
            f"'{normalise_heading(title).capitalize()}' describes the follow-up work in "
            f"{paragraphs} of prose but lists no items that could each have an owner, a "
            f"ticket and a date{also}."
        )
    return make(NO_ACTION_ITEMS, line, 1, message)


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
