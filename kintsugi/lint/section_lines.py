"""Where a section of a Markdown post-mortem starts and ends, by its heading's meaning.

The 5 Whys and the timeline checks both point their findings at lines inside one section;
they find it the same way, so that a heading in a code block, an indented line or a deeper
sub-heading never ends or starts a section for one check and not the other. They, and the
template check, also point at a line the same way (``line_finding``): one span per line.
"""

from __future__ import annotations

from kintsugi.core.language import Finding, Level


def find_section(lines: list[str], key: str, *, max_level: int) -> tuple[int, int, int] | None:
    """(heading line, 1-based; first body index; end index) of the first section whose
    heading means ``key`` (``section_key``) at level ``max_level`` or above, else None."""
    # Imported here: lint loads these only for a document that reaches this check.
    from kintsugi.core.language.prose import mask_code_blocks
    from kintsugi.core.markdown.headings import section_key

    masked = mask_code_blocks("\n".join(lines)).split("\n")
    for index, line in enumerate(masked):
        level = _heading_level(line, loose=True)
        if not level or level > max_level:
            continue
        title = line.lstrip()[level:].strip().rstrip("#").strip()
        if section_key(title) != key:
            continue
        end = len(lines)
        for later in range(index + 1, len(lines)):
            depth = _heading_level(masked[later])
            if depth and depth <= level:
                end = later
                break
        return index + 1, index + 1, end
    return None


def _heading_level(line: str, *, loose: bool = False) -> int:
    """The ATX heading level of ``line`` (0 when it is no heading, or indented as code).
    ``loose``: also "#Title" without the space, as people type a section's own heading."""
    stripped = line.lstrip()
    if not stripped.startswith("#") or line.startswith("    "):
        return 0
    level = len(stripped) - len(stripped.lstrip("#"))
    return level if loose or stripped[level : level + 1] in (" ", "") else 0


def line_offsets(lines: list[str]) -> list[int]:
    """The offset in the text of the start of each line (lines split on "\\n")."""
    offsets = [0]
    for line in lines[:-1]:
        offsets.append(offsets[-1] + len(line) + 1)
    return offsets


def line_finding(
    lines: list[str],
    offsets: list[int],
    line: int,
    *,
    rule: str,
    category: str,
    severity: Level,
    message: str,
    suggestion: str,
    column: int | None = None,
) -> Finding:
    """A finding on the text of line ``line`` (1-based, clamped to the document), from
    ``column`` (1-based; by default its first non-blank character) to the line's end."""
    line = min(max(line, 1), len(lines))
    body = lines[line - 1]
    if column is None:
        column = len(body) - len(body.lstrip()) + 1
    return Finding(
        rule=rule,
        category=category,
        severity=severity,
        message=message,
        suggestion=suggestion,
        line=line,
        column=column,
        end_line=line,
        end_column=max(column + 1, len(body.rstrip()) + 1),
        start=offsets[line - 1] + column - 1,
        end=offsets[line - 1] + max(column, len(body.rstrip())),
        excerpt=" ".join(body.split())[:80],
    )
