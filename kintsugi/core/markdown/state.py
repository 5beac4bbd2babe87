"""What the importer has read so far, shared by the section readers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from kintsugi.core.document import PostmortemDocument
from kintsugi.core.markdown.blocks import Line
from kintsugi.core.markdown.problems import Collector
from kintsugi.core.markdown.report import ImportReport
from kintsugi.core.markdown.timeline_dates import DateContext
from kintsugi.core.markdown.zones import Zone

if TYPE_CHECKING:
    from kintsugi.core.markdown.stated_times import StatedWindow

T = TypeVar("T")


@dataclass
class ActionSource:
    """Where an action item came from, for problems found once the whole file is read."""

    line: int
    key: str  # "A1"
    addresses: str | None = None  # the raw "Addresses" cell ("F2"), resolved at the end


@dataclass
class ParseState:
    doc: PostmortemDocument
    problems: Collector = field(default_factory=Collector)
    # Timeline context for times written without a date or a zone.
    timeline_date: date | None = None
    day_offset: int = 0
    utc_declared: bool = False
    # Zones: declared in a sentence anywhere (best effort), by the timeline heading or a
    # line in it, and the document's own names ("XYZ, which is UTC+05:30"); timeline_clock.py.
    doc_zone: Zone | None = None
    doc_zone_line: int | None = None
    section_zone: Zone | None = None
    # The zone the last timeline entry wrote beside its time ("### 17:04 PST"), and its line:
    # best effort reads the entries after it that give none in it until another is written,
    # when nothing declares a zone for them (timeline_clock._zone_of).
    carried_zone: tuple[Zone, int] | None = None
    # The outage window the header or summary states ("Duration: ~30 minutes (16:15-16:45
    # CET)"), best effort: the bounds where the timeline marks no start or end.
    stated_window: StatedWindow | None = None
    zone_definitions: dict[str, Zone] = field(default_factory=dict)
    unknown_zone: tuple[str, int] | None = None  # "All times are ABC." (word, line)
    dates: DateContext = field(default_factory=DateContext)
    timeline_notes: set[str] = field(default_factory=set)  # notes given once per document
    factor_labels: dict[str, int] = field(default_factory=dict)  # "F2" -> 2
    action_sources: list[ActionSource] = field(default_factory=list)
    texts: dict[str, list[str]] = field(default_factory=dict)
    appendix: list[str] = field(default_factory=list)
    meta_lines: dict[str, int] = field(default_factory=dict)  # front matter key -> line
    # "[ref]: url" definitions anywhere in the document (best effort; action tickets).
    link_references: dict[str, str] = field(default_factory=dict)
    analysis_line: int | None = None  # the 5 Whys heading, for problems with its links
    # Best effort (the default for import) records decisions in ``report``; strict mode
    # (our own files, ``--strict``) refuses instead. See report.py.
    strict: bool = True
    report: ImportReport = field(default_factory=ImportReport)
    _full: set[str] = field(default_factory=set)

    def assume(self, message: str, *, line: int | None = None, field: str | None = None) -> None:
        """A decision the importer took for the author ("'Major' read as SEV2"): noted in
        best-effort mode, a refusal in strict mode."""
        if self.strict:
            self.problems.add(message, line=line, field=field)
        else:
            self.report.add("assumption", message, line=line, field=field)

    def keep(
        self,
        message: str,
        heading: str,
        lines: Sequence[Line],
        *,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        """Text that could not be read as what it looks like: refused in strict mode, else
        kept under its heading in the appendix and reported, so a person can place it."""
        if self.strict:
            self.problems.add(message, line=line, field=field)
            return
        self.report.add("kept", message, line=line, field=field)
        self.stray(heading, lines)

    def attention(self, message: str, *, line: int | None = None, field: str | None = None) -> None:
        """Something only a person can decide; a refusal in strict mode."""
        if self.strict:
            self.problems.add(message, line=line, field=field)
        else:
            self.report.add("attention", message, line=line, field=field)

    def add_text(self, name: str, text: str) -> None:
        """Text for a free-text field; several sources (a "Summary:" line and a Summary
        section) are joined with a blank line rather than one overwriting the other."""
        if text:
            self.texts.setdefault(name, []).append(text)

    def append(self, items: list[T], value: T, *, field: str, limit: int, line: int) -> bool:
        """Append unless the list is full; the first refused item is reported once."""
        if len(items) >= limit:
            if field not in self._full:
                self._full.add(field)
                self.problems.add(
                    f"Too many {field.replace('_', ' ')}: the limit is {limit}; this is "
                    f"number {limit + 1}.",
                    line=line,
                    field=field,
                )
            return False
        items.append(value)
        return True

    def stray(self, heading: str, lines: Sequence[Line]) -> None:
        """Keep text we could not place, under the heading it came from, in the appendix."""
        body = "\n".join(line.text for line in lines).strip()
        if body:
            self.appendix.append(f"{heading}\n\n{body}" if heading else body)
