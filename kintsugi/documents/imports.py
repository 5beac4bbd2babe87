"""Writing an imported document into the database: create, or update what was imported before.

The core reader (kintsugi.core.markdown) decides what the text says; this decides what it
means here: which users, team and services the names are, whether the file is one we have
seen (its ``id:`` or the path it came from) and whether it may replace what is stored.

Best effort is the default because a team moving its history in should not have to fix
fifty files by hand first: a name that is no user is kept as text ("unmatched owner"), an
unknown team or service goes to the source metadata, a timeline event whose kind would
contradict the key moments is kept as a note. Every such decision is added to the report
and stored on the incident (``import_notes``) until a person confirms it. ``strict``
keeps the old refusals, for pipelines that want a file to be exactly right.

A re-import updates, never duplicates, and never overwrites a later edit: the incident's
revision (a digest of everything a person can edit) is stored after each import and must
still match before the next one replaces anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from kintsugi.accounts.models import Role, User
from kintsugi.blameless.summary_cache import deferred
from kintsugi.core.document import PostmortemDocument
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.json_codec import document_to_dict
from kintsugi.core.markdown.report import ImportReport
from kintsugi.core.vocabulary import PostmortemStatus
from kintsugi.documents.assembly import document_from_incident
from kintsugi.documents.import_parts import write_parts
from kintsugi.documents.import_writer import ImportWriter
from kintsugi.documents.import_writer import resolve_people as resolve_people  # its old home
from kintsugi.documents.revision import revision_of
from kintsugi.five_whys.models import WhyNode
from kintsugi.postmortems import access, services
from kintsugi.postmortems.models import ActionItem, Factor, Incident, Lesson, TimelineEvent
from kintsugi.teams.models import Service, Team

Action = Literal["created", "updated", "unchanged", "checked"]


@dataclass
class ImportOutcome:
    incident: Incident | None  # None after a dry run
    action: Action
    report: ImportReport


class ImportConflict(ValidationProblem):
    """The stored post-mortem changed since the file was exported or last imported."""


def _existing(
    writer: ImportWriter, document: PostmortemDocument, source_key: str
) -> Incident | None:
    """The incident this file updates: its ``id:``, else the file it was imported from."""
    user = writer.user
    visible = Incident.objects.all() if user is None else access.visible_incidents(user)
    if document.id is not None and document.version is None:
        # Only our export writes an id with a version; a bare number is another tool's id
        # (Docusaurus, a wiki page): trusting it would overwrite an unrelated post-mortem.
        writer.report.add(
            "assumption",
            f"'id: {document.id}' without a version is not a Kintsugi export's id: kept in the "
            "source metadata.",
            field="id",
        )
        document.source_metadata = {**document.source_metadata, "id": document.id}
        document.id = None
    if document.id is not None:
        found = visible.filter(pk=document.id).first()
        if found is not None:
            return found
        # Not here, or not visible to this person (which must not be told apart).
        writer.report.add(
            "assumption",
            f"The file names incident {document.id}, which is not one you can see here; it is "
            "imported as a new post-mortem.",
            field="id",
        )
    if source_key:
        return visible.filter(import_source=source_key).order_by("pk").first()
    return None


def _check_unchanged_since(incident: Incident, document: PostmortemDocument) -> None:
    if document.version is not None and document.version != incident.version:
        raise ImportConflict(
            f"{incident.reference} changed since this file was exported (the file is version "
            f"{document.version}, the post-mortem is now version {incident.version}). Export "
            "it again and make your changes there.",
            field="version",
        )
    if document.revision is not None and document.revision != revision_of(incident):
        raise ImportConflict(
            f"{incident.reference} was edited in Kintsugi since this file was exported; "
            "importing it would overwrite those edits. Export it again and make your changes "
            "there.",
            field="revision",
        )
    if (
        document.revision is None
        and incident.import_revision
        and revision_of(incident) != incident.import_revision
    ):
        raise ImportConflict(
            f"{incident.reference} was edited in Kintsugi since this file was last imported; "
            "importing it again would overwrite those edits. Export it and make your changes "
            "in the export.",
            field="version",
        )


def _same_content(writer: ImportWriter, incident: Incident, document: PostmortemDocument) -> bool:
    """Whether the file says exactly what is stored: then a re-import writes nothing."""
    reader = writer.user or User(username="operator", role=Role.ADMIN, is_superuser=True)
    stored = document_to_dict(document_from_incident(user=reader, pk=incident.pk))
    incoming = document_to_dict(document)
    ignored = ["id", "version", "incident_version", "incident_revision", "source_metadata"]
    if not document.authors:
        ignored.append("authors")  # the importer names the person importing
    if document.started_at is None:
        ignored.append("started_at")  # the importer chose one
    for data in (stored, incoming):
        for key in ignored:
            data.pop(key, None)
    return stored == incoming


def _team_and_services(
    writer: ImportWriter, document: PostmortemDocument, metadata: dict[str, object]
) -> tuple[Team | None, list[Service]]:
    team = None
    if document.team:
        team = Team.objects.filter(slug=document.team).first()
        if team is None:
            writer.note(
                "assumption",
                f"Unknown team {document.team!r}: kept in the source metadata; choose the team "
                "on the post-mortem.",
                field="team",
            )
            metadata["team"] = document.team
    found = {s.slug: s for s in Service.objects.filter(slug__in=document.services)}
    missing = sorted(set(document.services) - set(found))
    if missing:
        writer.note(
            "assumption",
            f"Unknown services: {', '.join(missing)}: kept in the source metadata.",
            field="services",
        )
        metadata["services"] = missing
    return team, [found[slug] for slug in document.services if slug in found]


def _started_at(writer: ImportWriter, document: PostmortemDocument) -> datetime:
    if document.started_at is not None:
        return document.started_at
    first = min((entry.at for entry in document.timeline), default=None)
    if first is not None:
        return first
    if writer.strict:
        raise ValidationProblem(
            "The document gives no start time (front matter started_at) and has no timeline.",
            field="started_at",
        )
    writer.report.add(
        "attention",
        "The document gives no start time and no timeline: the import time stands in for the "
        "start; set the real one on the post-mortem.",
        field="started_at",
    )
    return timezone.now().replace(microsecond=0)


def import_document(
    *,
    user: User | None,
    document: PostmortemDocument,
    report: ImportReport | None = None,
    strict: bool = False,
    source_key: str = "",
    dry_run: bool = False,
) -> ImportOutcome:
    """Create a post-mortem from ``document`` or update the one it was imported or exported
    from; all or nothing. ``user`` None is the local operator (the CLI without ``--as``).

    ``dry_run`` runs every check and decision, adds them to the report, and writes nothing.
    """
    report = report if report is not None else ImportReport()
    if user is not None and not access.can_create(user):
        raise PermissionDenied("Your role may read incidents but not import them.")
    writer = ImportWriter(user, report, strict)
    # An import writes a whole post-mortem: its summary is the worker's (issue 20).
    with deferred(), transaction.atomic():
        outcome = _import(writer, document, source_key)
        if dry_run:
            transaction.set_rollback(True)
            return ImportOutcome(None, "checked", report)
    return outcome


def postmortem_import(*, user: User | None, document: PostmortemDocument) -> Incident:
    """Create (or update, by its ``id:``) an incident from a document, strictly: every name
    must be a user, every team and service known. All or nothing."""
    outcome = import_document(user=user, document=document, strict=True)
    assert outcome.incident is not None
    return outcome.incident


def _import(writer: ImportWriter, document: PostmortemDocument, source_key: str) -> ImportOutcome:
    existing = _existing_to_replace(writer, document, source_key)
    if existing is not None and _same_content(writer, existing, document):
        return ImportOutcome(existing, "unchanged", writer.report)
    metadata = dict(document.source_metadata)
    team, found_services = _team_and_services(writer, document, metadata)
    names = _Names.resolve(writer, document)
    # Published only after every part is in, so the publishing gate sees the whole text.
    publish = document.status == PostmortemStatus.PUBLISHED
    fields = _incident_fields(writer, document, team, publish=publish)
    people = {
        "services": found_services,
        "authors": [names.authors[name] for name in document.authors if name in names.authors],
        "members": [names.members[name] for name in document.members if name in names.members],
    }
    if existing is None:
        incident = services.incident_create(user=writer.user, **people, **fields)
        action: Action = "created"
    else:
        incident = _replace(writer, existing, people, fields)
        action = "updated"
    write_parts(writer, incident, document, names.owners, names.event_authors)
    _record_source(writer, incident, document, metadata, names.authors, source_key)
    if publish:
        services.incident_update(
            user=writer.user,
            incident=incident,
            version=incident.version,
            status=PostmortemStatus.PUBLISHED,
        )
        incident.refresh_from_db()
    revision = revision_of(incident)
    Incident.objects.filter(pk=incident.pk).update(import_revision=revision)
    incident.import_revision = revision
    return ImportOutcome(incident, action, writer.report)


def _existing_to_replace(
    writer: ImportWriter, document: PostmortemDocument, source_key: str
) -> Incident | None:
    """The stored incident this file replaces, locked, once it may be replaced."""
    existing = _existing(writer, document, source_key)
    if existing is None:
        return None
    if writer.user is not None and not access.can_edit(writer.user, existing):
        raise PermissionDenied(f"You may not edit {existing.reference}.")
    # Lock the row: two imports of the same file must not both pass the check.
    existing = Incident.objects.select_for_update().get(pk=existing.pk)
    _check_unchanged_since(existing, document)
    return existing


@dataclass
class _Names:
    """The users the document's names are, for each place a document names people."""

    authors: dict[str, User]
    members: dict[str, User]
    owners: dict[str, User]
    event_authors: dict[str, User]

    @classmethod
    def resolve(cls, writer: ImportWriter, document: PostmortemDocument) -> _Names:
        return cls(
            authors=writer.people(document.authors, label="authors", field="authors"),
            members=writer.people(document.members, label="members", field="members"),
            owners=writer.people(
                [item.owner or "" for item in document.action_items],
                label="action item owners",
                field="owner",
            ),
            event_authors=writer.people(
                [entry.author or "" for entry in document.timeline],
                label="timeline authors",
                field="author",
            ),
        )


