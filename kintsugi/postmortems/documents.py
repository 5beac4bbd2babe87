"""Conversion between stored incidents and the exchange form (kintsugi.core.document).

Export reads an incident in a constant number of queries; import validates the whole
document against the database (known users, teams, services) before writing anything, and
writes it in one transaction, so a bad file changes nothing.
"""

from __future__ import annotations

from dataclasses import replace

from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat, Lower, Trim

from kintsugi.accounts.models import User
from kintsugi.analysis.selectors import analysis_view
from kintsugi.analysis.services import tree_import
from kintsugi.blameless.publishing import publishing_gate
from kintsugi.core.analysis import WhyTree, build_tree
from kintsugi.core.document import (
    ActionItemEntry,
    ContributingFactor,
    EvidenceLink,
    Lessons,
    PostmortemDocument,
    TimelineEntry,
    sort_action_items,
)
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.timeline import EventKind
from kintsugi.core.vocabulary import (
    ActionStatus,
    EvidenceKind,
    PostmortemStatus,
    Priority,
    Severity,
)
from kintsugi.postmortems import services
from kintsugi.postmortems.models import ActionItem, Incident
from kintsugi.postmortems.selectors import postmortem_detail
from kintsugi.teams.models import Service, Team


def document_from_incident(*, user: User, pk: object) -> PostmortemDocument:
    view = postmortem_detail(user=user, pk=pk)
    incident = view.incident
    factor_numbers = {factor.pk: index for index, factor in enumerate(view.factors, start=1)}
    document = PostmortemDocument(
        id=incident.pk,
        title=incident.title,
        severity=Severity(incident.severity),
        status=PostmortemStatus(incident.status),
        started_at=incident.started_at,
        ended_at=incident.ended_at,
        team=incident.team.slug if incident.team else None,
        services=sorted(service.slug for service in view.involved.services),
        regions=list(incident.regions or []),
        authors=sorted(author.username for author in view.involved.authors),
        summary=incident.summary,
        impact=incident.impact,
        trigger=incident.trigger,
        detection=incident.detection,
        resolution=incident.resolution,
        appendix=incident.appendix,
        timeline=[
            TimelineEntry(
                at=event.occurred_at,
                kind=EventKind(event.kind),
                text=event.text,
                author=event.author.username if event.author else None,
                evidence_url=event.evidence_url or None,
            )
            for event in view.events
        ],
        factors=[
            ContributingFactor(
                title=factor.title,
                description=factor.description,
                evidence=[
                    EvidenceLink(kind=EvidenceKind(link.kind), url=link.url, label=link.label)
                    for link in factor.evidence_links()
                ],
            )
            for factor in view.factors
        ],
        lessons=Lessons(
            went_well=[lesson.text for lesson in view.lessons.get("went_well", [])],
            went_poorly=[lesson.text for lesson in view.lessons.get("went_poorly", [])],
            got_lucky=[lesson.text for lesson in view.lessons.get("got_lucky", [])],
        ),
        action_items=sort_action_items(
            entries := [
                ActionItemEntry(
                    title=item.title,
                    priority=Priority(item.priority),
                    owner=item.owner.username if item.owner else None,
                    ticket_id=item.ticket_id or None,
                    ticket_url=item.ticket_url or None,
                    due_on=item.due_on,
                    status=ActionStatus(item.status),
                    status_reason=item.status_reason,
                    description=item.description,
                    addresses=factor_numbers.get(item.factor_id) if item.factor_id else None,
                    completed_at=item.completed_at,
                )
                for item in view.action_items
            ]
        ),
    )
    document.analysis = _analysis_tree(incident, document, entries, list(view.action_items))
    return document


def _analysis_tree(
    incident: Incident,
    document: PostmortemDocument,
    entries: list[ActionItemEntry],
    items: list[ActionItem],
) -> WhyTree:
    """The stored tree, its action links renumbered as the document numbers action items:
    in the template's order (``document.action_items``), which may differ from the stored
    order on ties. Factors are numbered in the same order in both."""
    stored = analysis_view(incident=incident)
    if not stored.records:
        return WhyTree()
    positions = {id(entry): number for number, entry in enumerate(document.action_items, 1)}
    numbers = {item.pk: positions[id(entry)] for item, entry in zip(items, entries, strict=True)}
    records = [
        replace(
            record,
            actions=tuple(
                sorted(numbers[pk] for pk in stored.numbering.action_ids(record.actions))
            ),
        )
        for record in stored.records
    ]
    return build_tree(records)


def _person_keys(user: User) -> set[str]:
    """How documents written by people name a person: username (with or without ``@``),
    email address, or full name, in any case."""
    keys = {user.username.lower()}
    if user.email:
        keys.add(user.email.lower())
    full_name = f"{user.first_name} {user.last_name}".strip()
    if full_name:
        keys.add(full_name.lower())
    return keys


