"""Restoring one section of a post-mortem as it was in an earlier version.

A restore is an ordinary edit: it goes through the post-mortem's own services (so the
permission, the validation, the due-date policy and the 5 Whys rules apply as to any
save), in one transaction, and the recorder keeps it as a new version that says which
version it restored. It is conflict checked like every save: the user names the newest
version they saw (``seen``), and if the section no longer holds what it held then (someone
saved it since, or a change not yet in the history), nothing is written and the user is
told, with nothing of theirs lost.

Rows are matched on their ids: a row changed since the version is changed back, a row
added since is deleted, a row deleted since is added again (under a new id).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction

from kintsugi.accounts.models import User
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.five_whys import NodeRecord
from kintsugi.core.history.sections import SECTIONS, digest
from kintsugi.five_whys.records import evidence_of
from kintsugi.five_whys.selectors import analysis_view
from kintsugi.five_whys.services import tree_replace
from kintsugi.history import selectors, snapshots
from kintsugi.history.models import Version
from kintsugi.history.services.recorder import mark_restore
from kintsugi.postmortems import services
from kintsugi.postmortems.models import ActionItem, Factor, Incident, Lesson, TimelineEvent
from kintsugi.postmortems.services.policies import audit


class StaleSection(ValidationProblem):
    """The section changed since the version the user looked at (answered as a conflict)."""


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _user_named(name: str) -> User | None:
    return User.objects.filter(username=name, is_active=True).first() if name else None


@transaction.atomic
def section_restore(
    *, user: User | None, incident: Incident, number: int, section: str, seen: int | None
) -> None:
    """Make ``section`` of ``incident`` what it was in version ``number``."""
    if section not in SECTIONS:
        raise ValidationProblem(
            f"There is no section {section[:40]!r} to restore.", field="section"
        )
    if seen is None:
        raise ValidationProblem(
            "The version you looked at is missing; reload the history and try again.",
            field="seen",
        )
    found = selectors.versions(incident, [number, seen])
    if number not in found or seen not in found:
        missing = number if number not in found else seen
        raise ValidationProblem(f"This post-mortem has no version {missing}.", field="version")
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    now = snapshots.section_now(locked, section)
    if digest(now) != digest(selectors.section_at(found[seen], section)):
        raise StaleSection(
            f"{SECTIONS[section].label} changed since version {seen}, the one you looked at: "
            "nothing was restored. Reload the history to see the newer version, then "
            "restore again if you still want to.",
            field="seen",
        )
    wanted = selectors.section_at(found[number], section)
    if digest(wanted) == digest(now):
        raise ValidationProblem(
            f"{SECTIONS[section].label} is already as it was in version {number}.",
            field="section",
        )
    RESTORERS[section](user, locked, now, wanted)
    mark_restore(locked, number)
    audit(
        user=user,
        incident=locked,
        action="restore",
        detail={"section": section, "from_version": number, "seen": seen},
    )


def _rows(
    now: list[dict[str, Any]], wanted: list[dict[str, Any]]
) -> tuple[list[int], list[dict[str, Any]], list[dict[str, Any]]]:
    """(ids to delete, rows to change back, rows to add again)."""
    current = {row["id"]: row for row in now}
    kept = {row["id"] for row in wanted}
    delete = [pk for pk in current if pk not in kept]
    change = [row for row in wanted if row["id"] in current and current[row["id"]] != row]
    add = [row for row in wanted if row["id"] not in current]
    return delete, change, add


def _summary(user: User | None, incident: Incident, now: Any, wanted: dict[str, Any]) -> None:
    fields: dict[str, Any] = {key: wanted.get(key) for key in snapshots.SUMMARY_FIELDS}
    fields["started_at"] = _moment(fields["started_at"])
    fields["ended_at"] = _moment(fields["ended_at"])
    for key in ("summary", "impact", "trigger", "detection", "resolution", "appendix"):
        fields[key] = fields[key] or ""
    fields["regions"] = fields["regions"] or []
    services.incident_update(user=user, incident=incident, version=incident.version, **fields)


def _timeline(user: User | None, incident: Incident, now: Any, wanted: Any) -> None:
    delete, change, add = _rows(now, wanted)
    for event in TimelineEvent.objects.filter(incident=incident, pk__in=delete):
        event.incident = incident
        services.timeline_event_delete(user=user, event=event)
    rows = {
        e.pk: e
        for e in TimelineEvent.objects.filter(incident=incident, pk__in=[r["id"] for r in change])
    }
    for row in change:
        event = rows[row["id"]]
        event.incident = incident
        services.timeline_event_update(
            user=user,
            event=event,
            version=event.version,
            occurred_at=_moment(row["at"]),
            kind=row["kind"],
            text=row["text"],
            evidence_url=row["evidence_url"],
        )
    for row in add:
        services.timeline_event_add(
            user=user,
            incident=incident,
            occurred_at=_moment(row["at"]),  # type: ignore[arg-type]
            kind=row["kind"],
            text=row["text"],
            evidence_url=row["evidence_url"],
            author=_user_named(row["author"]),
        )


def _factors(user: User | None, incident: Incident, now: Any, wanted: Any) -> None:
    delete, change, add = _rows(now, wanted)
    for factor in Factor.objects.filter(incident=incident, pk__in=delete):
        factor.incident = incident
        services.factor_delete(user=user, factor=factor)
    current = {row["id"]: row for row in now}
    rows = {
        f.pk: f for f in Factor.objects.filter(incident=incident, pk__in=[r["id"] for r in change])
    }
    for row in change:
        factor = rows[row["id"]]
        factor.incident = incident
        factor = services.factor_update(
            user=user,
            factor=factor,
            version=factor.version,
            title=row["title"],
            description=row["description"],
        )
        if current[row["id"]]["evidence"] != row["evidence"]:
            for link in factor.evidence.all():
                link.factor = factor
                services.evidence_delete(user=user, evidence=link)
            _add_evidence(user, factor, row["evidence"])
    for row in add:
        factor = services.factor_add(
            user=user, incident=incident, title=row["title"], description=row["description"]
        )
        _add_evidence(user, factor, row["evidence"])


def _add_evidence(user: User | None, factor: Factor, links: list[dict[str, str]]) -> None:
    for link in links:
        services.evidence_add(
            user=user, factor=factor, url=link["url"], kind=link["kind"], label=link["label"]
        )


def _lessons(user: User | None, incident: Incident, now: Any, wanted: Any) -> None:
    delete, change, add = _rows(now, wanted)
    for lesson in Lesson.objects.filter(incident=incident, pk__in=delete):
        lesson.incident = incident
        services.lesson_delete(user=user, lesson=lesson)
    rows = {
        x.pk: x for x in Lesson.objects.filter(incident=incident, pk__in=[r["id"] for r in change])
    }
    for row in change:
        lesson = rows[row["id"]]
        lesson.incident = incident
        services.lesson_update(
            user=user, lesson=lesson, version=lesson.version, kind=row["kind"], text=row["text"]
        )
    for row in add:
        services.lesson_add(user=user, incident=incident, kind=row["kind"], text=row["text"])


def _action_fields(row: dict[str, Any]) -> dict[str, Any]:
    fields = {key: row.get(key) for key in snapshots.ACTION_FIELDS}
    fields["due_on"] = _day(fields["due_on"])
    fields["owner"] = _user_named(row.get("owner") or "")
    return fields


def _actions(user: User | None, incident: Incident, now: Any, wanted: Any) -> None:
    delete, change, add = _rows(now, wanted)
    for item in ActionItem.objects.filter(incident=incident, pk__in=delete):
        item.incident = incident
        services.action_item_delete(user=user, item=item)
    rows = {
        x.pk: x
        for x in ActionItem.objects.filter(incident=incident, pk__in=[r["id"] for r in change])
    }
    for row in change:
        item = rows[row["id"]]
        item.incident = incident
        services.action_item_update(
            user=user, item=item, version=item.version, **_action_fields(row)
        )
    for row in add:
        fields = _action_fields(row)
        services.action_item_add(user=user, incident=incident, **fields)


def _whys(user: User | None, incident: Incident, now: Any, wanted: Any) -> None:
    view = analysis_view(incident=incident)
    factor_numbers = {f.title: n for n, f in enumerate(view.factors, 1)}
    action_numbers = {a.title: n for n, a in enumerate(view.action_items, 1)}
    records = [
        NodeRecord(
            id=row["id"],
            parent=row["parent"],
            question=row["question"],
            answer=row["answer"],
            position=row["position"],
            starts_branch=row["starts_branch"],
            branch_title=row["branch_title"],
            trigger=row["trigger"],
            is_root_cause=row["is_root_cause"],
            factors=tuple(factor_numbers[t] for t in row["factors"] if t in factor_numbers),
            actions=tuple(action_numbers[t] for t in row["actions"] if t in action_numbers),
            evidence=evidence_of(row["evidence"]),
        )
        for row in wanted
    ]
    tree_replace(
        user=user,
        incident=incident,
        version=view.version,
        records=records,
        numbering=view.numbering,
    )


RESTORERS = {
    "summary": _summary,
    "timeline": _timeline,
    "factors": _factors,
    "whys": _whys,
    "lessons": _lessons,
    "actions": _actions,
}


def restored_version(incident: Incident) -> Version | None:
    """The version the restore made (after the commit, when the recorder has run)."""
    return Version.objects.filter(incident=incident).order_by("-number").first()
