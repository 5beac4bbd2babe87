"""Markdown -> PostmortemDocument: our export format and the variants teams write.

The document is read in three passes: the front matter; the headings (which part of the
template each section is, at which level the sections are); then each section by its
reader. Every problem is collected with its line number and reported together at the end
(:class:`ProblemList`). Nothing is dropped: text that fits no part of the template goes
to the appendix under the heading it came from. The format is documented in
docs/markdown-format.md.
"""

from __future__ import annotations

from collections.abc import Callable

from kintsugi.core.document import (
    MAX_APPENDIX,
    MAX_TEXT,
    ActionItemEntry,
    PostmortemDocument,
    sort_action_items,
)
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.actions_section import (
    is_prose,
    link_references,
    read_action_blocks,
    read_details,
)
from kintsugi.core.markdown.blocks import Line, strip_blank, text_of
from kintsugi.core.markdown.causes_section import (
    read_analysis,
    read_announced_causes,
    read_factors,
)
from kintsugi.core.markdown.escaping import fence_mask
from kintsugi.core.markdown.facts import read_fact_section
from kintsugi.core.markdown.fields import clean_text, clean_title
from kintsugi.core.markdown.frontmatter import apply_front_matter, read_front_matter
from kintsugi.core.markdown.lessons_section import (
    LESSON_KEYS,
    read_lesson_intro,
    read_lesson_list,
)
from kintsugi.core.markdown.limits import check_text
from kintsugi.core.markdown.list_parts import split_list_parts
from kintsugi.core.markdown.preamble import read_preamble
from kintsugi.core.markdown.problems import ProblemList
from kintsugi.core.markdown.report import ImportResult
from kintsugi.core.markdown.sections import Section, split_body, split_sections
from kintsugi.core.markdown.state import ParseState
from kintsugi.core.markdown.timeline_clock import infer_bounds, scan_document
from kintsugi.core.markdown.timeline_section import read_timeline
from kintsugi.core.markdown.titles import find_title, title_from_filename
from kintsugi.core.vocabulary import ActionStatus

_split = split_sections  # the name tests/core/markdown/test_escaping.py imports

TEXT_FIELDS = ("summary", "impact", "trigger", "detection", "resolution")

# The lines of the export's derived block ("Severity and downtime"), ignored on import.
_DERIVED_PREFIXES = (
    "*derived from",
    "_derived from",
    "- **severity:**",
    "- **downtime:**",
    "- **time to detect:**",
    "- **time to acknowledge:**",
    "- **time to mitigate:**",
    "- **time to resolve:**",
)


def parse_markdown(text: str, *, source: str = "<input>") -> PostmortemDocument:
    """Read a post-mortem strictly; raise ValidationProblem (a ProblemList) naming every
    bad line. For our own format and for ``--strict``: every assumption is a refusal.

    ``source`` names the input in messages (a path); line numbers count from 1 in the
    text as given, front matter included.
    """
    return _parse(text, source=source, strict=True, filename=None).document


def read_markdown(
    text: str, *, source: str = "<input>", filename: str | None = None
) -> ImportResult:
    """Read a post-mortem as written by anyone, in best effort: keep everything, map what
    is recognised, and report every decision (report.py). Raises only for input that is
    not a text document at all (too large, not UTF-8 text; see limits.py).

    ``filename`` (without folders) gives a title when the document has none.
    """
    return _parse(text, source=source, strict=False, filename=filename)


