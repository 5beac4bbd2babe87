"""Contributing factors and their typed evidence links."""

from __future__ import annotations

from ninja import Field, Schema

from kintsugi.api.pagination import page_of
from kintsugi.api.schemas.common import InputSchema, VersionedInput
from kintsugi.core import document as limits
from kintsugi.core.vocabulary import EvidenceKind
from kintsugi.postmortems.models import Factor


class EvidenceOut(Schema):
    id: int
    kind: EvidenceKind
    url: str
    label: str


class FactorOut(Schema):
    id: int
    incident: int
    position: int
    title: str
    description: str
    evidence: list[EvidenceOut]
    version: int

    @staticmethod
    def resolve_incident(obj: Factor) -> int:
        return obj.incident_id  # type: ignore[attr-defined,no-any-return]

    @staticmethod
    def resolve_evidence(obj: Factor) -> list[object]:
        return list(obj.evidence.all())


FactorPage = page_of(FactorOut)


class FactorIn(InputSchema):
    title: str = Field(max_length=limits.MAX_TITLE)
    description: str = Field("", max_length=limits.MAX_TEXT)


class FactorPatch(VersionedInput):
    title: str | None = Field(None, max_length=limits.MAX_TITLE)
    description: str | None = Field(None, max_length=limits.MAX_TEXT)


class EvidenceIn(InputSchema):
    url: str = Field(max_length=limits.MAX_URL)
    kind: EvidenceKind = EvidenceKind.OTHER
    label: str = Field("", max_length=limits.MAX_TITLE)
