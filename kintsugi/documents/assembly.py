"""Conversion between stored incidents and the exchange form (kintsugi.core.document).

Export reads an incident in a constant number of queries. Import lives in imports.py
(best effort with a report, or strict: ``postmortem_import``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from kintsugi.accounts.models import User
from kintsugi.core.document import (
    ActionItemEntry,
    ContributingFactor,
    EvidenceLink,
    Lessons,
    PostmortemDocument,
    TimelineEntry,
    sort_action_items,
)
from kintsugi.core.five_whys import WhyTree, build_tree
from kintsugi.core.markdown.html import DisplayNames
from kintsugi.core.timeline import EventKind
from kintsugi.core.vocabulary import (
    ActionStatus,
    EvidenceKind,
    PostmortemStatus,
    Priority,
    Severity,
)
from kintsugi.documents.revision import revision_of_rows
from kintsugi.five_whys.selectors import AnalysisView, analysis_view
from kintsugi.postmortems.models import ActionItem, Factor, Incident, Lesson
from kintsugi.postmortems.selectors import EventRow, PersonRef, postmortem_detail
from kintsugi.teams.models import Service, Team


def document_from_incident(*, user: User, pk: object) -> PostmortemDocument:
    """The stored incident in the exchange form, as ``user`` may see it."""
    view = postmortem_detail(user=user, pk=pk)
    incident = view.incident
    factor_numbers = {factor.pk: index for index, factor in enumerate(view.factors, start=1)}
    entries = [_action_item_entry(item, factor_numbers) for item in view.action_items]
    # The tree and the revision from the rows read above: no section is read twice.
    stored = analysis_view(
        incident=incident,
        factors=view.factors,
        action_items=view.action_items,
        version=view.why_version,
    )
    lessons = [lesson for kind in view.lessons.values() for lesson in kind]
    revision = revision_of_rows(
        incident,
        (view.events, view.factors, lessons, view.action_items),
        stored.nodes,
        view.why_version or None,  # a stored tree's version starts at 1; 0 is no tree
    )
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
        authors=_authors(incident, view.involved.authors),
        summary=incident.summary,
        impact=incident.impact,
        trigger=incident.trigger,
        detection=incident.detection,
        resolution=incident.resolution,
        appendix=incident.appendix,
        restricted=incident.is_restricted,
        members=sorted(member.username for member in view.involved.members),
        version=incident.version,
        revision=revision,
        source_metadata=dict(incident.source_metadata or {}),
        timeline=[_timeline_entry(event) for event in view.events],
        factors=[_factor_entry(factor) for factor in view.factors],
        lessons=_lessons(view.lessons),
        action_items=sort_action_items(entries),
    )
    document.analysis = _analysis_tree(stored, document, entries)
    return document


def _authors(incident: Incident, users: Iterable[PersonRef]) -> list[str]:
    # Authors with an account by username, then those kept as typed (no account here).
    return sorted(author.username for author in users) + list(incident.author_names or [])


def _timeline_entry(event: EventRow) -> TimelineEntry:
    return TimelineEntry(
        at=event.occurred_at,
        kind=EventKind(event.kind),
        text=event.text,
        author=event.author.username if event.author else (event.author_name or None),
        evidence_url=event.evidence_url or None,
    )


def _factor_entry(factor: Factor) -> ContributingFactor:
    return ContributingFactor(
        title=factor.title,
        description=factor.description,
        evidence=[
            EvidenceLink(kind=EvidenceKind(link.kind), url=link.url, label=link.label)
            for link in factor.evidence_links()
        ],
    )


def _lessons(by_kind: Mapping[str, Iterable[Lesson]]) -> Lessons:
    return Lessons(
        went_well=[lesson.text for lesson in by_kind.get("went_well", [])],
        went_poorly=[lesson.text for lesson in by_kind.get("went_poorly", [])],
        got_lucky=[lesson.text for lesson in by_kind.get("got_lucky", [])],
    )


def _action_item_entry(item: ActionItem, factor_numbers: dict[int, int]) -> ActionItemEntry:
    """One item; the factor it addresses by its number in the document (F1, F2...)."""
    return ActionItemEntry(
        title=item.title,
        priority=Priority(item.priority),
        owner=item.owner.username if item.owner else (item.owner_name or None),
        ticket_id=item.ticket_id or None,
        ticket_url=item.ticket_url or None,
        due_on=item.due_on,
        status=ActionStatus(item.status),
        status_reason=item.status_reason,
        description=item.description,
        addresses=factor_numbers.get(item.factor_id) if item.factor_id else None,
        completed_at=item.completed_at,
    )


def display_names(document: PostmortemDocument) -> DisplayNames:
    """The names behind the document's slugs and usernames, for the HTML and PDF pages
    (three queries, whatever the size). A name typed by hand (an author or owner without an
    account) is not a username and stays as written."""
    people = {*document.authors, *document.members}
    people.update(entry.author for entry in document.timeline if entry.author)
    people.update(item.owner for item in document.action_items if item.owner)
    teams = Team.objects.filter(slug=document.team) if document.team else Team.objects.none()
    return DisplayNames(
        teams=dict(teams.values_list("slug", "name")),
        services=dict(
            Service.objects.filter(slug__in=document.services).values_list("slug", "name")
        ),
        people={
            user.username: user.display_name
            for user in User.objects.filter(username__in=people).only(
                "username", "first_name", "last_name"
            )
        },
    )


def _analysis_tree(
    stored: AnalysisView, document: PostmortemDocument, entries: list[ActionItemEntry]
) -> WhyTree:
    """The stored tree, its action links renumbered as the document numbers action items:
    in the template's order (``document.action_items``), which may differ from the stored
    order on ties. Factors are numbered in the same order in both."""
    items = stored.action_items
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