def _parse(text: str, *, source: str, strict: bool, filename: str | None) -> ImportResult:
    try:
        text = check_text(text)
    except ValidationProblem as problem:
        raise ProblemList([problem], source=source) from None
    raw = text.split("\n")
    state = ParseState(doc=PostmortemDocument(title=""), strict=strict)
    state.report.source = source
    front = None
    with state.problems.guard(1):
        front = read_front_matter(raw, strict=strict)
    start = front.end if front is not None else 0
    if front is None and raw and raw[0].rstrip() == "---":
        start = len(raw)  # unclosed front matter (already reported): nothing else to read
    if front is not None:
        apply_front_matter(state, front)
    body = raw[start:]
    lines = [
        Line(start + index + 1, line, fenced)
        for index, (line, fenced) in enumerate(zip(body, fence_mask(body), strict=True))
    ]
    if not strict:  # "[#11134]: https://..." defined at the end, used by an action item
        state.link_references = link_references(lines)
    scan_document(state, lines)  # declared zones, date order, the document's date
    _read_body(state, lines, title_from_front=bool(front and "title" in front.values))
    infer_bounds(state)  # best effort: started_at/ended_at from the timeline
    if not strict and not state.doc.title:
        _title_from_filename(state, filename)
    _finish(state, front_failed=front is None and bool(raw) and raw[0].rstrip() == "---")
    if strict:
        state.problems.raise_if_any(source=source)
    else:
        for unread in state.problems.problems:
            state.report.add("attention", unread.message, line=unread.line, field=unread.field)
        state.report.dropped += state.problems.dropped
    state.report.recognised = recognised_parts(state.doc)
    return ImportResult(state.doc, state.report)


def _title_from_filename(state: ParseState, filename: str | None) -> None:
    """No title in the file: its name ("2024-05-01-api-outage.md") is the next best thing."""
    words = title_from_filename(filename)
    if words:
        state.doc.title = clean_title(words, field="title")
        state.report.add(
            "assumption",
            f"The document has no title; the file name gives it: {state.doc.title!r}.",
            line=1,
            field="title",
        )
    else:
        state.doc.title = "Untitled post-mortem"
        state.report.add(
            "attention",
            "The document has no title (no front matter title, no '# Title' heading, and "
            "the file name says nothing); it is imported as 'Untitled post-mortem'.",
            line=1,
            field="title",
        )


def recognised_parts(doc: PostmortemDocument) -> dict[str, int]:
    """How many of each part the document holds, for the report's summary line."""
    return {
        "timeline": len(doc.timeline),
        "factors": len(doc.factors),
        "why_chains": sum(1 for _ in doc.analysis.chains()),
        "lessons": len(doc.lessons.went_well)
        + len(doc.lessons.went_poorly)
        + len(doc.lessons.got_lucky),
        "action_items": len(doc.action_items),
        "text_sections": sum(
            1 for name in (*TEXT_FIELDS, "appendix") if getattr(doc, name).strip()
        ),
    }


def _read_body(state: ParseState, lines: list[Line], *, title_from_front: bool) -> None:
    title_lines = find_title(state, lines)  # the title heading and dates above it (titles.py)
    level, preamble, sections = split_body(state, lines, title_lines)
    lede = not state.strict and not any(section.key == "summary" for section in sections)
    for pseudo in read_preamble(state, preamble, lede=lede):
        _dispatch(
            state, Section(pseudo.heading, pseudo.heading.text, level, pseudo.lines), pseudo.key
        )
    appendix_body: list[Line] | None = None
    for number, section in enumerate(sections):
        if section.key == "appendix":
            appendix_body = section.lines + [
                line
                for later in sections[number + 1 :]
                for line in (later.heading_line, *later.lines)
            ]
            break
        _dispatch(state, section, section.key)
    if appendix_body is not None:
        verbatim = "\n".join(line.text for line in appendix_body).strip()
        if verbatim:
            state.appendix.append(verbatim)


def _dispatch(state: ParseState, section: Section, key: str | None) -> None:
    section.key = key
    handler = _HANDLERS.get(key or "")
    if handler is None:
        if read_fact_section(state, section.title, section.lines):
            return  # "## Severity" over "SEV2" (best effort; facts.py)
        lines = section.lines
        if not state.strict:  # "This was caused by two factors:" and a list
            lines = read_announced_causes(state, section.heading_line.text, lines)
        state.stray(section.heading_line.text, lines)
        if not section.lines or not strip_blank(section.lines):
            state.appendix.append(section.heading_line.text)
        return
    if not state.strict and key in _TEXT_PARTS:
        section = _route_list_parts(state, section)
    handler(state, section)


_TEXT_PARTS = ("summary", "impact", "trigger", "detection", "resolution")


