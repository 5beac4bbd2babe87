"""Action items: concrete work with an owner, a ticket and a target date."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from kintsugi.api.pagination import PageParams, page_of
from kintsugi.api.schemas.common import (
    Estimate,
    Id,
    InputSchema,
    IsoDate,
    SprintNumber,
    UtcDateTime,
    VersionedInput,
)
from kintsugi.core import document as limits
from kintsugi.core.vocabulary import ActionStatus, Priority
from kintsugi.postmortems.models import ActionItem


class ActionItemQuery(PageParams):
    status: ActionStatus | None = None
    priority: Priority | None = None


class ActionItemOut(Schema):
    id: int
    incident: int
    title: str
    description: str
    priority: Priority
    owner: str | None
    ticket_id: str
    ticket_url: str
    due_on: date | None
    status: ActionStatus
    status_reason: str
    factor: int | None
    created_at: datetime
    completed_at: datetime | None
    missing_fields: list[str]
    policy_due_on: date | None
    due_reason: str
    estimate: float | None
    planned_sprint: int | None
    version: int

    @staticmethod
    def resolve_incident(obj: ActionItem) -> int:
        return obj.incident_id  # type: ignore[attr-defined,no-any-return]

    @staticmethod
    def resolve_owner(obj: ActionItem) -> str | None:
        return obj.owner.username if obj.owner_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_factor(obj: ActionItem) -> int | None:
        return obj.factor_id  # type: ignore[attr-defined,no-any-return]


ActionItemPage = page_of(ActionItemOut)


class ActionItemFields(InputSchema):
    description: str | None = Field(None, max_length=limits.MAX_TEXT)
    priority: Priority | None = None
    owner: str | None = Field(None, description="Username; null for no owner yet.")
    ticket_id: str | None = Field(None, max_length=limits.MAX_TICKET_ID)
    ticket_url: str | None = Field(None, max_length=limits.MAX_URL)
    due_on: IsoDate | None = None
    status: ActionStatus | None = None
    status_reason: str | None = Field(None, max_length=limits.MAX_SHORT_TEXT)
    factor: Id | None = Field(None, description="Id of the contributing factor addressed.")
    completed_at: UtcDateTime | None = None
    due_reason: str | None = Field(
        None,
        max_length=limits.MAX_SHORT_TEXT,
        description="Why the target date is later than the due-window policy asks.",
    )
    estimate: Estimate | None = None
    planned_sprint: SprintNumber | None = None


class ActionItemIn(ActionItemFields):
    title: str = Field(max_length=limits.MAX_TITLE)


class ActionItemPatch(ActionItemFields, VersionedInput):
    title: str | None = Field(None, max_length=limits.MAX_TITLE)
