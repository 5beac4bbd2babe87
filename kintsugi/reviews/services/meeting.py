"""The review meeting: saving its notes and attendees, and sending the follow-up.

Editors of the post-mortem take the notes (they run the review); attendees must be people
who may see the post-mortem, since the follow-up carries its notes. The notes go through
the organisation's blameless checker like comments do: findings are kept and shown,
never refusing the text. The follow-up is mailed after the send is recorded; a mail server
that is down loses nothing (the page says how many were sent).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from kintsugi.accounts.models import User
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.reviews.meeting import MAX_ATTENDEES, clean_notes, follow_up_body
from kintsugi.postmortems import access
from kintsugi.postmortems.models import Incident
from kintsugi.reviews.models import ReviewMeeting
from kintsugi.reviews.selectors import Agenda
from kintsugi.reviews.services import notify
from kintsugi.reviews.services.comments import lint_findings


class NotesConflict(Exception):
    """Someone saved the notes after this person opened them: theirs are ``current``."""

    def __init__(self, current: ReviewMeeting) -> None:
        super().__init__("The notes changed since you opened them.")
        self.current = current


def _require_edit(user: User, incident: Incident) -> None:
    if not access.can_edit(user, incident):
        raise PermissionDenied("Only the post-mortem's editors take the meeting's notes.")


def meeting_of(incident: Incident) -> ReviewMeeting:
    """The incident's meeting, or an unsaved empty one (nothing is written by reading)."""
    found = ReviewMeeting.objects.filter(incident=incident).select_related("updated_by").first()
    return found or ReviewMeeting(incident=incident)


@transaction.atomic
def meeting_notes_save(
    *, user: User, incident: Incident, notes: str, attendees: list[User], version: int
) -> ReviewMeeting:
    _require_edit(user, incident)
    text = clean_notes(notes)
    if len(attendees) > MAX_ATTENDEES:
        raise ValidationProblem(f"Name at most {MAX_ATTENDEES} attendees.", field="attendees")
    outside = [person.username for person in attendees if not access.can_view(person, incident)]
    if outside:
        shown = ", ".join(outside[:5])
        raise ValidationProblem(
            f"{shown} may not see this post-mortem, so cannot receive its notes.",
            field="attendees",
        )
    meeting, _ = ReviewMeeting.objects.select_for_update().get_or_create(incident=incident)
    if meeting.version != version:
        raise NotesConflict(meeting)
    meeting.notes = text
    meeting.findings = lint_findings(text)
    meeting.version += 1
    meeting.updated_at = timezone.now()
    meeting.updated_by = user
    meeting.save()
    meeting.attendees.set(attendees)
    return meeting


@dataclass(frozen=True)
class FollowUp:
    sent: int  # messages the mail server accepted
    recipients: list[str]  # usernames with an address


def meeting_follow_up_send(*, user: User, incident: Incident, agenda: Agenda) -> FollowUp:
    """Mail the notes and what is still open to every attendee who may still see the
    post-mortem, with what ``agenda`` still holds open."""
    _require_edit(user, incident)
    meeting = ReviewMeeting.objects.filter(incident=incident).first()
    if meeting is None or meeting.version == 0:
        raise ValidationProblem("Save the meeting's notes and attendees first.", field="notes")
    people = [
        person
        for person in meeting.attendees.filter(is_active=True).order_by("username")
        if access.can_view(person, incident)
    ]
    recipients = [person for person in people if person.email]
    if not recipients:
        raise ValidationProblem(
            "None of the attendees has an email address: add attendees first.", field="attendees"
        )
    body = follow_up_body(
        reference=incident.reference,
        title=incident.title,
        url=notify.incident_url(incident),
        sender=user.display_name,
        notes=meeting.notes,
        still_open=agenda.still_open(),
    )
    subject = f"Review meeting notes: {incident.reference} {incident.title}"
    sent = notify.send_each(recipients, subject, body)
    if sent:
        ReviewMeeting.objects.filter(pk=meeting.pk).update(
            follow_up_sent_at=timezone.now(), follow_up_sent_by=user
        )
    return FollowUp(sent, [person.username for person in recipients])