def _resolve_users(names: list[str], *, field: str, label: str) -> dict[str, User]:
    """Each name as it is written in the document -> the active user it names.

    Our own export writes usernames; documents written by hand (the Google SRE book's
    Owner column) often give a full name or an email address instead. Two queries at
    most: exact usernames, then the other names among active users' usernames (any
    case), email addresses and full names. A name that fits no one, or
    more than one person, is refused with the reason: a guess would assign work to the
    wrong person.
    """
    wanted = {name for name in names if name}
    active = User.objects.filter(is_active=True)
    found = {user.username: user for user in active.filter(username__in=wanted)}
    rest = wanted - set(found)
    if rest:
        keys = {name: " ".join(name.removeprefix("@").split()).lower() for name in rest}
        people = active.annotate(
            login=Lower("username"),
            mail=Lower("email"),
            # Trimmed, as _person_keys: someone with one name is found by it.
            full_name=Lower(Trim(Concat("first_name", Value(" "), "last_name"))),
        ).filter(
            Q(login__in=keys.values()) | Q(mail__in=keys.values()) | Q(full_name__in=keys.values())
        )
        matches: dict[str, list[User]] = {}
        for user in people.order_by("username"):
            for key in _person_keys(user):
                matches.setdefault(key, []).append(user)
        ambiguous = []
        for name in sorted(rest):
            candidates = matches.get(keys[name], [])
            if len(candidates) == 1:
                found[name] = candidates[0]
            elif candidates:
                usernames = ", ".join(user.username for user in candidates)
                ambiguous.append(f"{name} (could be {usernames})")
        if ambiguous:
            raise ValidationProblem(
                f"Ambiguous {label}: {'; '.join(ambiguous)}. Write the username instead.",
                field=field,
            )
    missing = sorted(wanted - set(found))
    if missing:
        raise ValidationProblem(
            f"Unknown {label}: {', '.join(missing)}. Create these users first or fix the "
            "names (a username, an email address or a full name).",
            field=field,
        )
    return found


@transaction.atomic
def postmortem_import(*, user: User | None, document: PostmortemDocument) -> Incident:
    """Create a new incident from a document; all or nothing."""
    if document.started_at is None:
        first = min((entry.at for entry in document.timeline), default=None)
        if first is None:
            raise ValidationProblem(
                "The document gives no start time (front matter started_at) and has no timeline.",
                field="started_at",
            )
        document.started_at = first
    team = None
    if document.team:
        team = Team.objects.filter(slug=document.team).first()
        if team is None:
            raise ValidationProblem(f"Unknown team {document.team!r}.", field="team")
    found_services = {s.slug: s for s in Service.objects.filter(slug__in=document.services)}
    missing = sorted(set(document.services) - set(found_services))
    if missing:
        raise ValidationProblem(f"Unknown services: {', '.join(missing)}.", field="services")
    authors = _resolve_users(document.authors, field="authors", label="authors")
    owners = _resolve_users(
        [item.owner or "" for item in document.action_items],
        field="owner",
        label="action item owners",
    )
    event_authors = _resolve_users(
        [entry.author or "" for entry in document.timeline],
        field="author",
        label="timeline authors",
    )
    incident = services.incident_create(
        user=user,
        title=document.title,
        started_at=document.started_at,
        ended_at=document.ended_at,
        severity=document.severity,
        status=document.status,
        team=team,
        services=[found_services[slug] for slug in document.services],
        authors=[authors[name] for name in document.authors],
        summary=document.summary,
        impact=document.impact,
        regions=document.regions,
        trigger=document.trigger,
        detection=document.detection,
        resolution=document.resolution,
        appendix=document.appendix,
    )
    if user is not None and not document.authors:
        incident.authors.set([user])
    for entry in sorted(document.timeline, key=lambda e: e.at):
        services.timeline_event_add(
            user=user,
            incident=incident,
            occurred_at=entry.at,
            kind=entry.kind,
            text=entry.text,
            author=event_authors.get(entry.author or ""),
            evidence_url=entry.evidence_url or "",
        )
    factors = []
    for factor_entry in document.factors:
        factor = services.factor_add(
            user=user,
            incident=incident,
            title=factor_entry.title,
            description=factor_entry.description,
        )
        for link in factor_entry.evidence:
            services.evidence_add(
                user=user, factor=factor, url=link.url, kind=link.kind, label=link.label
            )
        factors.append(factor)
    for kind, texts in (
        ("went_well", document.lessons.went_well),
        ("went_poorly", document.lessons.went_poorly),
        ("got_lucky", document.lessons.got_lucky),
    ):
        for text in texts:
            services.lesson_add(user=user, incident=incident, kind=kind, text=text)
    created_items = []
    for item in document.action_items:
        if item.addresses is not None and not 1 <= item.addresses <= len(factors):
            raise ValidationProblem(
                f"Action item {item.title!r} addresses factor F{item.addresses}, which does not exist.",
                field="factor",
            )
        created = services.action_item_add(
            user=user,
            incident=incident,
            title=item.title,
            description=item.description,
            priority=item.priority,
            owner=owners.get(item.owner or ""),
            ticket_id=item.ticket_id or "",
            ticket_url=item.ticket_url or "",
            due_on=item.due_on,
            status=item.status,
            status_reason=item.status_reason,
            factor=factors[item.addresses - 1] if item.addresses else None,
            completed_at=item.completed_at,
        )
        created_items.append((item, created))
    # A<n> in the analysis is the n-th action item in the template's order.
    by_entry = {id(entry): row for entry, row in created_items}
    ordered = [by_entry[id(entry)] for entry in sort_action_items(document.action_items)]
    tree_import(
        user=user,
        incident=incident,
        tree=document.analysis,
        factors=factors,
        action_items=ordered,
    )
    if incident.status == PostmortemStatus.PUBLISHED:
        # Checked again now that every part is in: block mode refuses the whole import.
        publishing_gate(incident=incident, changes={})
    return incident