def _route_list_parts(state: ParseState, section: Section) -> Section:
    """Best effort: the lists a text section holds go where they belong (list_parts.py);
    the rest stays the section's text."""
    kept, parts = split_list_parts(section.lines, section.level)
    for heading_line, title, level, lines in parts:
        part = Section(heading_line, title, level, lines)
        _dispatch(state, part, part.key)
    rest = Section(section.heading_line, section.title, section.level, kept)
    rest.key = section.key  # a "Impact: ..." label line names its part, not its title
    return rest


def _add_text(state: ParseState, name: str, lines: list[Line]) -> None:
    body = strip_blank(lines)
    with state.problems.guard(body[0].number if body else None):
        state.add_text(name, clean_text(text_of(body), field=name, limit=MAX_TEXT))


def _keep_non_derived(state: ParseState, section: Section) -> None:
    """Drop the derived lines; anything someone wrote among them goes to the appendix."""
    kept = [
        line
        for line in section.lines
        if not line.text.strip().lower().startswith(_DERIVED_PREFIXES)
    ]
    state.stray(section.heading_line.text, kept)


def _read_summary(state: ParseState, section: Section) -> None:
    intro, subsections = section.split()
    _add_text(state, "summary", intro)
    for sub in subsections:
        if sub.key in ("impact", "trigger", "detection", "resolution"):
            _add_text(state, sub.key, sub.lines)
        elif sub.key == "derived":
            _keep_non_derived(state, sub)
        else:
            _add_text(state, "summary", [sub.heading_line, *sub.lines])


def _read_text_section(state: ParseState, section: Section) -> None:
    _add_text(state, section.key or "summary", section.lines)


def _read_timeline(state: ParseState, section: Section) -> None:
    read_timeline(state, section.heading_line, section.title, section.lines)


def _read_lessons(state: ParseState, section: Section) -> None:
    intro, subsections = section.split()
    read_lesson_intro(state, section.heading_line, intro)
    for sub in subsections:
        if sub.key in LESSON_KEYS:
            read_lesson_list(state, sub.key or "", sub.heading_line, sub.lines)
        else:
            state.stray(sub.heading_line.text, sub.lines)


def _read_lesson_section(state: ParseState, section: Section) -> None:
    read_lesson_list(state, section.key or "", section.heading_line, section.lines)


def _read_actions(state: ParseState, section: Section) -> None:
    """The table or list, then ``### A1.`` details; any other subsection ("### Short
    term", "### Long term") holds more action items, each noting the subsection."""
    intro, subsections = section.split()
    references = {**state.link_references, **link_references(section.lines)}
    prose = is_prose(section.lines)
    read_action_blocks(state, section.heading_line, intro, references=references, prose=prose)
    for sub in subsections:
        if sub.key in (*LESSON_KEYS, "lessons"):
            _dispatch(state, sub, sub.key)  # "### What went wrong" among the actions
        elif not read_details(state, sub.heading_line, sub.title, sub.lines):
            read_action_blocks(
                state,
                sub.heading_line,
                sub.lines,
                group=sub.title,
                references=references,
                prose=prose,
            )


def _read_derived(state: ParseState, section: Section) -> None:
    _keep_non_derived(state, section)


_HANDLERS: dict[str, Callable[[ParseState, Section], None]] = {
    "summary": _read_summary,
    "impact": _read_text_section,
    "trigger": _read_text_section,
    "detection": _read_text_section,
    "resolution": _read_text_section,
    "timeline": _read_timeline,
    "factors": read_factors,
    "analysis": read_analysis,
    "lessons": _read_lessons,
    "went_well": _read_lesson_section,
    "went_poorly": _read_lesson_section,
    "got_lucky": _read_lesson_section,
    "actions": _read_actions,
    "derived": _read_derived,
}


