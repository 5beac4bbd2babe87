"""What an import did with a document: the report a person reads before trusting it.

Real post-mortems were not written for Kintsugi. Importing one is a series of small
decisions (this table is the timeline, "Major" means SEV2, these times are in the zone the
heading declares, this owner is not a user yet) and a person must be able to see and
check each of them. So the importer records every decision as a :class:`Note` instead of
either refusing the file or guessing in silence; ``--strict`` turns the same notes into
refusals for CI pipelines.

Kinds of note:

- ``assumption``: a value was mapped or inferred ("severity 'Major' read as SEV2").
- ``kept``: something could not be placed or read; its text is kept (in the section it
  came from or the appendix) so that a person can place it.
- ``attention``: something a person must decide (no title found, an ambiguous zone).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from kintsugi.core.document import PostmortemDocument

NoteKind = Literal["assumption", "kept", "attention"]
NOTE_KINDS: tuple[NoteKind, ...] = ("assumption", "kept", "attention")

# A pathological file could make thousands of notes; the first ones tell the story.
MAX_NOTES = 200


@dataclass(frozen=True)
class Note:
    kind: NoteKind
    message: str
    line: int | None = None
    field: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message, "line": self.line, "field": self.field}


@dataclass
class ImportReport:
    source: str = "<input>"
    notes: list[Note] = field(default_factory=list)
    dropped: int = 0  # notes beyond MAX_NOTES, counted
    # What was recognised, by part: {"timeline": 14, "action_items": 5, ...}; set at the end.
    recognised: dict[str, int] = field(default_factory=dict)

    def add(
        self, kind: NoteKind, message: str, *, line: int | None = None, field: str | None = None
    ) -> None:
        note = Note(kind, message, line, field)
        if note in self.notes:
            return  # the same decision taken twice is reported once
        if len(self.notes) >= MAX_NOTES:
            self.dropped += 1
            return
        self.notes.append(note)

    def of_kind(self, kind: NoteKind) -> list[Note]:
        return [note for note in self.notes if note.kind == kind]

    @property
    def clean(self) -> bool:
        """Nothing assumed, kept or left to a person: the file was in our format."""
        return not self.notes and not self.dropped

    def as_dict(self) -> dict[str, Any]:
        ordered = sorted(self.notes, key=lambda n: (n.line is None, n.line or 0))
        return {
            "source": self.source,
            "recognised": dict(self.recognised),
            "notes": [note.as_dict() for note in ordered],
            "more_notes": self.dropped,
        }


@dataclass
class ImportResult:
    """A document read in best-effort mode, and how it was read."""

    document: PostmortemDocument
    report: ImportReport
