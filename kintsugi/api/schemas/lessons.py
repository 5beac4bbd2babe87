"""Lessons learned: what went well, what went poorly, where we got lucky."""

from __future__ import annotations

from ninja import Field, Schema

from kintsugi.api.pagination import PageParams, page_of
from kintsugi.api.schemas.common import InputSchema, VersionedInput
from kintsugi.core import document as limits
from kintsugi.core.vocabulary import LessonKind
from kintsugi.postmortems.models import Lesson


class LessonQuery(PageParams):
    kind: LessonKind | None = None


class LessonOut(Schema):
    id: int
    incident: int
    kind: LessonKind
    text: str
    position: int
    version: int

    @staticmethod
    def resolve_incident(obj: Lesson) -> int:
        return obj.incident_id  # type: ignore[attr-defined,no-any-return]


LessonPage = page_of(LessonOut)


class LessonIn(InputSchema):
    kind: LessonKind
    text: str = Field(max_length=limits.MAX_SHORT_TEXT)


class LessonPatch(VersionedInput):
    kind: LessonKind | None = None
    text: str | None = Field(None, max_length=limits.MAX_SHORT_TEXT)
