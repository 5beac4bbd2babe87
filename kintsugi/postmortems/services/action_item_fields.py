"""The per-field checks of an action item, one small cleaner per field.

Each field is checked on its own under :class:`~kintsugi.core.errors.FieldChecks`, so a form
with several wrong fields hears about all of them at once. Keeping the cleaners in a table
(in the order a form shows them) lets a new field be added in one line without growing one
long function that decides everything.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from kintsugi.accounts.models import User
from kintsugi.core import document as limits
from kintsugi.core.debt.sprints import clean_estimate
from kintsugi.core.errors import FieldChecks, ValidationProblem
from kintsugi.core.timeparse import check_date_range, check_time_range
from kintsugi.core.validation import (
    MAX_SPRINT,
    clean_choice,
    clean_text,
    clean_url,
    clean_whole_number,
)
from kintsugi.core.vocabulary import ActionStatus, Priority
from kintsugi.postmortems.models import Factor, Incident

TICKET_ALLOWED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_#./:")

FieldCleaner = Callable[[Any], Any]


def clean_action_fields(data: dict[str, Any], incident: Incident) -> dict[str, Any]:
    """The given fields, cleaned; every refused field is reported, not just the first.

    Fields absent from ``data`` stay absent (an update changes only what it names), and
    keys that are no field of an action item are ignored, as the services always did.
    """
    clean: dict[str, Any] = {}
    checks = FieldChecks()
    for name, cleaner in _cleaners(incident).items():
        if name in data:
            with checks:
                clean[name] = cleaner(data[name])
    checks.raise_if_any()
    return clean


def _cleaners(incident: Incident) -> dict[str, FieldCleaner]:
    # Only the factor depends on the incident (it must be one of its own factors).
    return {
        "title": clean_title,
        "description": clean_description,
        "priority": clean_priority,
        "status": clean_status,
        "status_reason": clean_status_reason,
        "owner": clean_owner,
        "ticket_id": clean_ticket_id,
        "ticket_url": clean_ticket_url,
        "due_on": clean_due_on,
        "factor": lambda factor: clean_factor(factor, incident),
        "completed_at": clean_completed_at,
        "due_reason": clean_due_reason,
        "estimate": clean_estimate,
        "planned_sprint": clean_sprint,
    }


def clean_title(value: Any) -> str:
    return clean_text(
        value, field="title", max_length=limits.MAX_TITLE, required=True, label="action title"
    )


def clean_description(value: Any) -> str:
    return clean_text(value, field="description", max_length=limits.MAX_TEXT)


def clean_priority(value: Any) -> str:
    # People write "p1" as often as "P1".
    return clean_choice(
        Priority, value, field="priority", label="priority",
        normalise=lambda raw: raw.strip().upper(),
    )  # fmt: skip


def clean_status(value: Any) -> str:
    return clean_choice(ActionStatus, value, field="status", label="status")


def clean_status_reason(value: Any) -> str:
    return clean_text(
        value, field="status_reason", max_length=limits.MAX_SHORT_TEXT, label="reason"
    )


def clean_owner(value: Any) -> User | None:
    if value is not None and not isinstance(value, User):
        raise ValidationProblem("Unknown owner.", field="owner")
    return value


def clean_ticket_id(value: Any) -> str:
    """A tracker's key such as OPS-123; other characters would break links and searches."""
    ticket = clean_text(
        value, field="ticket_id", max_length=limits.MAX_TICKET_ID, label="ticket ID"
    )
    if ticket and not set(ticket) <= TICKET_ALLOWED:
        raise ValidationProblem(
            "A ticket ID holds letters, digits and - _ # . / : only (for example OPS-123).",
            field="ticket_id",
        )
    return ticket


def clean_ticket_url(value: Any) -> str:
    return clean_url(value, field="ticket_url", label="ticket URL")


def clean_due_on(value: Any) -> date | None:
    # A datetime is a date subclass, but a time of day on a target date is a caller's bug.
    if value is None:
        return None
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationProblem("The target date must be a date (YYYY-MM-DD).", field="due_on")
    return check_date_range(value, field="due_on")


def clean_factor(value: Any, incident: Incident) -> Factor | None:
    """A factor of this incident only: an item must not point into another post-mortem."""
    if value is not None and (not isinstance(value, Factor) or value.incident_id != incident.pk):
        raise ValidationProblem(
            "The factor must be one of this incident's contributing factors.", field="factor"
        )
    return value


def clean_completed_at(value: Any) -> datetime | None:
    if value is None:
        return None
    if timezone.is_naive(value):
        raise ValidationProblem("The completion time needs a timezone.", field="completed_at")
    return check_time_range(value, field="completed_at")


def clean_due_reason(value: Any) -> str | None:
    # None means "not asked" (a caller without the field); "" means "asked, left empty".
    if value is None:
        return None
    return clean_text(value, field="due_reason", max_length=limits.MAX_SHORT_TEXT, label="reason")


def clean_sprint(value: Any) -> int | None:
    """A sprint number from 1, or None for "not planned" (also an empty string)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str) and value.strip()[:1] in "+-":
        value = "x"  # a sign is no part of a sprint number; refused below with the range
    return clean_whole_number(
        value,
        field="planned_sprint",
        label="The sprint number (empty if not planned)",
        minimum=1,
        maximum=MAX_SPRINT,
    )