def _incident_fields(
    writer: ImportWriter, document: PostmortemDocument, team: Team | None, *, publish: bool
) -> dict[str, Any]:
    """The incident row's own fields, as the services take them."""
    return {
        "title": document.title,
        "started_at": _started_at(writer, document),
        "ended_at": document.ended_at,
        "severity": document.severity,
        "summary": document.summary,
        "impact": document.impact,
        "regions": document.regions,
        "trigger": document.trigger,
        "detection": document.detection,
        "resolution": document.resolution,
        "appendix": document.appendix,
        "team": team,
        "is_restricted": document.restricted,
        "status": PostmortemStatus.DRAFT if publish else document.status,
    }


def _replace(
    writer: ImportWriter, existing: Incident, people: dict[str, Any], fields: dict[str, Any]
) -> Incident:
    """Update the stored incident and clear its parts, which the document then rewrites."""
    if not people["authors"]:
        # The file names no author here: the person importing it is one.
        people = {**people, "authors": [writer.user] if writer.user else []}
    incident = services.incident_update(
        user=writer.user, incident=existing, version=existing.version, **people, **fields
    )
    _clear_children(incident)
    return incident


def _record_source(
    writer: ImportWriter,
    incident: Incident,
    document: PostmortemDocument,
    metadata: dict[str, object],
    authors: dict[str, User],
    source_key: str,
) -> None:
    """Store where the file came from and what the importer decided, to be confirmed."""
    extra = {
        "source_metadata": metadata,
        "author_names": [name for name in document.authors if name not in authors],
        "import_source": source_key or incident.import_source,
        "import_notes": [note.as_dict() for note in writer.report.notes],
        "import_confirmed_at": None,
        "import_confirmed_by": None,
    }
    Incident.objects.filter(pk=incident.pk).update(**extra)
    for name, value in extra.items():
        setattr(incident, name, value)


