"""The review meeting page: the agenda, the notes, and the follow-up to the attendees.

Everyone who may see the post-mortem reads the agenda and the notes (404 otherwise, as for
every part of an incident); its editors take the notes and send the follow-up (403 for
the others). Plain forms that redirect back after a write; a refused write answers the
page with the reason and the typed text kept (422), a concurrent save shows the stored
notes beside the typed ones (409).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from kintsugi.accounts.models import User
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.reviews.comments import parse_anchor
from kintsugi.postmortems import access
from kintsugi.postmortems.models import Incident
from kintsugi.reviews.forms import names, users_named
from kintsugi.reviews.models import ReviewMeeting
from kintsugi.reviews.selectors import meeting_agenda
from kintsugi.reviews.services.meeting import (
    NotesConflict,
    meeting_follow_up_send,
    meeting_notes_save,
    meeting_of,
)

TEMPLATE = "reviews/meeting.html"
MAX_VERSION_DIGITS = 9


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _page(
    request: HttpRequest,
    incident: Incident,
    *,
    status: int = 200,
    error: str = "",
    typed: dict[str, str] | None = None,
    conflict: ReviewMeeting | None = None,
) -> HttpResponse:
    meeting = meeting_of(incident)
    attendees = list(meeting.attendees.order_by("username")) if meeting.pk else []
    agenda = meeting_agenda(incident)
    for thread in agenda.questions + agenda.discussions:
        thread.label = parse_anchor(thread.anchor).label(None)  # type: ignore[attr-defined]
        thread.opening = thread.comments.all()[0]  # type: ignore[attr-defined]
    typed = typed or {
        "notes": meeting.notes,
        "attendees": " ".join(person.username for person in attendees),
        "version": str(meeting.version),
    }
    if conflict is not None:
        typed = {**typed, "version": str(conflict.version)}  # saving again is deliberate
    context: dict[str, Any] = {
        "incident": incident,
        "meeting": meeting,
        "attendees": attendees,
        "agenda": agenda,
        "can_edit": access.can_edit(_user(request), incident),
        "typed": typed,
        "error": error,
        "conflict": conflict,
        "saved": request.GET.get("saved") == "1",
        "sent": request.GET.get("sent", "")[:4] if request.GET.get("sent", "").isdigit() else "",
    }
    return render(request, TEMPLATE, context, status=status)


def _here(pk: int, query: str) -> HttpResponse:
    return redirect(reverse("review-meeting", args=[pk]) + query)


@require_GET
def meeting_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, access.get_incident(_user(request), pk))


def _version(text: str) -> int:
    if not text.isdigit() or len(text) > MAX_VERSION_DIGITS:
        raise ValidationProblem("The form is out of date: reload the page.", field="version")
    return int(text)


@require_POST
def meeting_notes(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    incident = access.get_incident(user, pk)
    if not access.can_edit(user, incident):
        raise PermissionDenied("Only the post-mortem's editors take the meeting's notes.")
    typed = {
        "notes": request.POST.get("notes", ""),
        "attendees": request.POST.get("attendees", ""),
        "version": request.POST.get("version", ""),
    }
    try:
        people = users_named(names([typed["attendees"]], field="attendees"))
        meeting_notes_save(
            user=user,
            incident=incident,
            notes=typed["notes"],
            attendees=people,
            version=_version(typed["version"]),
        )
    except ValidationProblem as problem:
        return _page(request, incident, status=422, error=problem.message, typed=typed)
    except NotesConflict as conflict:
        return _page(request, incident, status=409, typed=typed, conflict=conflict.current)
    return _here(pk, "?saved=1#notes")


@require_POST
def meeting_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    incident = access.get_incident(user, pk)
    if not access.can_edit(user, incident):
        raise PermissionDenied("Only the post-mortem's editors send the follow-up.")
    try:
        result = meeting_follow_up_send(
            user=user, incident=incident, agenda=meeting_agenda(incident)
        )
    except ValidationProblem as problem:
        return _page(request, incident, status=422, error=problem.message)
    if not result.sent:
        message = (
            "The mail server did not take the follow-up. Nothing is lost: send it again later."
        )
        return _page(request, incident, status=503, error=message)
    return _here(pk, f"?sent={result.sent}#follow-up")
