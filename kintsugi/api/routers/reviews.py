"""The review workflow, comment threads and audit log of a post-mortem (issue 18).

Every endpoint finds the incident through ``access.get_incident`` (404 for those who may
not see it); the services decide the rest: editors ask, publish, send back and waive;
the people asked decide; everyone who may see the post-mortem comments.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router, Status

from kintsugi.api.auth import current_user
from kintsugi.api.errors import ApiError
from kintsugi.api.lookups import incident_for, thread_incident
from kintsugi.api.schemas.common import ERRORS, ErrorOut
from kintsugi.api.schemas.reviews import (
    ApprovalsIn,
    ApprovalsOut,
    AuditOut,
    CommentIn,
    DecisionIn,
    FollowUpOut,
    MeetingIn,
    MeetingOut,
    ReasonIn,
    ReviewOut,
    ReviewRequestIn,
    ThreadIn,
    ThreadOut,
    ThreadPatch,
    WaiverIn,
)
from kintsugi.core.errors import ValidationProblem
from kintsugi.postmortems.models import Incident
from kintsugi.reviews.forms import names, users_named
from kintsugi.reviews.models import AuditEntry, Comment, ReviewRequest, Thread, Waiver
from kintsugi.reviews.selectors import (
    audit_visible_to,
    incident_checklist,
    meeting_agenda,
    review_requests,
    threads,
    workflow_state,
)
from kintsugi.reviews.services import comments, workflow
from kintsugi.reviews.services.meeting import (
    NotesConflict,
    meeting_follow_up_send,
    meeting_notes_save,
    meeting_of,
)
from kintsugi.teams.models import Team

router = Router(tags=["reviews"])
AUDIT_LIMIT = 200


def _review(incident: Incident) -> dict[str, object]:
    fresh = Incident.objects.get(pk=incident.pk)
    requests = review_requests(fresh)
    state = workflow_state(fresh, requests)
    checklist = incident_checklist(fresh)
    return {
        "incident_id": fresh.pk,
        "status": fresh.status,
        "approvals": state.approvals,
        "approvals_needed": state.needed,
        "changes_requested": state.changes_requested,
        "reviewers": [_reviewer(r) for r in requests],
        "checklist": {
            "passed": checklist.passed,
            "open": checklist.open_count,
            "checks": [
                {
                    "key": check.key,
                    "label": check.label,
                    "state": check.state,
                    "problems": [
                        {"key": p.key, "text": p.text, "anchor": p.anchor} for p in check.problems
                    ],
                    "waived": [
                        {
                            "key": p.key,
                            "text": p.text,
                            "anchor": p.anchor,
                            "waiver_id": w.ref,
                            "reason": w.reason,
                            "waived_by": w.by,
                            "waived_at": w.at,
                        }
                        for p, w in check.waived
                    ],
                }
                for check in checklist.checks
            ],
        },
    }


def _reviewer(request: ReviewRequest) -> dict[str, object]:
    return {
        "username": request.reviewer.username,
        "decision": request.decision,
        "note": request.note,
        "via_team": request.via_team.slug if request.via_team else None,
        "requested_at": request.requested_at,
        "decided_at": request.decided_at,
    }


def _thread_out(thread: Thread) -> dict[str, object]:
    return {
        "id": thread.pk,
        "incident_id": thread.incident_id,
        "anchor": thread.anchor,
        "resolved": thread.is_resolved,
        "resolved_by": thread.resolved_by.username if thread.resolved_by else None,
        "resolved_at": thread.resolved_at,
        "created_by": thread.created_by.username if thread.created_by else None,
        "created_at": thread.created_at,
        "comments": [_comment_out(c) for c in thread.comments.all()],
    }


def _comment_out(comment: Comment) -> dict[str, object]:
    return {
        "id": comment.pk,
        "author": comment.author.username if comment.author else None,
        "text": comment.text,
        "created_at": comment.created_at,
        "findings": comment.findings,
    }


def _thread(request: HttpRequest, thread_id: int) -> Thread:
    """A thread the caller may see (the same 404 for one that does not exist)."""
    return threads(thread_incident(request, thread_id)).get(pk=thread_id)


@router.get("/incidents/{int:incident_id}/review", response={200: ReviewOut, **ERRORS})
def get_review(request: HttpRequest, incident_id: int) -> dict[str, object]:
    """The status, the reviewers and their decisions, and the publish checklist."""
    return _review(incident_for(request, incident_id))


@router.post("/incidents/{int:incident_id}/review/requests", response={201: ReviewOut, **ERRORS})
def request_review(request: HttpRequest, incident_id: int, payload: ReviewRequestIn) -> Status:
    from kintsugi.reviews import forms

    incident = incident_for(request, incident_id)
    people = forms.users_named(forms.names(payload.reviewers, field="reviewers"))
    teams = forms.teams_named(forms.names(payload.teams, field="teams"))
    workflow.review_request(
        user=current_user(request), incident=incident, people=people, teams=teams
    )
    return Status(201, _review(incident))


@router.post("/incidents/{int:incident_id}/review/decision", response={200: ReviewOut, **ERRORS})
def decide_review(request: HttpRequest, incident_id: int, payload: DecisionIn) -> dict[str, object]:
    incident = incident_for(request, incident_id)
    workflow.review_decide(
        user=current_user(request), incident=incident, decision=payload.decision, note=payload.note
    )
    return _review(incident)


@router.post("/incidents/{int:incident_id}/review/publish", response={200: ReviewOut, **ERRORS})
def publish_reviewed(request: HttpRequest, incident_id: int) -> dict[str, object]:
    incident = incident_for(request, incident_id)
    workflow.workflow_publish(user=current_user(request), incident=incident)
    return _review(incident)


@router.post("/incidents/{int:incident_id}/review/send-back", response={200: ReviewOut, **ERRORS})
def send_back(request: HttpRequest, incident_id: int, payload: ReasonIn) -> dict[str, object]:
    incident = incident_for(request, incident_id)
    workflow.workflow_send_back(
        user=current_user(request), incident=incident, reason=payload.reason
    )
    return _review(incident)


@router.post("/incidents/{int:incident_id}/review/waivers", response={201: ReviewOut, **ERRORS})
def add_waiver(request: HttpRequest, incident_id: int, payload: WaiverIn) -> Status:
    incident = incident_for(request, incident_id)
    workflow.waiver_add(
        user=current_user(request),
        incident=incident,
        problem_key=payload.problem,
        reason=payload.reason,
    )
    return Status(201, _review(incident))


@router.delete(
    "/incidents/{int:incident_id}/review/waivers/{int:waiver_id}",
    response={204: None, **ERRORS},
)
def delete_waiver(request: HttpRequest, incident_id: int, waiver_id: int) -> Status:
    incident = incident_for(request, incident_id)
    waiver = Waiver.objects.filter(incident=incident, pk=waiver_id).first()
    if waiver is None:
        raise Http404("No such waiver.")
    workflow.waiver_remove(user=current_user(request), waiver=waiver)
    return Status(204, None)


@router.get("/incidents/{int:incident_id}/threads", response={200: list[ThreadOut], **ERRORS})
def list_threads(request: HttpRequest, incident_id: int) -> list[dict[str, object]]:
    """Every comment thread of the post-mortem, open ones first, with their comments."""
    return [_thread_out(t) for t in threads(incident_for(request, incident_id))]


@router.post("/incidents/{int:incident_id}/threads", response={201: ThreadOut, **ERRORS})
def start_thread(request: HttpRequest, incident_id: int, payload: ThreadIn) -> Status:
    incident = incident_for(request, incident_id)
    posted = comments.thread_start(
        user=current_user(request), incident=incident, anchor=payload.anchor, text=payload.text
    )
    return Status(201, _thread_out(threads(incident).get(pk=posted.comment.thread_id)))


@router.post("/threads/{int:thread_id}/comments", response={201: ThreadOut, **ERRORS})
def reply_thread(request: HttpRequest, thread_id: int, payload: CommentIn) -> Status:
    thread = _thread(request, thread_id)
    comments.comment_reply(user=current_user(request), thread=thread, text=payload.text)
    return Status(201, _thread_out(_thread(request, thread_id)))


@router.patch("/threads/{int:thread_id}", response={200: ThreadOut, **ERRORS})
def resolve_thread(request: HttpRequest, thread_id: int, payload: ThreadPatch) -> dict[str, object]:
    thread = _thread(request, thread_id)
    comments.thread_resolve(user=current_user(request), thread=thread, resolved=payload.resolved)
    return _thread_out(_thread(request, thread_id))


@router.get("/incidents/{int:incident_id}/audit", response={200: list[AuditOut], **ERRORS})
def list_audit(request: HttpRequest, incident_id: int) -> list[dict[str, object]]:
    """The latest 200 audited changes of the post-mortem, newest first."""
    incident = incident_for(request, incident_id)
    rows = (
        audit_visible_to(current_user(request))
        .filter(incident=incident)
        .select_related("actor")[:AUDIT_LIMIT]
    )
    return [_audit_out(e) for e in rows]


def _audit_out(entry: AuditEntry) -> dict[str, object]:
    return {
        "id": entry.pk,
        "incident_id": entry.incident_id,
        "incident": entry.incident_ref,
        "action": entry.action,
        "actor": entry.actor.username if entry.actor else (entry.actor_name or None),
        "detail": entry.detail,
        "at": entry.at,
    }


@router.put("/review-settings/{slug}", response={200: ApprovalsOut, **ERRORS})
def set_review_settings(request: HttpRequest, slug: str, payload: ApprovalsIn) -> dict[str, object]:
    """How many approvals the team's post-mortems need (its leads and admins)."""
    team = Team.objects.filter(slug=slug[:100]).first()
    if team is None:
        raise Http404("No such team.")
    row = workflow.team_approvals_set(
        user=current_user(request), team=team, approvals_needed=payload.approvals_needed
    )
    return {"team": team.slug, "approvals_needed": row.approvals_needed}


