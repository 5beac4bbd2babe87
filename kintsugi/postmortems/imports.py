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

import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, Max, Q, Sum, Value
from django.db.models.functions import Concat, Lower, Trim
from django.utils import timezone

from kintsugi.accounts.models import Role, User
from kintsugi.analysis.models import Analysis, WhyNode
from kintsugi.analysis.records import Numbering
from kintsugi.analysis.services import tree_replace
from kintsugi.blameless.publishing import publishing_gate
from kintsugi.core.analysis.nodes import tree_to_records
from kintsugi.core.document import PostmortemDocument, sort_action_items
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.report import ImportReport, NoteKind
from kintsugi.core.timeline import EventKind
from kintsugi.core.vocabulary import PostmortemStatus
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


def person_keys(user: User) -> set[str]:
    """How documents written by people name a person: username (with or without ``@``),
    email address, or full name, in any case."""
    keys = {user.username.lower()}
    if user.email:
        keys.add(user.email.lower())
    full_name = f"{user.first_name} {user.last_name}".strip()
    if full_name:
        keys.add(full_name.lower())
    return keys


@dataclass
class People:
    found: dict[str, User]
    unknown: list[str]
    ambiguous: dict[str, list[str]]  # name -> usernames it could be


def resolve_people(names: list[str]) -> People:
    """Each name as a document writes it -> the one active user it names, if any.

    Two queries at most, whatever the number of users: exact usernames, then the rest among
    active users' usernames (any case), email addresses and full names. A name that fits no
    one or more than one person is reported, never guessed: a guess would assign work to
    the wrong person.
    """
    wanted = {name for name in names if name}
    active = User.objects.filter(is_active=True)
    found = {user.username: user for user in active.filter(username__in=wanted)}
    rest = wanted - set(found)
    ambiguous: dict[str, list[str]] = {}
    if rest:
        keys = {name: " ".join(name.removeprefix("@").split()).lower() for name in rest}
        people = active.annotate(
            login=Lower("username"),
            mail=Lower("email"),
            # Trimmed, as person_keys: someone with one name is found by it.
            full_name=Lower(Trim(Concat("first_name", Value(" "), "last_name"))),
        ).filter(
            Q(login__in=keys.values()) | Q(mail__in=keys.values()) | Q(full_name__in=keys.values())
        )
        matches: dict[str, list[User]] = {}
        for user in people.order_by("username"):
            for key in person_keys(user):
                matches.setdefault(key, []).append(user)
        for name in sorted(rest):
            candidates = matches.get(keys[name], [])
            if len(candidates) == 1:
                found[name] = candidates[0]
            elif candidates:
                ambiguous[name] = [user.username for user in candidates]
    unknown = sorted(wanted - set(found) - set(ambiguous))
    return People(found, unknown, ambiguous)


class _Writer:
    """One import: the report it adds to and the strictness it applies."""

    def __init__(self, user: User | None, report: ImportReport, strict: bool):
        self.user = user
        self.report = report
        self.strict = strict

    def note(self, kind: NoteKind, message: str, *, field: str | None = None) -> None:
        if self.strict:
            raise ValidationProblem(message, field=field)
        self.report.add(kind, message, field=field)

    def people(self, names: list[str], *, label: str, field: str) -> dict[str, User]:
        resolved = resolve_people(names)
        if resolved.ambiguous:
            listed = "; ".join(
                f"{name} (could be {', '.join(users)})"
                for name, users in sorted(resolved.ambiguous.items())
            )
            if self.strict:
                raise ValidationProblem(
                    f"Ambiguous {label}: {listed}. Write the username instead.", field=field
                )
            self.report.add(
                "attention",
                f"Ambiguous {label}: {listed}; kept as written until someone matches them.",
                field=field,
            )
        if resolved.unknown:
            if self.strict:
                raise ValidationProblem(
                    f"Unknown {label}: {', '.join(resolved.unknown)}. Create these users first "
                    "or fix the names (a username, an email address or a full name).",
                    field=field,
                )
            self.report.add(
                "assumption",
                f"Not users here, kept as written ({label}): {', '.join(resolved.unknown)}.",
                field=field,
            )
        return resolved.found


def revision_of(incident: Incident) -> str:
    """A digest that changes whenever anything a person can edit changes.

    Every editable row carries a version bumped on each save and a growing id, so the
    count, the sum of versions and the highest id of each kind of row change on any edit,
    addition or deletion. One query per kind of row; no content is read.
    """
    parts: list[object] = [incident.pk, incident.version]
    for model in (TimelineEvent, Factor, Lesson, ActionItem):
        totals = model.objects.filter(incident=incident).aggregate(  # type: ignore[attr-defined]
            n=Count("id"), v=Sum("version"), m=Max("id")
        )
        parts += [totals["n"], totals["v"], totals["m"]]
    nodes = WhyNode.objects.filter(incident=incident).aggregate(n=Count("id"), m=Max("id"))
    tree_version = Analysis.objects.filter(pk=incident.pk).values_list("version", flat=True)
    parts += [nodes["n"], nodes["m"], tree_version.first()]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:16]


