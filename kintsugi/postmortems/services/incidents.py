"""Creating, editing and deleting incidents (the summary section and the metadata)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from kintsugi.accounts.models import User
from kintsugi.core import document as limits
from kintsugi.core.errors import FieldChecks, ValidationProblem
from kintsugi.core.timeparse import check_time_range
from kintsugi.core.validation import clean_choice, clean_text
from kintsugi.core.vocabulary import PostmortemStatus, Severity
from kintsugi.postmortems import access
from kintsugi.postmortems.models import Incident
from kintsugi.postmortems.services.guards import require_edit
from kintsugi.postmortems.services.policies import audit, check_publishing, note_change
from kintsugi.postmortems.services.timeline import check_timeline
from kintsugi.postmortems.services.versioning import save_versioned
from kintsugi.teams.models import Service, Team

_TEXT_FIELDS = ("summary", "impact", "trigger", "detection", "resolution", "appendix")


def _clean_regions(regions: Iterable[str]) -> list[str]:
    cleaned = []
    for region in regions:
        text = clean_text(region, field="regions", max_length=100, label="region")
        if text and text not in cleaned:
            cleaned.append(text)
    if len(cleaned) > 50:
        raise ValidationProblem("At most 50 regions can be listed.", field="regions")
    return cleaned


def _require_aware(moment: datetime | None, field: str, required: bool) -> datetime | None:
    if moment is None:
        if required:
            raise ValidationProblem("A start time is required.", field=field)
        return None
    if timezone.is_naive(moment):
        raise ValidationProblem("Times must carry a timezone.", field=field)
    return check_time_range(moment, field=field)


def clean_incident_fields(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    """Validate the scalar fields present in ``data``; all of them when not ``partial``."""
    clean: dict[str, Any] = {}
    checks = FieldChecks()
    if "title" in data or not partial:
        with checks:
            clean["title"] = clean_text(
                data.get("title"), field="title", max_length=limits.MAX_TITLE, required=True
            )
    if "severity" in data or not partial:
        with checks:
            clean["severity"] = clean_choice(
                Severity, data.get("severity", Severity.SEV3), field="severity", label="severity"
            )
    if "status" in data:
        with checks:
            clean["status"] = clean_choice(
                PostmortemStatus, data["status"], field="status", label="status"
            )
    if "started_at" in data or not partial:
        with checks:
            clean["started_at"] = _require_aware(
                data.get("started_at"), "started_at", required=True
            )
    if "ended_at" in data:
        with checks:
            clean["ended_at"] = _require_aware(data["ended_at"], "ended_at", required=False)
    for name in _TEXT_FIELDS:
        if name in data:
            with checks:
                # The appendix keeps what an imported document had beyond the template, so
                # it may be longer than one text field (as in the Markdown format).
                limit = limits.MAX_APPENDIX if name == "appendix" else limits.MAX_TEXT
                clean[name] = clean_text(data[name], field=name, max_length=limit)
    if "regions" in data:
        with checks:
            clean["regions"] = _clean_regions(data["regions"] or [])
    if "is_restricted" in data:
        with checks:
            clean["is_restricted"] = bool(data["is_restricted"])
    if "team" in data:
        with checks:
            team = data["team"]
            if team is not None and not isinstance(team, Team):
                raise ValidationProblem("Unknown team.", field="team")
            clean["team"] = team
    checks.raise_if_any()
    return clean


def _check_dates(started_at: datetime | None, ended_at: datetime | None) -> None:
    if started_at and ended_at and ended_at < started_at:
        raise ValidationProblem("The end of the incident is before its start.", field="ended_at")


@transaction.atomic
def incident_create(
    *,
    user: User | None,
    title: str,
    started_at: datetime,
    severity: str = Severity.SEV3,
    services: Sequence[Service] = (),
    authors: Sequence[User] = (),
    members: Sequence[User] = (),
    **fields: Any,
) -> Incident:
    if user is not None and not access.can_create(user):
        raise PermissionDenied("Your role may not create incidents.")
    clean = clean_incident_fields(
        {"title": title, "started_at": started_at, "severity": severity, **fields}, partial=False
    )
    _check_dates(clean.get("started_at"), clean.get("ended_at"))
    if clean.get("status") == PostmortemStatus.PUBLISHED:
        clean["published_at"] = timezone.now()
    incident = Incident.objects.create(created_by=user, **clean)
    note_change(user=user, incident=incident)  # its first version (kintsugi.history)
    if incident.status == PostmortemStatus.PUBLISHED:
        check_publishing(incident=incident, changes={})  # rolls the creation back if blocked
    if services:
        incident.services.set(services)
    incident.authors.set(list(authors) or ([user] if user is not None else []))
    if members:
        incident.members.set(members)
    audit(user=user, incident=incident, action="create", detail={"status": incident.status})
    if incident.status == PostmortemStatus.PUBLISHED:
        audit(user=user, incident=incident, action="publish", detail={})
    return incident


@transaction.atomic
def incident_update(
    *,
    user: User | None,
    incident: Incident,
    version: int | None,
    services: Sequence[Service] | None = None,
    authors: Sequence[User] | None = None,
    members: Sequence[User] | None = None,
    **fields: Any,
) -> Incident:
    """Update the fields given (a partial update). Relations are replaced when given;
    ``members`` are who else may see the incident while it is restricted."""
    require_edit(user, incident)
    clean = clean_incident_fields(fields, partial=True)
    started_at = clean.get("started_at", incident.started_at)
    ended_at = clean.get("ended_at", incident.ended_at)
    _check_dates(started_at, ended_at)
    if "started_at" in clean or "ended_at" in clean:
        check_timeline(incident, started_at=started_at, ended_at=ended_at)
    publishing = clean.get("status") == PostmortemStatus.PUBLISHED
    if publishing and incident.status != PostmortemStatus.PUBLISHED:
        check_publishing(incident=incident, changes=clean)  # block mode refuses blameful text
    if clean.get("status") == PostmortemStatus.PUBLISHED and incident.published_at is None:
        clean["published_at"] = timezone.now()
    clean["updated_at"] = timezone.now()
    before_people = _people(incident) if authors is not None or members is not None else None
    fresh = save_versioned(incident, version=version, fields=clean)
    if services is not None:
        fresh.services.set(services)
    if authors is not None:
        fresh.authors.set(authors)
    if members is not None:
        fresh.members.set(members)
    _audit_update(user, incident, fresh, clean, before_people)
    return fresh


def _people(incident: Incident) -> dict[str, list[str]]:
    return {
        "authors": sorted(incident.authors.values_list("username", flat=True)),
        "members": sorted(incident.members.values_list("username", flat=True)),
    }


def _audit_update(
    user: User | None,
    before: Incident,
    after: Incident,
    clean: dict[str, Any],
    before_people: dict[str, list[str]] | None,
) -> None:
    """The audited part of an update: publication and other status moves, restriction, and
    who may see it (authors and members)."""
    if "status" in clean and clean["status"] != before.status:
        action = "publish" if clean["status"] == PostmortemStatus.PUBLISHED else "status"
        detail = {"from": before.status, "to": clean["status"], "via": "edit"}
        audit(user=user, incident=after, action=action, detail=detail)
    if "is_restricted" in clean and clean["is_restricted"] != before.is_restricted:
        action = "restrict" if clean["is_restricted"] else "unrestrict"
        audit(user=user, incident=after, action=action, detail={})
    if before_people is not None:
        now = _people(after)
        changed = {
            key: {"from": before_people[key], "to": now[key]}
            for key in now
            if now[key] != before_people[key]
        }
        if changed:
            audit(user=user, incident=after, action="access", detail=changed)


@transaction.atomic
def incident_delete(*, user: User | None, incident: Incident) -> None:
    if user is not None and not (access.is_admin(user) or incident.created_by_id == user.pk):
        raise PermissionDenied("Only an admin or the person who created it can delete an incident.")
    audit(user=user, incident=incident, action="delete", detail={"title": incident.title})
    incident.delete()