# The review meeting (issue 18), as the web's meeting mode (kintsugi/reviews/meeting_views.py):
# everyone who may see the post-mortem reads the agenda and the notes; its editors save the
# notes (409 when someone saved since the ``version`` sent) and send the follow-up.


def _meeting_out(incident: Incident) -> dict[str, object]:
    meeting = meeting_of(incident)
    attendees = list(meeting.attendees.order_by("username")) if meeting.pk else []
    agenda = meeting_agenda(incident)
    return {
        "notes": meeting.notes,
        "attendees": [person.username for person in attendees],
        "version": meeting.version,
        "updated_at": meeting.updated_at,
        "updated_by": meeting.updated_by.username if meeting.updated_by else None,
        "findings": meeting.findings,
        "agenda": {
            "questions": [_thread_out(t) for t in agenda.questions],
            "discussions": [_thread_out(t) for t in agenda.discussions],
            "proposed": [
                {
                    "id": item.pk,
                    "title": item.title,
                    "owner": item.owner.username if item.owner else (item.owner_name or None),
                    "priority": item.priority,
                    "due_on": item.due_on,
                }
                for item in agenda.proposed
            ],
            "problems": [
                {"check": p.check, "key": p.key, "text": p.text, "anchor": p.anchor}
                for p in agenda.problems
            ],
        },
    }