def _finish(state: ParseState, *, front_failed: bool) -> None:
    """Join the collected texts and check what needs the whole document."""
    doc, problems = state.doc, state.problems
    for name in TEXT_FIELDS:
        with problems.guard():
            joined = "\n\n".join(state.texts.get(name, []))
            setattr(doc, name, clean_text(joined, field=name, limit=MAX_TEXT))
    with problems.guard():
        doc.appendix = clean_text("\n\n".join(state.appendix), field="appendix", limit=MAX_APPENDIX)
    # A broken front matter or a refused title was reported already; "no title" would
    # only repeat it.
    title_reported = front_failed or any(p.field == "title" for p in problems.problems)
    if not doc.title and not title_reported:
        problems.add(
            "The post-mortem has no title: add 'title:' to the front matter or a '# Title' "
            "heading on the first line.",
            line=1,
            field="title",
        )
    if doc.started_at and doc.ended_at and doc.ended_at < doc.started_at:
        problems.add(
            "The incident ends before it starts: 'ended_at' is earlier than 'started_at'.",
            line=state.meta_lines.get("ended_at"),
            field="ended_at",
        )
    seen_tickets: dict[str, str] = {}
    for item, source in zip(doc.action_items, state.action_sources, strict=True):
        if source.addresses is not None:
            index = state.factor_labels.get(source.addresses)
            if index is None:
                problems.add(
                    f"Action item {source.key} addresses {source.addresses}, but there is no "
                    f"contributing factor {source.addresses} (this post-mortem has "
                    f"{len(doc.factors)}).",
                    line=source.line,
                    field="action_items.addresses",
                )
            item.addresses = index
        if item.status == ActionStatus.WONT_DO and not item.status_reason:
            problems.add(
                f"Action item {source.key} is 'Won't do' without a reason; add a line "
                "'- Status reason: ...' under '### "
                f"{source.key}.' saying why.",
                line=source.line,
                field="action_items.status_reason",
            )
        if item.ticket_id:
            if item.ticket_id in seen_tickets:
                # Best effort keeps both items (one ticket may track two steps); a person
                # decides. Strict mode refuses, as the template wants one ticket per item.
                message = (
                    f"Ticket {item.ticket_id} is used by both {seen_tickets[item.ticket_id]} "
                    f"and {source.key}; each action item needs its own ticket."
                )
                if state.strict:
                    problems.add(message, line=source.line, field="action_items.ticket_id")
                else:
                    state.report.add(
                        "attention",
                        f"{message} Both items are kept.",
                        line=source.line,
                        field="action_items.ticket_id",
                    )
            seen_tickets.setdefault(item.ticket_id, source.key)
    by_key = {
        source.key.upper(): item
        for item, source in zip(doc.action_items, state.action_sources, strict=True)
    }
    # The template's order: priority, the document's order within one (a stable sort);
    # the export writes the same order, so import of an export keeps the list exactly.
    doc.action_items = sort_action_items(doc.action_items)
    _resolve_analysis_links(state, by_key)


def _resolve_analysis_links(state: ParseState, by_key: dict[str, ActionItemEntry]) -> None:
    """Turn the labels written in the 5 Whys (F2, A3) into positions in the document.

    A hand-written file may number its action items in any order while the document keeps
    them in the template's order, so "A3" means the row labelled A3, wherever it ends up.
    """
    doc = state.doc
    positions = {id(item): number for number, item in enumerate(doc.action_items, 1)}
    for chain in doc.analysis.chains():
        branch = chain.branch
        factors = []
        for number in branch.factors:
            index = state.factor_labels.get(f"F{number}")
            if index is None and not state.factor_labels and number <= len(doc.factors):
                index = number
            if index is None:
                state.problems.add(
                    f"Branch {chain.label} of the 5 Whys links F{number}, but there is no "
                    f"contributing factor F{number} (this post-mortem has {len(doc.factors)}).",
                    line=state.analysis_line,
                    field="analysis.factors",
                )
                continue
            factors.append(index)
        actions = []
        for number in branch.actions:
            item = by_key.get(f"A{number}")
            if item is None:
                state.problems.add(
                    f"Branch {chain.label} of the 5 Whys links A{number}, but there is no "
                    f"action item A{number} (this post-mortem has {len(doc.action_items)}).",
                    line=state.analysis_line,
                    field="analysis.actions",
                )
                continue
            actions.append(positions[id(item)])
        branch.factors, branch.actions = factors, actions
