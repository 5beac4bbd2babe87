"""Incidents: the post-mortem's metadata and its executive summary.

Teams and services are referenced by slug, people by username, in both directions, so
that what a client reads can be sent back unchanged.
"""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema
from pydantic import StrictBool

from kintsugi.api.pagination import PageParams, page_of
from kintsugi.api.schemas.common import InputSchema, UtcDateTime, VersionedInput
from kintsugi.api.schemas.timeline import TimelineWarningOut
from kintsugi.core import document as limits
from kintsugi.core.vocabulary import PostmortemStatus, Severity
from kintsugi.postmortems.models import Incident


class IncidentQuery(PageParams):
    status: PostmortemStatus | None = None
    severity: Severity | None = None
    team: str | None = Field(None, max_length=100, description="Team slug.")
    service: str | None = Field(None, max_length=100, description="Service slug.")
    q: str | None = Field(None, max_length=limits.MAX_TITLE, description="Words in the title.")


class IncidentSummary(Schema):
    """A row of the list: what a person scans to pick a post-mortem."""

    id: int
    reference: str
    title: str
    severity: Severity
    status: PostmortemStatus
    started_at: datetime
    ended_at: datetime | None
    team: str | None
    services: list[str]
    is_restricted: bool
    action_items_total: int
    action_items_open: int
    version: int

    @staticmethod
    def resolve_team(obj: Incident) -> str | None:
        return obj.team.slug if obj.team_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_services(obj: Incident) -> list[str]:
        return [service.slug for service in obj.service_list]  # type: ignore[attr-defined]

    @staticmethod
    def resolve_action_items_total(obj: Incident) -> int:
        return obj.action_total  # type: ignore[attr-defined,no-any-return]

    @staticmethod
    def resolve_action_items_open(obj: Incident) -> int:
        return obj.action_open  # type: ignore[attr-defined,no-any-return]


IncidentPage = page_of(IncidentSummary)


class Metrics(Schema):
    """Key moments from the timeline and the durations between them, in seconds."""

    impact_start: datetime | None
    detected_at: datetime | None
    acknowledged_at: datetime | None
    mitigated_at: datetime | None
    recovered_at: datetime | None
    time_to_detect: float | None
    time_to_acknowledge: float | None
    time_to_mitigate: float | None
    time_to_resolve: float | None
    downtime: float | None


class IncidentOut(Schema):
    id: int
    reference: str
    title: str
    severity: Severity
    status: PostmortemStatus
    started_at: datetime
    ended_at: datetime | None
    summary: str
    impact: str
    regions: list[str]
    trigger: str
    detection: str
    resolution: str
    appendix: str
    team: str | None
    services: list[str]
    authors: list[str]
    members: list[str]
    is_restricted: bool
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    version: int

    @staticmethod
    def resolve_team(obj: Incident) -> str | None:
        return obj.team.slug if obj.team_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_services(obj: Incident) -> list[str]:
        return sorted(service.slug for service in obj.services.all())

    @staticmethod
    def resolve_authors(obj: Incident) -> list[str]:
        return sorted(user.username for user in obj.authors.all())

    @staticmethod
    def resolve_members(obj: Incident) -> list[str]:
        return sorted(user.username for user in obj.members.all())

    @staticmethod
    def resolve_created_by(obj: Incident) -> str | None:
        return obj.created_by.username if obj.created_by_id else None  # type: ignore[union-attr]


class IncidentDetail(IncidentOut):
    metrics: Metrics
    warnings: list[str] = Field(
        default_factory=list,
        description=(
            "What the write that returned this incident wants you to know: for example that "
            "it published the post-mortem with open blameless-language findings (warn mode). "
            "Empty on reads."
        ),
    )
    timeline_warnings: list[TimelineWarningOut] = Field(
        default_factory=list,
        description=(
            "Sanity warnings about the timeline (milestones out of order, an event far "
            "outside the incident, implausibly long downtime, events in the future), each "
            "naming its events; the same list as the timeline's 'warnings'."
        ),
    )


class IncidentFields(InputSchema):
    """Fields shared by create and update; all optional here, required ones in IncidentIn."""

    severity: Severity | None = None
    status: PostmortemStatus | None = None
    ended_at: UtcDateTime | None = None
    summary: str | None = Field(None, max_length=limits.MAX_TEXT)
    impact: str | None = Field(None, max_length=limits.MAX_TEXT)
    regions: list[str] | None = Field(None, max_length=50)
    trigger: str | None = Field(None, max_length=limits.MAX_TEXT)
    detection: str | None = Field(None, max_length=limits.MAX_TEXT)
    resolution: str | None = Field(None, max_length=limits.MAX_TEXT)
    appendix: str | None = Field(None, max_length=limits.MAX_TEXT)
    team: str | None = Field(None, description="Team slug.")
    services: list[str] | None = Field(None, max_length=100, description="Service slugs.")
    authors: list[str] | None = Field(None, max_length=100, description="Usernames.")
    is_restricted: StrictBool | None = None


class IncidentIn(IncidentFields):
    title: str = Field(max_length=limits.MAX_TITLE)
    started_at: UtcDateTime
    members: list[str] | None = Field(
        None, max_length=200, description="Usernames who may see a restricted incident."
    )


class IncidentPatch(IncidentFields, VersionedInput):
    title: str | None = Field(None, max_length=limits.MAX_TITLE)
    started_at: UtcDateTime | None = None
    members: list[str] | None = Field(
        None, max_length=200, description="Usernames who may see a restricted incident."
    )
