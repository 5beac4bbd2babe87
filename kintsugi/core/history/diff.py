"""The diff of two snapshots of a post-mortem, section by section.

Prose is compared word by word (what a reviewer wants to see in a changed paragraph);
lists of rows (timeline events, factors, lessons, action items, 5 Whys steps) row by row,
matched on the stored row's id, so an edited event shows as one changed row with its
changed fields, not as a removal and an addition. Only changed rows are compared field by
field: two versions of a 500-event timeline that differ in two events cost two word diffs
and a dictionary comparison per event.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, Literal

from kintsugi.core.history.sections import SECTIONS, Field, Section, Snapshot

Op = Literal["same", "added", "removed"]
RowOp = Literal["added", "removed", "changed"]

_TOKEN = re.compile(r"\w+|[^\w\s]+|\s+")
# Above this many tokens on both sides, prose is compared line by line first and word by
# word only inside the lines that changed (difflib's matcher is quadratic at worst).
_WORD_LIMIT = 2000


@dataclass(frozen=True)
class Piece:
    op: Op
    text: str


@dataclass(frozen=True)
class FieldChange:
    key: str
    label: str
    before: str
    after: str
    pieces: tuple[Piece, ...] = ()  # prose only: the word-level diff

    @property
    def prose(self) -> bool:
        return bool(self.pieces)


@dataclass(frozen=True)
class RowChange:
    op: RowOp
    row_id: object
    label: str
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class SectionDiff:
    section: Section
    fields: tuple[FieldChange, ...] = ()  # the summary's changed fields
    rows: tuple[RowChange, ...] = ()  # a list's changed rows, in the newer order
    unchanged_rows: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.fields or self.rows)


def value_text(value: Any) -> str:
    """How a stored value reads in a diff."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return "; ".join(value_text(item) for item in value)
    if isinstance(value, Mapping):
        return " ".join(value_text(item) for item in value.values() if item not in ("", None))
    return str(value)


def _merge(pieces: list[Piece]) -> list[Piece]:
    merged: list[Piece] = []
    for piece in pieces:
        if not piece.text:
            continue
        if merged and merged[-1].op == piece.op:
            merged[-1] = Piece(piece.op, merged[-1].text + piece.text)
        else:
            merged.append(piece)
    return merged


def _token_diff(before: Sequence[str], after: Sequence[str]) -> list[Piece]:
    pieces: list[Piece] = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", "".join(before[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("removed", "".join(before[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("added", "".join(after[j1:j2])))
    return pieces


def word_diff(before: str, after: str) -> tuple[Piece, ...]:
    """The pieces that read ``before`` (same + removed) and ``after`` (same + added)."""
    old, new = _TOKEN.findall(before), _TOKEN.findall(after)
    if min(len(old), len(new)) <= _WORD_LIMIT:
        return tuple(_merge(_token_diff(old, new)))
    old_lines, new_lines = before.splitlines(keepends=True), after.splitlines(keepends=True)
    pieces: list[Piece] = []
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", "".join(old_lines[i1:i2])))
            continue
        old_block, new_block = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        old_tokens, new_tokens = _TOKEN.findall(old_block), _TOKEN.findall(new_block)
        if min(len(old_tokens), len(new_tokens)) <= _WORD_LIMIT:
            pieces += _token_diff(old_tokens, new_tokens)
        else:
            pieces += [Piece("removed", old_block), Piece("added", new_block)]
    return tuple(_merge(pieces))


def _field_change(spec: Field, before: Any, after: Any) -> FieldChange | None:
    if before == after:
        return None
    old, new = value_text(before), value_text(after)
    if old == new:
        return None
    pieces = word_diff(old, new) if spec.prose else ()
    return FieldChange(spec.key, spec.label, old, new, pieces)


def _fields_diff(
    fields: Sequence[Field], before: Mapping[str, Any], after: Mapping[str, Any]
) -> tuple[FieldChange, ...]:
    changes = (_field_change(spec, before.get(spec.key), after.get(spec.key)) for spec in fields)
    return tuple(change for change in changes if change is not None)


def _row_label(section: Section, row: Mapping[str, Any]) -> str:
    text = value_text(row.get(section.row_label))
    return text if len(text) <= 80 else text[:79] + "…"


def _whole_row(section: Section, op: RowOp, row: Mapping[str, Any]) -> RowChange:
    empty: dict[str, Any] = {}
    before, after = (empty, row) if op == "added" else (row, empty)
    return RowChange(
        op, row.get("id"), _row_label(section, row), _fields_diff(section.fields, before, after)
    )


def _rows_diff(
    section: Section, before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]]
) -> SectionDiff:
    old_by_id = {row.get("id"): row for row in before}
    new_ids = {row.get("id") for row in after}
    # A removed row is shown after the row that preceded it (None: at the start).
    removed_after: dict[object, list[RowChange]] = {}
    anchor: object = None
    for row in before:
        key = row.get("id")
        if key in new_ids:
            anchor = key
        else:
            removed_after.setdefault(anchor, []).append(_whole_row(section, "removed", row))
    changes: list[RowChange] = list(removed_after.get(None, []))
    unchanged = 0
    counts = {"added": 0, "removed": len(before) - (len(old_by_id.keys() & new_ids)), "changed": 0}
    for row in after:
        key = row.get("id")
        old = old_by_id.get(key)
        if old is None:
            changes.append(_whole_row(section, "added", row))
            counts["added"] += 1
        elif old == row:
            unchanged += 1
        else:
            fields = _fields_diff(section.fields, old, row)
            if fields:
                changes.append(RowChange("changed", key, _row_label(section, row), fields))
                counts["changed"] += 1
            else:
                unchanged += 1
        changes += removed_after.get(key, [])
    return SectionDiff(section, rows=tuple(changes), unchanged_rows=unchanged, counts=counts)


def section_diff(section: Section, before: Snapshot | None, after: Snapshot | None) -> SectionDiff:
    """What changed in one section from ``before`` to ``after`` (None: the section was empty)."""
    old = before if before is not None else section.empty()
    new = after if after is not None else section.empty()
    if section.rows:
        return _rows_diff(section, old, new)
    return SectionDiff(section, fields=_fields_diff(section.fields, old, new))


def document_diff(
    before: Mapping[str, Snapshot], after: Mapping[str, Snapshot]
) -> list[SectionDiff]:
    """Every section's diff, in the document's order (unchanged sections included)."""
    return [section_diff(s, before.get(key), after.get(key)) for key, s in SECTIONS.items()]