def _existing(writer: _Writer, document: PostmortemDocument, source_key: str) -> Incident | None:
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


def _same_content(writer: _Writer, incident: Incident, document: PostmortemDocument) -> bool:
    """Whether the file says exactly what is stored: then a re-import writes nothing."""
    from kintsugi.core.markdown.json_codec import document_to_dict
    from kintsugi.postmortems.documents import document_from_incident

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
    writer: _Writer, document: PostmortemDocument, metadata: dict[str, object]
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


def _started_at(writer: _Writer, document: PostmortemDocument) -> datetime:
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
    writer = _Writer(user, report, strict)
    with transaction.atomic():
        outcome = _import(writer, document, source_key)
        if dry_run:
            transaction.set_rollback(True)
            return ImportOutcome(None, "checked", report)
    return outcome


def _import(writer: _Writer, document: PostmortemDocument, source_key: str) -> ImportOutcome:
    existing = _existing(writer, document, source_key)
    if existing is not None:
        if writer.user is not None and not access.edits_what_they_see(writer.user):
            raise PermissionDenied(f"You may not edit {existing.reference}.")
        # Lock the row: two imports of the same file must not both pass the check.
        existing = Incident.objects.select_for_update().get(pk=existing.pk)
        _check_unchanged_since(existing, document)
        if _same_content(writer, existing, document):
            return ImportOutcome(existing, "unchanged", writer.report)
    metadata = dict(document.source_metadata)
    team, found_services = _team_and_services(writer, document, metadata)
    authors = writer.people(document.authors, label="authors", field="authors")
    members = writer.people(document.members, label="members", field="members")
    owners = writer.people(
        [item.owner or "" for item in document.action_items],
        label="action item owners",
        field="owner",
    )
    event_authors = writer.people(
        [entry.author or "" for entry in document.timeline],
        label="timeline authors",
        field="author",
    )
    fields = {
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
    }
    # Published only after every part is in, so the publishing gate sees the whole text.
    publish = document.status == PostmortemStatus.PUBLISHED
    fields["status"] = PostmortemStatus.DRAFT if publish else document.status
    author_users = [authors[name] for name in document.authors if name in authors]
    member_users = [members[name] for name in document.members if name in members]
    if existing is None:
        incident = services.incident_create(
            user=writer.user,
            services=found_services,
            authors=author_users,
            members=member_users,
            **fields,
        )
        action: Action = "created"
    else:
        incident = services.incident_update(
            user=writer.user,
            incident=existing,
            version=existing.version,
            services=found_services,
            authors=author_users or ([writer.user] if writer.user else []),
            members=member_users,
            **fields,
        )
        _clear_children(incident)
        action = "updated"
    _write_children(writer, incident, document, owners, event_authors)
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


def _clear_children(incident: Incident) -> None:
    WhyNode.objects.filter(incident=incident).delete()
    TimelineEvent.objects.filter(incident=incident).delete()
    Lesson.objects.filter(incident=incident).delete()
    Factor.objects.filter(incident=incident).delete()
    ActionItem.objects.filter(incident=incident).delete()


