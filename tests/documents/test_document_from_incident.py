"""The export's steps: each stored part in the exchange form, names typed by hand kept."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kintsugi.core.document import ActionItemEntry, ContributingFactor, EvidenceLink, Lessons
from kintsugi.core.vocabulary import ActionStatus, EvidenceKind, Priority
from kintsugi.documents.assembly import document_from_incident
from kintsugi.documents.revision import revision_of
from kintsugi.five_whys import services as analysis
from kintsugi.postmortems import services
from kintsugi.postmortems.models import ActionItem, Incident, TimelineEvent

T0 = datetime(2026, 3, 1, 14, 0, tzinfo=UTC)


def test_authors_with_an_account_come_first_then_names_kept_as_typed(incident, owner):
    Incident.objects.filter(pk=incident.pk).update(author_names=["Zed from ops"])
    document = document_from_incident(user=owner, pk=incident.pk)
    assert document.authors == ["alice", "Zed from ops"]


def test_timeline_authors_are_usernames_or_the_name_as_typed(incident, owner):
    mine = services.timeline_event_add(
        user=owner, incident=incident, occurred_at=T0, kind="note", text="Paged", author=owner
    )
    typed = services.timeline_event_add(
        user=owner,
        incident=incident,
        occurred_at=T0.replace(minute=5),
        kind="note",
        text="Rolled back",
        evidence_url="https://grafana.example/d/1",
    )
    TimelineEvent.objects.filter(pk=typed.pk).update(author_name="Zed")
    timeline = document_from_incident(user=owner, pk=incident.pk).timeline
    assert [(e.text, e.author, e.evidence_url) for e in timeline] == [
        (mine.text, "alice", None),
        ("Rolled back", "Zed", "https://grafana.example/d/1"),
    ]


def test_factors_lessons_and_action_items_keep_their_numbers(incident, owner):
    first = services.factor_add(user=owner, incident=incident, title="No pool cap")
    second = services.factor_add(user=owner, incident=incident, title="No alert")
    services.evidence_add(
        user=owner, factor=first, url="https://grafana.example/d/2", kind="graph", label="Pool"
    )
    services.lesson_add(user=owner, incident=incident, kind="got_lucky", text="Low traffic")
    services.action_item_add(
        user=owner, incident=incident, title="Alert on the pool", priority="P1", factor=second
    )
    typed = services.action_item_add(
        user=owner, incident=incident, title="Review the runbook", priority="P3"
    )
    ActionItem.objects.filter(pk=typed.pk).update(owner_name="@dbteam")
    document = document_from_incident(user=owner, pk=incident.pk)
    assert document.factors == [
        ContributingFactor(
            "No pool cap",
            evidence=[EvidenceLink(EvidenceKind.GRAPH, "https://grafana.example/d/2", "Pool")],
        ),
        ContributingFactor("No alert"),
    ]
    assert document.lessons == Lessons(got_lucky=["Low traffic"])
    items = {item.title: item for item in document.action_items}
    assert items["Alert on the pool"].addresses == 2
    assert items["Alert on the pool"].owner is None
    assert items["Review the runbook"] == ActionItemEntry(
        title="Review the runbook",
        priority=Priority.P3,
        owner="@dbteam",
        due_on=items["Review the runbook"].due_on,
        status=ActionStatus.OPEN,
    )


def fill(incident, owner) -> None:
    """One row of every kind the revision counts, a tree of two steps included."""
    services.timeline_event_add(user=owner, incident=incident, occurred_at=T0, text="Paged")
    factor = services.factor_add(user=owner, incident=incident, title="No pool cap")
    services.lesson_add(user=owner, incident=incident, kind="went_well", text="Fast rollback")
    services.action_item_add(user=owner, incident=incident, title="Cap the pool", factor=factor)
    first = analysis.step_add(
        user=owner, incident=incident, version=0, question="Why?", answer="Pool ran out"
    )
    analysis.step_add(
        user=owner, incident=incident, version=1, question="Why?", answer="No cap", parent=first
    )


def test_the_revision_from_the_rows_read_is_the_stored_revision(incident, owner):
    empty = document_from_incident(user=owner, pk=incident.pk).revision
    assert empty == revision_of(incident)
    fill(incident, owner)
    incident.refresh_from_db()
    full = document_from_incident(user=owner, pk=incident.pk).revision
    assert full == revision_of(incident) != empty
    services.lesson_add(user=owner, incident=incident, kind="got_lucky", text="Low traffic")
    incident.refresh_from_db()
    assert document_from_incident(user=owner, pk=incident.pk).revision == revision_of(incident)
    assert revision_of(incident) != full


def test_it_reads_each_table_once(incident, owner):
    fill(incident, owner)
    with CaptureQueriesContext(connection) as captured:
        document_from_incident(user=owner, pk=incident.pk)
    tables = Counter(
        re.search(r'FROM "(\w+)"', query["sql"]).group(1)  # type: ignore[union-attr]
        for query in captured.captured_queries
    )
    assert {table: n for table, n in tables.items() if n > 1} == {}
