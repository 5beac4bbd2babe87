"""Request and response shapes of a post-mortem's history (versions, diffs, restores)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema

from kintsugi.api.schemas.common import InputSchema

SectionKey = Literal["summary", "timeline", "factors", "whys", "lessons", "actions"]


class VersionOut(Schema):
    number: int
    author: str | None = Field(..., description="Username; null for the system (imports, jobs).")
    at: datetime
    sections: list[str] = Field(..., description="The sections this version changed.")
    restored_from: int | None = Field(..., description="The version a restore brought back.")


class VersionPageOut(Schema):
    versions: list[VersionOut]
    latest: int = Field(..., description="The newest version's number (0: none yet).")
    next_before: int | None = Field(
        ..., description="Pass as ?before= for the next (older) page; null on the last page."
    )


class VersionDetailOut(VersionOut):
    snapshot: dict[str, Any] = Field(
        ..., description="Every section as it was at this version (docs/api.md, History)."
    )


class PieceOut(Schema):
    op: Literal["same", "added", "removed"]
    text: str


class FieldChangeOut(Schema):
    key: str
    label: str
    before: str
    after: str
    words: list[PieceOut] = Field(..., description="Word-level diff of prose; empty for values.")


class RowChangeOut(Schema):
    op: Literal["added", "removed", "changed"]
    id: Any
    label: str
    fields: list[FieldChangeOut]


class SectionDiffOut(Schema):
    section: str
    label: str
    changed: bool
    fields: list[FieldChangeOut]
    rows: list[RowChangeOut]
    unchanged_rows: int


class DiffOut(Schema):
    from_version: int
    to_version: int
    sections: list[SectionDiffOut]


class RestoreIn(InputSchema):
    section: SectionKey
    seen: int = Field(
        ...,
        ge=1,
        le=2_000_000_000,
        description="The newest version you looked at: the restore is refused (409) if the "
        "section changed since.",
    )
