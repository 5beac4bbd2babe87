"""Slack exports for an incident: store the upload, read it into timeline candidates, let a
person keep, edit or drop each, and add the kept ones to the timeline.

The upload is saved first, in its own transaction, so a refused export is kept with its
reason (as a webhook's raw delivery is). Candidates are keyed by channel and message, so a
second import of the same export adds only what is new and leaves decisions alone.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from kintsugi.accounts.models import User
from kintsugi.capture.models import (
    CandidateState,
    SlackImport,
    SlackImportStatus,
    TimelineCandidate,
)
from kintsugi.core.capture.slack import parse_reactions, read_slack_export
from kintsugi.core.capture.upload_zip import MAX_ZIP_BYTES
from kintsugi.core.document import MAX_SHORT_TEXT
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.timeline import EventKind
from kintsugi.core.timeparse import check_time_range
from kintsugi.core.validation import clean_text
from kintsugi.postmortems.models import Incident, TimelineEvent
from kintsugi.postmortems.services import timeline_events_add
from kintsugi.postmortems.services.guards import require_edit

# The states a person may choose in the picker; ``added`` is the timeline's to set.
CHOSEN_STATES = (CandidateState.PENDING, CandidateState.KEPT, CandidateState.DROPPED)


def _finish(record: SlackImport, status: str, reason: str = "", added: int = 0) -> SlackImport:
    record.status, record.reason, record.candidates_added = status, reason, added
    record.save(update_fields=["status", "reason", "candidates_added"])
    return record


def slack_import(
    *,
    user: User | None,
    incident: Incident,
    channel: str,
    start: datetime,
    end: datetime,
    workspace_url: str,
    reactions: str = "",
    file_name: str = "",
    body: bytes | None = None,
    body_size: int = 0,
    earlier: SlackImport | None = None,
) -> SlackImport:
    """Store the upload, then read it. A refused export is returned with status
    ``rejected`` and its reason, and no candidate is written. ``body`` is ``None`` for an
    upload too large to keep (its size is recorded). With ``earlier`` (one of this
    incident's uploads) nothing is uploaded: that export is read again with these choices."""
    require_edit(user, incident)
    if earlier is not None:
        if earlier.incident_id != incident.pk:
            raise ValidationProblem("That upload is not one of this incident's.", field="earlier")
        source = earlier.reread_of or earlier
        file_name, body_size, body = source.file_name, source.body_size, None
    record = SlackImport.objects.create(
        incident=incident,
        uploaded_by=user if user is not None and user.pk else None,
        file_name=file_name[:255],
        body=body or b"",
        body_size=body_size,
        reread_of=None if earlier is None else (earlier.reread_of or earlier),
        channel=channel.strip()[:100],
        window_start=start,
        window_end=end,
        workspace_url=workspace_url.strip()[:300],
        reactions=reactions.strip()[:500],
    )
    return slack_import_process(record)


def _stored_body(record: SlackImport) -> bytes:
    source = record.reread_of if record.reread_of_id else record
    return bytes(source.body) if source is not None else b""


def slack_import_process(record: SlackImport) -> SlackImport:
    """Read a stored upload (again, when re-processing) into candidates."""
    body = _stored_body(record)
    if record.body_size > MAX_ZIP_BYTES or not body:
        limit = MAX_ZIP_BYTES // (1024 * 1024)
        too_large = f"The export is larger than {limit} MB; export only the incident's dates."
        reason = too_large if record.body_size > MAX_ZIP_BYTES else "The upload is empty."
        return _finish(record, SlackImportStatus.REJECTED, reason)
    try:
        result = read_slack_export(
            body,
            channel=record.channel,
            start=record.window_start,
            end=record.window_end,
            workspace_url=record.workspace_url,
            preselect_reactions=parse_reactions(record.reactions),
        )
    except ValidationProblem as problem:
        return _finish(record, SlackImportStatus.REJECTED, problem.message)
    with transaction.atomic():
        keys = [message.key for message in result.messages]
        seen = set(
            TimelineCandidate.objects.filter(incident=record.incident, key__in=keys).values_list(
                "key", flat=True
            )
        )
        rows = [
            TimelineCandidate(
                incident=record.incident,
                slack_import=record,
                key=message.key,
                occurred_at=message.occurred_at,
                author=message.author,
                text=message.text,
                permalink=message.permalink,
                preselected=message.preselected,
                # Pinned messages and the chosen reactions start kept: the person unticks.
                state=CandidateState.KEPT if message.preselected else CandidateState.PENDING,
            )
            for message in result.messages
            if message.key not in seen
        ]
        TimelineCandidate.objects.bulk_create(rows, ignore_conflicts=True)
        record.channel_id = result.channel.id
        record.save(update_fields=["channel_id"])
        status = SlackImportStatus.PROCESSED if rows else SlackImportStatus.DUPLICATE
        reason = "" if result.messages else "The channel has no messages in this window."
        return _finish(record, status, reason, len(rows))


def candidate_choose(*, user: User | None, candidate: TimelineCandidate, state: str) -> None:
    """Keep, drop or undecide a candidate (one already on the timeline stays there)."""
    require_edit(user, candidate.incident)
    if state not in CHOSEN_STATES:
        raise ValidationProblem("Choose keep, drop or undecided.", field="state")
    if candidate.state == CandidateState.ADDED:
        raise ValidationProblem("This message is on the timeline already.", field="state")
    candidate.state = state
    candidate.save(update_fields=["state"])


def candidate_edit(
    *, user: User | None, candidate: TimelineCandidate, text: str, occurred_at: datetime
) -> TimelineCandidate:
    """Edit a candidate's text or time before it is added; editing keeps it."""
    require_edit(user, candidate.incident)
    if candidate.state == CandidateState.ADDED:
        raise ValidationProblem(
            "This message is on the timeline already: edit the event there.", field="text"
        )
    if timezone.is_naive(occurred_at):
        raise ValidationProblem("Add a timezone to this time.", field="occurred_at")
    candidate.text = clean_text(
        text, field="text", max_length=MAX_SHORT_TEXT, required=True, label="text"
    )
    candidate.occurred_at = check_time_range(occurred_at, field="occurred_at")
    candidate.state = CandidateState.KEPT
    candidate.save(update_fields=["text", "occurred_at", "state"])
    return candidate


def event_text(candidate: TimelineCandidate) -> str:
    """The event's text names who wrote the message (the event's author field is for
    users; a Slack name may be no one's here)."""
    text = f"{candidate.author}: {candidate.text}" if candidate.author else candidate.text
    return text if len(text) <= MAX_SHORT_TEXT else text[: MAX_SHORT_TEXT - 1] + "…"


@transaction.atomic
def candidates_add_to_timeline(*, user: User | None, incident: Incident) -> list[TimelineEvent]:
    """Every kept candidate becomes a timeline note linking to its message, in one go."""
    require_edit(user, incident)
    kept = list(
        TimelineCandidate.objects.select_for_update()
        .filter(incident=incident, state=CandidateState.KEPT)
        .order_by("occurred_at", "id")
    )
    if not kept:
        return []
    events = timeline_events_add(
        user=user,
        incident=incident,
        events=[
            {
                "occurred_at": candidate.occurred_at,
                "text": event_text(candidate),
                "kind": EventKind.NOTE,
                "evidence_url": candidate.permalink,
            }
            for candidate in kept
        ],
    )
    for candidate, event in zip(kept, events, strict=True):
        candidate.state, candidate.event = CandidateState.ADDED, event
    TimelineCandidate.objects.bulk_update(kept, ["state", "event"])
    return events


def candidates_for(incident: Incident) -> QuerySet[TimelineCandidate]:
    return TimelineCandidate.objects.filter(incident=incident).order_by("occurred_at", "id")