def _write_children(
    writer: _Writer,
    incident: Incident,
    document: PostmortemDocument,
    owners: dict[str, User],
    event_authors: dict[str, User],
) -> None:
    user = writer.user
    for entry in sorted(document.timeline, key=lambda e: e.at):
        author = event_authors.get(entry.author or "")
        event_fields = {
            "user": user,
            "incident": incident,
            "occurred_at": entry.at,
            "text": entry.text,
            "author": author,
            "evidence_url": entry.evidence_url or "",
        }
        add_event = functools.partial(
            _add_keeping_what_is_refused,
            writer,
            services.timeline_event_add,
            movable=("evidence_url",),
            into="text",
            what=f"the event at {entry.at:%Y-%m-%d %H:%M} UTC",
        )
        try:
            with transaction.atomic():
                event = add_event({**event_fields, "kind": entry.kind})
        except ValidationProblem as problem:
            if entry.kind == EventKind.NOTE or problem.field != "occurred_at":
                raise
            # The key moments contradict each other (a "resolved" before the start): keep
            # the event as a note, so nothing is lost and the metrics stay sound.
            writer.note(
                "assumption",
                f"The event at {entry.at:%Y-%m-%d %H:%M} UTC is kept as a note, not as "
                f"'{entry.kind.value}': {problem.message}",
                field="timeline.kind",
            )
            event = add_event({**event_fields, "kind": EventKind.NOTE})
        if entry.author and author is None:
            TimelineEvent.objects.filter(pk=event.pk).update(author_name=entry.author[:150])
    factors = []
    for factor_entry in document.factors:
        factor = services.factor_add(
            user=user,
            incident=incident,
            title=factor_entry.title,
            description=factor_entry.description,
        )
        for link in factor_entry.evidence:
            try:
                with transaction.atomic():
                    services.evidence_add(
                        user=user, factor=factor, url=link.url, kind=link.kind, label=link.label
                    )
            except ValidationProblem as problem:
                if writer.strict:
                    raise
                writer.report.add(
                    "kept",
                    f"Evidence {link.url[:80]!r} of factor {factor_entry.title!r} is kept in its "
                    f"description: {problem.message}",
                    field="factors.evidence",
                )
                factor.description = f"{factor.description}\n\nEvidence: {link.url}".strip()
                Factor.objects.filter(pk=factor.pk).update(description=factor.description)
        factors.append(factor)
    for kind, texts in (
        ("went_well", document.lessons.went_well),
        ("went_poorly", document.lessons.went_poorly),
        ("got_lucky", document.lessons.got_lucky),
    ):
        for text in texts:
            services.lesson_add(user=user, incident=incident, kind=kind, text=text)
    created = []
    seen_tickets: set[str] = set()
    for item in document.action_items:
        if item.addresses is not None and not 1 <= item.addresses <= len(factors):
            raise ValidationProblem(
                f"Action item {item.title!r} addresses factor F{item.addresses}, which does "
                "not exist.",
                field="factor",
            )
        description, ticket = item.description, item.ticket_id or ""
        if ticket and ticket.lower() in seen_tickets:
            writer.note(
                "attention",
                f"Ticket {ticket} is named by two action items; the second ({item.title!r}) "
                "keeps it in its description.",
                field="action_items.ticket_id",
            )
            description = f"{description}\n\nTicket: {ticket}".strip()
            ticket = ""
        seen_tickets.add(ticket.lower())
        owner = owners.get(item.owner or "")
        item_fields = {
            "user": user,
            "incident": incident,
            "title": item.title,
            "description": description,
            "priority": item.priority,
            "owner": owner,
            "ticket_id": ticket,
            "ticket_url": item.ticket_url or "",
            "due_on": item.due_on,
            "status": item.status,
            "status_reason": item.status_reason,
            "factor": factors[item.addresses - 1] if item.addresses else None,
            "completed_at": item.completed_at,
            "as_recorded": True,
        }
        row = _add_keeping_what_is_refused(
            writer,
            services.action_item_add,
            item_fields,
            movable=("ticket_id", "ticket_url"),
            into="description",
            what=f"action item {item.title!r}",
        )
        if item.owner and owner is None:
            ActionItem.objects.filter(pk=row.pk).update(owner_name=item.owner[:150])
        created.append((item, row))
    # A<n> in the analysis is the n-th action item in the template's order.
    by_entry = {id(entry): row for entry, row in created}
    ordered = [by_entry[id(entry)] for entry in sort_action_items(document.action_items)]
    if document.analysis.branches:
        tree_version = Analysis.objects.filter(pk=incident.pk).values_list("version", flat=True)
        tree_replace(
            user=user,
            incident=incident,
            version=tree_version.first() or 0,
            records=tree_to_records(document.analysis),
            numbering=Numbering.of([f.pk for f in factors], [a.pk for a in ordered]),
        )
    if incident.status == PostmortemStatus.PUBLISHED:
        publishing_gate(incident=incident, changes={})


def _add_keeping_what_is_refused(
    writer: _Writer,
    add: Callable[..., Any],
    fields: dict[str, Any],
    *,
    movable: tuple[str, ...],
    into: str,
    what: str,
) -> Any:
    """``add(**fields)``; if a value in ``movable`` is refused (a ticket ID with spaces, an
    evidence link that is not http), add the row without it and keep the value as text in
    ``into``, with a note. Strict mode refuses as before."""
    try:
        with transaction.atomic():
            return add(**fields)
    except ValidationProblem as problem:
        if writer.strict or problem.field not in movable:
            raise
        value = fields[problem.field]
        writer.report.add(
            "kept",
            f"The {problem.field.replace('_', ' ')} {str(value)[:80]!r} of {what} is kept in its "
            f"{into}: {problem.message}",
            field=problem.field,
        )
        kept = {**fields, problem.field: ""}
        label = problem.field.replace("_", " ").capitalize()
        kept[into] = f"{fields[into]}\n\n{label}: {value}".strip()
        return _add_keeping_what_is_refused(
            writer, add, kept, movable=movable, into=into, what=what
        )


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
