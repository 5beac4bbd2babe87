"""The named steps that write an imported post-mortem's parts, and the writer they share."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kintsugi.core.document import (
    ActionItemEntry,
    ContributingFactor,
    EvidenceLink,
    PostmortemDocument,
    TimelineEntry,
)
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.report import ImportReport
from kintsugi.core.timeline import EventKind
from kintsugi.core.vocabulary import EvidenceKind
from kintsugi.documents.import_parts import (
    addressed_factor,
    write_action_items,
    write_event,
    write_factor,
)
from kintsugi.documents.import_writer import ImportWriter
from kintsugi.postmortems import services


def _writer(strict: bool = False) -> ImportWriter:
    return ImportWriter(None, ImportReport(), strict)


def test_a_refused_evidence_link_is_kept_in_the_factor_description(incident):
    writer = _writer()
    entry = ContributingFactor(
        "No pool cap",
        "Connections grew unbounded.",
        [EvidenceLink(EvidenceKind.GRAPH, "ftp://grafana/pool")],
    )
    factor = write_factor(writer, incident, entry)
    factor.refresh_from_db()
    assert factor.description == "Connections grew unbounded.\n\nEvidence: ftp://grafana/pool"
    assert not factor.evidence.exists()
    assert [note.kind for note in writer.report.notes] == ["kept"]


def test_strict_mode_refuses_a_bad_evidence_link(incident):
    entry = ContributingFactor("No pool cap", evidence=[EvidenceLink(EvidenceKind.LOG, "x")])
    with pytest.raises(ValidationProblem):
        write_factor(_writer(strict=True), incident, entry)


def test_an_action_item_names_an_existing_factor_or_none(incident, owner):
    factor = services.factor_add(user=owner, incident=incident, title="No pool cap")
    assert addressed_factor(ActionItemEntry("Cap", addresses=1), [factor]) == factor
    assert addressed_factor(ActionItemEntry("Cap"), [factor]) is None
    with pytest.raises(ValidationProblem, match="addresses factor F2") as refused:
        addressed_factor(ActionItemEntry("Cap", addresses=2), [factor])
    assert refused.value.field == "factor"


def test_a_ticket_named_twice_stays_with_the_first_item(incident):
    writer = _writer()
    document = PostmortemDocument(
        "Outage",
        action_items=[
            ActionItemEntry("Cap the pool", ticket_id="OPS-1"),
            ActionItemEntry("Alert on the pool", ticket_id="ops-1", description="Page on 80%."),
        ],
    )
    created = write_action_items(writer, incident, document, {}, [])
    (_, first), (_, second) = created
    assert (first.ticket_id, second.ticket_id) == ("OPS-1", "")
    assert second.description == "Page on 80%.\n\nTicket: ops-1"
    assert [note.kind for note in writer.report.notes] == ["attention"]


def test_an_unknown_owner_is_kept_as_written(incident):
    document = PostmortemDocument("Outage", action_items=[ActionItemEntry("Cap", owner="Zed")])
    (_, row), = write_action_items(_writer(), incident, document, {}, [])  # fmt: skip
    row.refresh_from_db()
    assert (row.owner, row.owner_name) == (None, "Zed")


def test_a_refused_ticket_id_is_kept_in_the_description(incident):
    writer = _writer()
    document = PostmortemDocument(
        "Outage", action_items=[ActionItemEntry("Cap", ticket_id="OPS 1")]
    )
    (_, row), = write_action_items(writer, incident, document, {}, [])  # fmt: skip
    assert (row.ticket_id, row.description) == ("", "Ticket id: OPS 1")
    with pytest.raises(ValidationProblem, match="ticket ID"):
        write_action_items(_writer(strict=True), incident, document, {}, [])


def test_an_event_that_contradicts_the_key_moments_is_kept_as_a_note(incident, owner):
    services.timeline_event_add(
        user=owner,
        incident=incident,
        occurred_at=datetime(2026, 3, 1, 14, 5, tzinfo=UTC),
        kind="alert_fired",
        text="Alert fired",
    )
    writer = _writer()
    early = datetime(2026, 3, 1, 14, 1, tzinfo=UTC)
    entry = TimelineEntry(early, EventKind.MITIGATED, "Rolled back", author="Zed")
    event = write_event(writer, incident, entry, {})
    event.refresh_from_db()
    assert (event.kind, event.text, event.author_name) == (EventKind.NOTE, "Rolled back", "Zed")
    assert [note.kind for note in writer.report.notes] == ["assumption"]
    with pytest.raises(ValidationProblem, match="before 'Alert fired'"):
        write_event(_writer(strict=True), incident, entry, {})
