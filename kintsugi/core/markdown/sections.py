"""The sections of a Markdown post-mortem: a heading and the lines under it, found by
heading level; and, in best effort, the date headings that belong to a timeline."""

from __future__ import annotations

from kintsugi.core.markdown.blocks import Line, heading
from kintsugi.core.markdown.headings import section_key
from kintsugi.core.markdown.state import ParseState
from kintsugi.core.markdown.timeline_dates import is_day_heading


class Section:
    """A heading and the lines up to the next heading of the same or a higher level."""

    def __init__(self, heading_line: Line, title: str, level: int, lines: list[Line]):
        self.heading_line = heading_line
        self.title = title
        self.level = level
        self.lines = lines
        self.key = section_key(title)

    def split(self) -> tuple[list[Line], list[Section]]:
        """The lines before the first subsection, and the subsections (one level down)."""
        return split_sections(self.lines, self.level + 1)


def split_sections(lines: list[Line], level: int) -> tuple[list[Line], list[Section]]:
    intro: list[Line] = []
    sections: list[Section] = []
    for line in lines:
        found = heading(line)
        if found is not None and found[0] <= level:
            sections.append(Section(line, found[1], found[0], []))
        elif sections:
            sections[-1].lines.append(line)
        else:
            intro.append(line)
    return intro, sections


def split_body(
    state: ParseState, lines: list[Line], title_lines: set[int]
) -> tuple[int, list[Line], list[Section]]:
    """The body below the title as import splits it: the level of the first known section
    heading (2 without one), the lines before the first section, and the sections (date
    headings after a timeline joined to it in best effort). One function, so the timeline
    reader (timeline_part.py) finds exactly the sections import finds."""
    headings = [(index, *found) for index, line in enumerate(lines) if (found := heading(line))]
    known = [h for h in headings if h[0] not in title_lines and section_key(h[2]) is not None]
    level = known[0][1] if known else 2
    rest = [line for index, line in enumerate(lines) if index not in title_lines]
    preamble, sections = split_sections(rest, level)
    if not state.strict:
        sections = join_day_sections(state, sections)
    return level, preamble, sections


def join_day_sections(state: ParseState, sections: list[Section]) -> list[Section]:
    """Best effort: a run of date headings ("## May 12", "## 2024-05-13") right after a
    timeline section, at its level, holds that timeline's days, not sections of their own."""
    joined: list[Section] = []
    days: list[Section] = []
    for section in sections:
        last = joined[-1] if joined else None
        if (
            last is not None
            and last.key == "timeline"
            and section.key is None
            and is_day_heading(section.title)
        ):
            last.lines.extend([section.heading_line, *section.lines])
            days.append(section)
            continue
        joined.append(section)
    if days:
        names = ", ".join(repr(day.title.strip()) for day in days[:3])
        state.assume(
            f"{len(days)} date heading{'s' if len(days) > 1 else ''} after the timeline "
            f"({names}{', ...' if len(days) > 3 else ''}) read as its days.",
            line=days[0].heading_line.number,
            field="timeline",
        )
    return joined
