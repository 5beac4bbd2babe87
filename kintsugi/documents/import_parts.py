"""Writing the parts of an imported post-mortem: timeline, factors, lessons, actions, analysis.

The incident row is written first (kintsugi.documents.imports); these steps then add its
parts through the same services a person's edits go through, so every rule still applies.
Where a value is refused and best effort allows it, the value is kept as text next to
where it belonged and the decision is noted; ``strict`` refuses instead.
"""

from __future__ import annotations

import functools

from django.db import transaction

from kintsugi.accounts.models import User
from kintsugi.blameless.publishing import publishing_gate
from kintsugi.core.document import (
    ActionItemEntry,
    ContributingFactor,
    PostmortemDocument,
    TimelineEntry,
    sort_action_items,
)
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.five_whys.nodes import tree_to_records
from kintsugi.core.timeline import EventKind
from kintsugi.core.vocabulary import PostmortemStatus
from kintsugi.documents.import_writer import ImportWriter
from kintsugi.five_whys.models import Analysis
from kintsugi.five_whys.records import Numbering
from kintsugi.five_whys.services import tree_replace
from kintsugi.postmortems import services
from kintsugi.postmortems.models import ActionItem, Factor, Incident, TimelineEvent


def write_parts(
    writer: ImportWriter,
    incident: Incident,
    document: PostmortemDocument,
    owners: dict[str, User],
    event_authors: dict[str, User],
) -> None:
    """Add every part of ``document`` to ``incident`` (which has none yet)."""
    for entry in sorted(document.timeline, key=lambda e: e.at):
        write_event(writer, incident, entry, event_authors)
    factors = [write_factor(writer, incident, entry) for entry in document.factors]
    write_lessons(writer, incident, document)
    created = write_action_items(writer, incident, document, owners, factors)
    write_analysis(writer, incident, document, factors, created)
    if incident.status == PostmortemStatus.PUBLISHED:
        publishing_gate(incident=incident, changes={})


def write_event(
    writer: ImportWriter,
    incident: Incident,
    entry: TimelineEntry,
    event_authors: dict[str, User],
) -> TimelineEvent:
    """One timeline event; a kind that contradicts the key moments is kept as a note."""
    author = event_authors.get(entry.author or "")
    event_fields = {
        "user": writer.user,
        "incident": incident,
        "occurred_at": entry.at,
        "text": entry.text,
        "author": author,
        "evidence_url": entry.evidence_url or "",
    }
    add_event = functools.partial(
        writer.add_keeping_what_is_refused,
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
    return event


def write_factor(writer: ImportWriter, incident: Incident, entry: ContributingFactor) -> Factor:
    """One factor with its evidence; a refused link is kept in the factor's description."""
    factor = services.factor_add(
        user=writer.user, incident=incident, title=entry.title, description=entry.description
    )
    for link in entry.evidence:
        try:
            with transaction.atomic():
                services.evidence_add(
                    user=writer.user, factor=factor, url=link.url, kind=link.kind, label=link.label
                )
        except ValidationProblem as problem:
            if writer.strict:
                raise
            writer.report.add(
                "kept",
                f"Evidence {link.url[:80]!r} of factor {entry.title!r} is kept in its "
                f"description: {problem.message}",
                field="factors.evidence",
            )
            factor.description = f"{factor.description}\n\nEvidence: {link.url}".strip()
            Factor.objects.filter(pk=factor.pk).update(description=factor.description)
    return factor


def write_lessons(writer: ImportWriter, incident: Incident, document: PostmortemDocument) -> None:
    for kind, texts in (
        ("went_well", document.lessons.went_well),
        ("went_poorly", document.lessons.went_poorly),
        ("got_lucky", document.lessons.got_lucky),
    ):
        for text in texts:
            services.lesson_add(user=writer.user, incident=incident, kind=kind, text=text)


def write_action_items(
    writer: ImportWriter,
    incident: Incident,
    document: PostmortemDocument,
    owners: dict[str, User],
    factors: list[Factor],
) -> list[tuple[ActionItemEntry, ActionItem]]:
    """Every action item, in the document's order, with the row written for it."""
    created = []
    seen_tickets: set[str] = set()
    for item in document.action_items:
        factor = addressed_factor(item, factors)
        description, ticket = item.description, item.ticket_id or ""
        if ticket and ticket.lower() in seen_tickets:
            description, ticket = _keep_repeated_ticket(writer, item, description, ticket)
        seen_tickets.add(ticket.lower())
        text = {"description": description, "ticket_id": ticket}
        created.append((item, write_action_item(writer, incident, item, owners, factor, text)))
    return created


def addressed_factor(item: ActionItemEntry, factors: list[Factor]) -> Factor | None:
    """The factor an item's F<n> names (1-based, in the document's order), if it names one."""
    if item.addresses is not None and not 1 <= item.addresses <= len(factors):
        raise ValidationProblem(
            f"Action item {item.title!r} addresses factor F{item.addresses}, which does not exist.",
            field="factor",
        )
    return factors[item.addresses - 1] if item.addresses else None


def _keep_repeated_ticket(
    writer: ImportWriter, item: ActionItemEntry, description: str, ticket: str
) -> tuple[str, str]:
    # One ticket belongs to one item of an incident; the second mention is kept as text.
    writer.note(
        "attention",
        f"Ticket {ticket} is named by two action items; the second ({item.title!r}) "
        "keeps it in its description.",
        field="action_items.ticket_id",
    )
    return f"{description}\n\nTicket: {ticket}".strip(), ""


def write_action_item(
    writer: ImportWriter,
    incident: Incident,
    item: ActionItemEntry,
    owners: dict[str, User],
    factor: Factor | None,
    text: dict[str, str],
) -> ActionItem:
    """One action item as recorded; ``text`` is its description and ticket after checks."""
    owner = owners.get(item.owner or "")
    item_fields = {
        "user": writer.user,
        "incident": incident,
        "title": item.title,
        "description": text["description"],
        "priority": item.priority,
        "owner": owner,
        "ticket_id": text["ticket_id"],
        "ticket_url": item.ticket_url or "",
        "due_on": item.due_on,
        "status": item.status,
        "status_reason": item.status_reason,
        "factor": factor,
        "completed_at": item.completed_at,
        "as_recorded": True,
    }
    row = writer.add_keeping_what_is_refused(
        services.action_item_add,
        item_fields,
        movable=("ticket_id", "ticket_url"),
        into="description",
        what=f"action item {item.title!r}",
    )
    if item.owner and owner is None:
        ActionItem.objects.filter(pk=row.pk).update(owner_name=item.owner[:150])
    return row


def write_analysis(
    writer: ImportWriter,
    incident: Incident,
    document: PostmortemDocument,
    factors: list[Factor],
    created: list[tuple[ActionItemEntry, ActionItem]],
) -> None:
    """The why-chains; their F<n> and A<n> links name the rows just written."""
    if not document.analysis.branches:
        return
    # A<n> in the analysis is the n-th action item in the template's order.
    by_entry = {id(entry): row for entry, row in created}
    ordered = [by_entry[id(entry)] for entry in sort_action_items(document.action_items)]
    tree_version = Analysis.objects.filter(pk=incident.pk).values_list("version", flat=True)
    tree_replace(
        user=writer.user,
        incident=incident,
        version=tree_version.first() or 0,
        records=tree_to_records(document.analysis),
        numbering=Numbering.of([f.pk for f in factors], [a.pk for a in ordered]),
    )
