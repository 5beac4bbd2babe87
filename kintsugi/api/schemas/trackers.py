"""Trackers (issue 17): a team's connections, and the ticket behind an action item."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from kintsugi.api.pagination import PageParams, page_of
from kintsugi.api.schemas.common import InputSchema
from kintsugi.trackers.models import TrackerConnection
from kintsugi.trackers.services.tickets import MAX_REFERENCE


class ConnectionQuery(PageParams):
    team: str | None = Field(None, max_length=100, description="A team's slug.")


class ConnectionOut(Schema):
    id: int
    name: str
    kind: str
    team: str = Field(description="The team's slug.")
    project: str
    web_url: str
    is_active: bool
    token: Literal["environment", "sealed"] = Field(
        description="Where the token comes from; the token itself is never shown."
    )
    last_polled_at: datetime | None
    poll_error: str

    @staticmethod
    def resolve_team(obj: TrackerConnection) -> str:
        return obj.team.slug

    @staticmethod
    def resolve_token(obj: TrackerConnection) -> str:
        return "environment" if obj.token_env else "sealed"


ConnectionPage = page_of(ConnectionOut)


class TicketLinkIn(InputSchema):
    reference: str = Field(
        min_length=1,
        max_length=MAX_REFERENCE,
        description="12, #12, owner/repo#12 or the issue's URL, in the team's project.",
    )


class SyncStateOut(Schema):
    item: int
    state: Literal["none", "creating", "synced", "failed"]
    connection: str | None = Field(description="The connection's name; null without a ticket.")
    key: str = Field(description="The issue's number; empty while it is being created.")
    url: str
    sync_error: str
    conflict: str
    remote_assignee: str = Field(description="The tracker's assignee, mapped or not.")
    closed_by: str
    last_synced_at: datetime | None
    jobs_waiting: int


class SyncQueuedOut(SyncStateOut):
    queued: int = Field(description="Jobs queued (or re-queued) by this request.")
