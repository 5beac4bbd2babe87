"""Request and response shapes of the review workflow, comments and audit log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from kintsugi.api.schemas.common import InputSchema

Name = Annotated[str, Field(min_length=1, max_length=150)]


class ReviewRequestIn(InputSchema):
    reviewers: list[Name] = Field(default_factory=list, max_length=50, description="Usernames.")
    teams: list[Name] = Field(
        default_factory=list, max_length=20, description="Team slugs: their members are asked."
    )


class DecisionIn(InputSchema):
    decision: Literal["approved", "changes_requested"]
    note: str = Field("", max_length=2000, description="Required when asking for changes.")


class ReasonIn(InputSchema):
    reason: str = Field(..., max_length=2000)


class WaiverIn(InputSchema):
    problem: str = Field(..., max_length=300, description="The problem's key, from the checklist.")
    reason: str = Field(..., max_length=2000)


class ApprovalsIn(InputSchema):
    approvals_needed: int = Field(..., ge=1, le=10)


class ReviewerOut(Schema):
    username: str
    decision: str
    note: str
    via_team: str | None
    requested_at: datetime
    decided_at: datetime | None


class ProblemOut(Schema):
    key: str
    text: str
    anchor: str


class WaivedOut(ProblemOut):
    waiver_id: int
    reason: str
    waived_by: str
    waived_at: str


class CheckOut(Schema):
    key: str
    label: str
    state: Literal["passed", "waived", "failed"]
    problems: list[ProblemOut]
    waived: list[WaivedOut]


class ChecklistOut(Schema):
    passed: bool
    open: int
    checks: list[CheckOut]


class ReviewOut(Schema):
    incident_id: int
    status: str
    approvals: int
    approvals_needed: int
    changes_requested: int
    reviewers: list[ReviewerOut]
    checklist: ChecklistOut


class FindingNoteOut(Schema):
    rule: str
    severity: str
    excerpt: str
    message: str


class CommentOut(Schema):
    id: int
    author: str | None
    text: str
    created_at: datetime
    findings: list[FindingNoteOut]


class ThreadOut(Schema):
    id: int
    incident_id: int
    anchor: str
    resolved: bool
    resolved_by: str | None
    resolved_at: datetime | None
    created_by: str | None
    created_at: datetime
    comments: list[CommentOut]


class ThreadIn(InputSchema):
    anchor: str = Field(..., max_length=40, examples=["section:timeline", "field:impact", "why:12"])
    text: str = Field(..., max_length=10_000)


class CommentIn(InputSchema):
    text: str = Field(..., max_length=10_000)


class ThreadPatch(InputSchema):
    resolved: bool


class AuditOut(Schema):
    id: int
    incident_id: int | None
    incident: str
    action: str
    actor: str | None
    detail: dict[str, object]
    at: datetime


class ApprovalsOut(Schema):
    team: str
    approvals_needed: int


class MeetingItemOut(Schema):
    id: int
    title: str
    owner: str | None
    priority: str
    due_on: date | None


class MeetingProblemOut(Schema):
    check: str
    key: str
    text: str
    anchor: str


class AgendaOut(Schema):
    questions: list[ThreadOut]  # unresolved threads that ask something
    discussions: list[ThreadOut]  # the other unresolved threads
    proposed: list[MeetingItemOut]  # action items not started yet
    problems: list[MeetingProblemOut]  # publish-checklist problems neither resolved nor waived


class MeetingOut(Schema):
    notes: str
    attendees: list[str]
    version: int = Field(..., description="Send it back with the notes: 409 if it moved.")
    updated_at: datetime | None
    updated_by: str | None
    findings: list[dict[str, object]]
    agenda: AgendaOut


class MeetingIn(InputSchema):
    notes: str = Field(..., max_length=20_000)
    attendees: list[Name] = Field(default_factory=list, max_length=50, description="Usernames.")
    version: int = Field(..., ge=0, le=999_999_999)


class FollowUpOut(Schema):
    sent: int
    recipients: list[str]
