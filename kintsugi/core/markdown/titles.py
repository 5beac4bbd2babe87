"""Where a post-mortem's title is, when it is not simply the first ``# Heading``.

Real files put it in the front matter only (Jekyll and Hugo pages render it themselves),
in an H1 after an intro line, in a first ``##`` heading, in a ``Title:`` line, or only in
the file name; and their first heading is sometimes a date ("# 2024-05-01") or a section
name ("# Summary"). :func:`find_title` picks the heading that is the title, in this order:

1. with a front matter title: an H1 before the first section that says the same (it is
   consumed); one that says something else is refused in strict mode, and in best effort
   the front matter title is kept and the heading stays in the document, noted;
2. otherwise the first H1 before the first section that is neither a section name nor a
   bare date;
3. otherwise a first heading of level 2 or 3 with nothing but dates before it, that is
   neither a section name nor a bare date (best effort, noted).

Headings that are only a date, before the title, are read as the incident's day (noted).
Without any of these, a ``Title:`` line (preamble.py) or the file name gives the title.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.blocks import Line, heading, is_blank
from kintsugi.core.markdown.escaping import unescape_heading_title
from kintsugi.core.markdown.fields import clean_title
from kintsugi.core.markdown.headings import exact_section_key, section_key
from kintsugi.core.markdown.state import ParseState

_MONTHS = "january february march april may june july august september october november december"
_MONTH = r"(?:" + "|".join(f"{m[:3]}(?:{m[3:]})?" for m in _MONTHS.split()) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*,?\s+)?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
# A heading that is only a date: 2024-05-01, 2024/05/01, 1 May 2024, May 1st, 2024,
# Friday 29 November 2019 (an optional time after it, as in "2024-05-01 14:00 UTC").
_BARE_DATE = re.compile(
    rf"^{_WEEKDAY}(?:\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}|{_DAY}\s+{_MONTH},?\s+\d{{4}}"
    rf"|{_MONTH}\s+{_DAY},?\s+\d{{4}})(?:[ T,]+\d{{1,2}}:\d{{2}}.*)?$",
    re.IGNORECASE,
)
_ISO_DAY = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


def bare_date(text: str) -> bool:
    return _BARE_DATE.match(_plain(text)) is not None


def _plain(text: str) -> str:
    return re.sub(r"[*_`]+", "", text).strip().strip(":").strip()


def _same_title(left: str, right: str) -> bool:
    """Front matter and heading name the same title when they differ only in case,
    spacing, emphasis or final punctuation."""

    def norm(text: str) -> str:
        return " ".join(_plain(text).casefold().split()).rstrip(".!")

    return norm(left) == norm(right)


def _iso_day(text: str) -> date | None:
    found = _ISO_DAY.search(text)
    if found is None:
        return None
    try:
        return date(*(int(part) for part in found.groups()))
    except ValueError:
        return None


def find_title(state: ParseState, lines: list[Line]) -> set[int]:
    """Set the title from the headings (see the module docstring) and return the indexes
    of the lines it consumed: the title heading and the date headings before it."""
    headings = [(index, *found) for index, line in enumerate(lines) if (found := heading(line))]
    front_title = state.doc.title
    consumed: set[int] = set()
    dates: list[tuple[int, int]] = []  # (index, level)
    first_content = next(
        (index for index, line in enumerate(lines) if not is_blank(line.text)), None
    )
    for index, level, text in headings:
        is_title = bool(front_title) and level == 1 and _same_title(text, front_title)
        # A top heading is the title unless it is exactly a section's name: "# DNS
        # resolution failures" names an incident, though "resolution" names a section.
        names_section = exact_section_key(text) if level == 1 else section_key(text)
        if not is_title and names_section is not None:
            break  # the sections begin: no title below this
        if not is_title and bare_date(text):
            dates.append((index, level))
            continue
        if level == 1:
            if front_title:
                _read_heading_title(state, lines[index], text)
            else:
                _set_title(state, lines[index], text, noted=bool(dates))
            consumed.add(index)
        elif not front_title and level <= 3 and not _field_heading(text):
            start = first_content or 0
            before = [i for i in range(start, index) if not is_blank(lines[i].text)]
            if all(i in {at for at, _ in dates} for i in before):
                _set_title(state, lines[index], text, noted=True)
                consumed.add(index)
        break
    # Dates above a title, or a "# 2024-05-01" document heading, are the incident's day;
    # "### 2024-05-01 14:02" headings with no title after them may be a timeline: left.
    for index, level in dates:
        if consumed or level == 1:
            _read_date_heading(state, lines[index])
            consumed.add(index)
    return consumed


# "## Owner: @alice", "## Involved:" head a form, not a title; "## Postmortem: API outage"
# and "## Outage: DNS" are titles.
_FIELD_HEADING = re.compile(r"^([A-Za-z][\w '/&-]{0,40}):(?:\s+(.*))?$")
_TITLE_LABELS = re.compile(
    r"^(?:post[- ]?mortem|incident(?: report)?|outage|rca|retrospective|retro|report)$",
    re.IGNORECASE,
)


def _field_heading(text: str) -> bool:
    found = _FIELD_HEADING.match(re.sub(r"[*_`]+", "", text).strip())
    return found is not None and not _TITLE_LABELS.match(found.group(1).strip())


def _set_title(state: ParseState, line: Line, text: str, *, noted: bool) -> None:
    with state.problems.guard(line.number):
        state.doc.title = clean_title(unescape_heading_title(text), field="title")
        state.meta_lines.setdefault("title", line.number)
        if noted:
            state.assume(
                f"The heading {line.text.strip()!r} on line {line.number} is read as the title.",
                line=line.number,
                field="title",
            )


def _read_heading_title(state: ParseState, line: Line, text: str) -> None:
    """An H1 under a front matter title: the same title, or (best effort) another text
    kept in the appendix, so the lines under it are still read as the preamble."""
    with state.problems.guard(line.number):
        title = clean_title(unescape_heading_title(text), field="title")
        if title == state.doc.title or _same_title(title, state.doc.title):
            return
        if state.strict:
            raise ValidationProblem(
                f"The '# {title}' heading and the front matter title "
                f"{state.doc.title!r} differ; make them the same.",
                field="title",
            )
        state.report.add(
            "kept",
            f"The '# {title}' heading differs from the front matter title "
            f"{state.doc.title!r}; the front matter title is kept and the heading is kept in "
            "the appendix.",
            line=line.number,
            field="title",
        )
        state.stray("", [line])


def _read_date_heading(state: ParseState, line: Line) -> None:
    """A heading that is only a date, above the title: the incident's day."""
    day = _iso_day(_plain(line.text))
    if day is None:
        try:
            day = datetime.strptime(
                re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", _plain(line.text).lstrip("# ")),
                "%B %d, %Y",
            ).date()
        except ValueError:
            day = None
    if day is not None and state.timeline_date is None:
        state.timeline_date = day
    written = _plain(line.text).lstrip("# ")
    previous = state.doc.source_metadata.get("date_heading")
    state.doc.source_metadata["date_heading"] = f"{previous}; {written}" if previous else written
    state.assume(
        f"The heading {line.text.strip()!r} is a date, not the title: it is read as the "
        "incident's day and kept in the source metadata as 'date_heading'.",
        line=line.number,
        field="title",
    )


