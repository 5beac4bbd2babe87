"""The root-cause sections: contributing factors, and the 5 Whys with what best effort
makes of a "Root cause analysis" written as prose or a list (a team's root causes, not a
malformed 5 Whys) and of a "Five Why's" written as a bullet list (whys_list.py)."""

from __future__ import annotations

import re

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.five_whys.markdown import parse_analysis
from kintsugi.core.markdown.blocks import Line, split_blocks, strip_blank, text_of
from kintsugi.core.markdown.factors_section import read_factor_blocks, read_factor_subsection
from kintsugi.core.markdown.headings import normalise_name
from kintsugi.core.markdown.sections import Section
from kintsugi.core.markdown.state import ParseState
from kintsugi.core.markdown.whys_list import has_list, read_whys_list


def read_factors(state: ParseState, section: Section) -> None:
    intro, subsections = section.split()
    if not state.strict:
        instructions = _instructions(intro)
        state.stray(section.heading_line.text, instructions)
        intro = intro[len(instructions) :]
    if not subsections:
        count = read_factor_blocks(
            state,
            section.heading_line.text,
            split_blocks(intro),
            join_paragraphs=not state.strict,
        )
        if count and not state.strict:
            state.report.add(
                "assumption",
                f"The '{_name(section)}' section is written as a list or prose; it is read as "
                f"{count} contributing factor{'s' if count > 1 else ''}, each titled by its "
                "bold lead or first sentence.",
                line=section.heading_line.number,
                field="factors",
            )
        return
    state.stray(section.heading_line.text, intro)
    for sub in subsections:
        read_factor_subsection(state, sub.heading_line, sub.title, sub.lines)


_INSTRUCTION = re.compile(r"^[ \t]*([*_])(?![*_\s]).*[^*_\s]\1[ \t]*$")


def _instructions(lines: list[Line]) -> list[Line]:
    """The template's instruction under a heading, wholly in italics ("*Note the final root
    cause and describe what needs to change*"): kept as text, not read as a cause."""
    count = 0
    while count < len(lines) and (
        not lines[count].text.strip()
        or (not lines[count].fenced and _INSTRUCTION.match(lines[count].text))
    ):
        count += 1
    instruction = any(line.text.strip() for line in lines[:count])
    rest = any(line.text.strip() for line in lines[count:])
    return lines[:count] if instruction and rest else []  # alone, it is the cause itself


def _name(section: Section) -> str:
    """A section's name for a message: "Root Causes" of "**Root Causes:** A cascading..."."""
    return re.sub(r"[*_`#]+", "", section.title).split(":", 1)[0].strip()[:80]


def read_analysis(state: ParseState, section: Section) -> None:
    """The 5 Whys body, parsed by the analysis package with file line numbers.

    Its F/A links are resolved in _finish, once the factors and action items are known.
    In best effort, a "Root cause analysis" written as prose or a plain list is not a
    malformed 5 Whys but the team's root causes: it is read as contributing factors. A
    section that says it is a 5 Whys and cannot be read is kept as text.
    """
    body = section.lines
    if not strip_blank(body):
        return
    text = "\n".join(line.text for line in body)
    if state.strict:
        state.analysis_line = section.heading_line.number
        with state.problems.guard(section.heading_line.number):
            tree = parse_analysis(text, first_line=body[0].number)
            state.doc.analysis.branches.extend(tree.branches)
        return
    try:
        tree = parse_analysis(text, first_line=body[0].number)
    except ValidationProblem as problem:
        name, note = normalise_name(section.title)
        if "whys" in f"{name} {note}":
            if _read_whys_list(state, section):
                return
            state.keep(
                f"The 5 Whys could not be read ({problem.message}); the section is kept as text.",
                section.heading_line.text,
                body,
                line=problem.line or section.heading_line.number,
                field="analysis",
            )
            return
        before = len(state.doc.factors)
        read_factors(state, section)
        if len(state.doc.factors) > before:
            state.report.add(
                "assumption",
                f"The '{_name(section)}' section is not written as 5 Whys; its text is read as "
                "contributing factors.",
                line=section.heading_line.number,
                field="analysis",
            )
        return
    state.analysis_line = section.heading_line.number
    state.doc.analysis.branches.extend(tree.branches)


def _read_whys_list(state: ParseState, section: Section) -> bool:
    """Best effort: a "Five Why's" written as a list (whys_list.py) is one chain when it is
    question/answer shaped, else its items are the team's root causes (factors)."""
    read = read_whys_list(section.lines)
    if read is not None:
        branch, rest = read
        state.analysis_line = section.heading_line.number
        state.doc.analysis.branches.append(branch)
        state.stray(section.heading_line.text, rest)
        state.report.add(
            "assumption",
            f"The '{_name(section)}' list is read as one 5 Whys chain of {len(branch.steps)} "
            "steps, its last answer the root cause.",
            line=section.heading_line.number,
            field="analysis",
        )
        return True
    if not has_list(section.lines):
        return False
    read_factors(state, section)  # notes "read as N contributing factors"
    return True


# "This was caused by two factors:", "The root causes were:", "Contributing factors:": the
# last sentence of a paragraph announces the list right after it as the causes.
_CAUSE_INTRO = re.compile(
    r"(?:\bcaused by|\bcauses? (?:was|were|are|is)|\broot[- ]causes?|\bcontributing factors?"
    r"|\bdue to)\b[^.:!?]*:[ \t]*$",
    re.IGNORECASE,
)


def read_announced_causes(state: ParseState, heading_text: str, lines: list[Line]) -> list[Line]:
    """Best effort, in a section of another name ("## Conclusion"): a list that a
    paragraph announces as the causes is read as contributing factors (the announcing
    paragraph stays text); the lines not read are returned, in order.

    From https://github.com/jupyterhub/mybinder.org-deploy (docs, 2017-09-27 Hub 403):
    "This was caused by two factors:" then "1. Local development environment being
    slightly different from production ..." and "2. Testing in staging not thorough enough".
    """
    blocks = split_blocks(lines)
    read: set[int] = set()
    count = 0
    for index, block in enumerate(blocks):
        if block.kind != "paragraph" or not _CAUSE_INTRO.search(text_of(block.lines)):
            continue
        end = index + 1
        while end < len(blocks) and blocks[end].kind == "item":
            end += 1
        if end == index + 1:
            continue
        count += read_factor_blocks(state, heading_text, blocks[index + 1 : end])
        read.update(line.number for item in blocks[index + 1 : end] for line in item.lines)
    if count:
        state.report.add(
            "assumption",
            f"A list announced as the causes under '{heading_text.lstrip('#').strip()[:80]}' "
            f"is read as {count} contributing factor{'s' if count > 1 else ''}.",
            line=min(read),
            field="factors",
        )
    return [line for line in lines if line.number not in read]
