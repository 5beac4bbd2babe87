"""Types shared by the request schemas: times that must carry a timezone, plain dates.

Pydantic would read ``2026-03-01T14:02`` as a naive time and Django would then guess its
zone; in a post-mortem an hour off rewrites the story, so times go through the same
``parse_utc`` as the web forms and the Markdown importer, which refuses naive input.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict, WithJsonSchema

from kintsugi.core.timeparse import parse_date, parse_utc
from kintsugi.core.validation import MAX_ESTIMATE, MAX_ID, MAX_SPRINT


def _utc(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError(
            "Give the time as an ISO 8601 string with a timezone, such as 2026-03-01T14:02:00Z."
        )
    return parse_utc(value)  # its ValidationProblem is a ValueError: pydantic reports it


def _date(value: Any) -> date:
    if not isinstance(value, str):
        raise ValueError("Give the date as a string, YYYY-MM-DD.")
    return parse_date(value)


UtcDateTime = Annotated[
    datetime,
    BeforeValidator(_utc),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "description": "ISO 8601 with an explicit offset or Z; stored and returned in UTC.",
            "examples": ["2026-03-01T14:02:00Z"],
        }
    ),
]

IsoDate = Annotated[
    date,
    BeforeValidator(_date),
    WithJsonSchema({"type": "string", "format": "date", "examples": ["2026-03-15"]}),
]


# Numbers within what each field means (docs/api.md, "Limits"): beyond a bigint an id or a
# version would overflow the database (a 500 on PostgreSQL and SQLite alike), and a sprint
# number or an estimate beyond these is a typo. Pydantic answers 422 naming the field.
Id = Annotated[int, Field(ge=1, le=MAX_ID, description="An object's id.")]
Version = Annotated[int, Field(ge=0, le=MAX_ID)]
SprintNumber = Annotated[int, Field(ge=1, le=MAX_SPRINT, description="Sprint number.")]
Estimate = Annotated[float, Field(ge=0, le=MAX_ESTIMATE, description="Points or hours.")]


class InputSchema(Schema):
    """Request bodies refuse unknown fields: a typo must not be silently ignored."""

    model_config = ConfigDict(extra="forbid")


def document_version_as_required(schema: dict[str, Any]) -> None:
    """``json_schema_extra`` for a body whose ``version`` the code requires (422 without).

    The field itself stays optional for pydantic, because the version may come in an
    If-Match header instead; the schema says what a generated client should send.
    """
    required = schema.setdefault("required", [])
    if "version" not in required:
        required.append("version")


class VersionedInput(InputSchema):
    """A change to a stored object, which must name the version it was made from."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=document_version_as_required)

    version: Version | None = Field(
        None,
        description="The version you read (the object's 'version', or its ETag). Required: "
        "leave it out only if you send it in an If-Match header instead.",
    )


class ImportProblem(Schema):
    line: int | None
    field: str | None
    message: str


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]
    current: dict[str, Any] | None = Field(
        None, description="409 only: the stored object, to merge with and retry."
    )
    line: int | None = Field(None, description="Markdown import only: the first bad line.")
    problems: list[ImportProblem] | None = Field(
        None, description="Markdown import only: every problem found."
    )


class ErrorOut(Schema):
    """The one error shape of every failure (see docs/api.md)."""

    error: ErrorDetail


# The failures every authenticated endpoint on an object may answer with.
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
