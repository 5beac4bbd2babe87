"""Lists written inside a text section, found so that they reach their part.

Real documents nest "### Action Items" under "## Resolution", or write a line "Action
Items" (a label, alone, before a list) under "## Detection"; read as text, the items would
never reach the action items. Only best effort uses this: our export escapes heading-like
lines in text, and strict mode reads text as text.
"""

from __future__ import annotations

from kintsugi.core.markdown.blocks import BULLET, Line, heading, is_blank
from kintsugi.core.markdown.headings import exact_section_key, section_key

# The parts that are lists of things, which a text section may hold.
LIST_PARTS = ("actions", "factors", "lessons", "went_well", "went_poorly", "got_lucky")

Part = tuple[Line, str, int, list[Line]]  # heading line, title, level, lines


def split_list_parts(lines: list[Line], level: int) -> tuple[list[Line], list[Part]]:
    """(the text's own lines, the list parts) of a text section at ``level``: a
    subsection naming a list part, or a label line before a list, starts a part that
    runs to the next subsection; deeper headings stay in the part they are under."""
    kept: list[Line] = []
    parts: list[Part] = []
    current: Part | None = None
    for index, line in enumerate(lines):
        found = heading(line)
        if found is not None and current is not None and found[0] > current[2]:
            current[3].append(line)
            continue
        if found is not None and found[0] > level:
            current = None
            if section_key(found[1]) in LIST_PARTS:
                current = (line, found[1], found[0], [])
                parts.append(current)
                continue
        elif found is None and _is_list_label(lines, index):
            current = (line, line.text, level + 1, [])
            parts.append(current)
            continue
        (current[3] if current is not None else kept).append(line)
    return kept, parts


def _is_list_label(lines: list[Line], index: int) -> bool:
    """A line that is exactly a list part's name ("Action Items", "**Follow-ups:**"),
    alone after a blank line and right before a list."""
    line = lines[index]
    if line.fenced or exact_section_key(line.text) not in LIST_PARTS:
        return False
    if index > 0 and not is_blank(lines[index - 1].text):
        return False
    following = next((later for later in lines[index + 1 :] if not is_blank(later.text)), None)
    return following is not None and not following.fenced and bool(BULLET.match(following.text))