def _clear_children(incident: Incident) -> None:
    WhyNode.objects.filter(incident=incident).delete()
    TimelineEvent.objects.filter(incident=incident).delete()
    Lesson.objects.filter(incident=incident).delete()
    Factor.objects.filter(incident=incident).delete()
    ActionItem.objects.filter(incident=incident).delete()


@transaction.atomic
def import_confirm(*, user: User, incident: Incident) -> Incident:
    """A person has read what the importer assumed: the page stops showing it."""
    if not access.can_edit(user, incident):
        raise PermissionDenied("You may not edit this post-mortem.")
    now = timezone.now()
    Incident.objects.filter(pk=incident.pk).update(
        import_confirmed_at=now, import_confirmed_by=user
    )
    incident.import_confirmed_at, incident.import_confirmed_by = now, user
    return incident


def unmatched_owners(*, user: User, limit: int = 500) -> list[dict[str, object]]:
    """Names of owners who are not users, with how many open-ended items name them, in the
    post-mortems this person may see; most frequent first."""
    visible = access.visible_incidents(user).values("pk")
    rows = (
        ActionItem.objects.filter(owner__isnull=True, incident__in=visible)
        .exclude(owner_name="")
        .values("owner_name")
        .annotate(items=Count("id"))
        .order_by("-items", "owner_name")[:limit]
    )
    return [{"name": row["owner_name"], "items": row["items"]} for row in rows]


@transaction.atomic
def owners_match(*, user: User, name: str, owner: User) -> int:
    """Give every open-ended ``name`` (an unmatched owner) the user it means, in bulk, in
    the post-mortems this person may edit. Returns how many action items changed."""
    if not access.can_create(user):
        raise PermissionDenied("Your role may not edit action items.")
    if not owner.is_active:
        raise ValidationProblem("That user is not active.", field="owner")
    visible = access.visible_incidents(user).values("pk")
    items = ActionItem.objects.filter(owner__isnull=True, owner_name=name, incident__in=visible)
    return items.update(owner=owner, owner_name="", version=F("version") + 1)