# File names say little beyond the title: a date, a number, "postmortem" or "incident".
_NAME_NOISE = re.compile(
    r"^(?:\d{4}[-_.]?\d{2}(?:[-_.]?\d{2})?|\d{1,6})(?=[-_ ]|$)[-_ ]*"
    r"|^(?:post[-_ ]?mortem|pm|incident(?:[-_ ]report)?|outage[-_ ]report|rca)(?=[-_ ]|$)[-_ ]*"
    r"|[-_ ]+(?:post[-_ ]?mortem|incident[-_ ]report|rca)$"
    r"|[-_ ]+\d{4}[-_.]?\d{2}(?:[-_.]?\d{2})?$",
    re.IGNORECASE,
)
_LEADING_NUMBER = re.compile(r"^(?:\d{4}[-_.]?\d{2}(?:[-_.]?\d{2})?|\d{1,6})(?=[-_ ]|$)[-_ ]*")
# Names that say nothing about the incident (a Hugo page bundle is "index.md").
_EMPTY_NAMES = ("index", "_index", "readme", "untitled", "draft", "template")


def title_from_filename(filename: str | None) -> str:
    """ "2024-05-01-postmortem-api-outage.md" -> "Api outage"; "" when the name says
    nothing (index.md, README.md, a bare date).

    A name in lower case is a machine's slug: its dates, numbers and "postmortem" words are
    noise. A name with capitals ("Postmortem-flutter.dev-outage-on-August-26-2023.md") was
    written as a title: only its leading date or number goes.
    """
    stem = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    noise = _NAME_NOISE if stem == stem.lower() else _LEADING_NUMBER
    previous = None
    while previous != stem:
        previous, stem = stem, noise.sub("", stem).strip("-_ ")
    if stem.lower() in _EMPTY_NAMES or _NAME_NOISE.fullmatch(stem):
        return ""
    words = " ".join(stem.replace("_", " ").replace("-", " ").split())
    return words[:1].upper() + words[1:]