@router.get("/incidents/{int:incident_id}/meeting", response={200: MeetingOut, **ERRORS})
def get_meeting(request: HttpRequest, incident_id: int) -> dict[str, object]:
    """The meeting's notes and attendees, and its agenda: open questions, other unresolved
    threads, proposed action items, what still blocks publishing."""
    return _meeting_out(incident_for(request, incident_id))


@router.put(
    "/incidents/{int:incident_id}/meeting", response={200: MeetingOut, 409: ErrorOut, **ERRORS}
)
def save_meeting(request: HttpRequest, incident_id: int, payload: MeetingIn) -> dict[str, object]:
    """Save the notes and attendees (editors); ``version`` is the one read."""
    incident = incident_for(request, incident_id, edit=True)
    try:
        people = users_named(names(payload.attendees, field="attendees"))
    except ValidationProblem as problem:  # users_named speaks of reviewers
        raise ValidationProblem(problem.message, field="attendees") from None
    try:
        meeting_notes_save(
            user=current_user(request),
            incident=incident,
            notes=payload.notes,
            attendees=people,
            version=payload.version,
        )
    except NotesConflict as conflict:
        message = (
            f"The notes changed since version {payload.version}: they are at version "
            f"{conflict.current.version}. Read them again and save on top."
        )
        raise ApiError(409, message, code="conflict", fields={"version": [message]}) from None
    return _meeting_out(incident)


@router.post(
    "/incidents/{int:incident_id}/meeting/follow-up",
    response={200: FollowUpOut, 503: ErrorOut, **ERRORS},
)
def send_follow_up(request: HttpRequest, incident_id: int) -> dict[str, object]:
    """Mail the notes and what is still open to the attendees (editors)."""
    incident = incident_for(request, incident_id, edit=True)
    result = meeting_follow_up_send(
        user=current_user(request), incident=incident, agenda=meeting_agenda(incident)
    )
    if not result.sent:
        message = "The mail server did not take the follow-up. Nothing is lost: send it again."
        raise ApiError(503, message, code="unavailable")
    return {"sent": result.sent, "recipients": result.recipients}
