"""Compact version storage: rows stored once, a one-event edit costs about one event."""

from __future__ import annotations

import importlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.apps import apps

from kintsugi.history import selectors
from kintsugi.history.models import HistoryBlob, SectionState, Version
from kintsugi.history.services.recorder import record
from kintsugi.postmortems import services

pytestmark = pytest.mark.django_db
packing = importlib.import_module("kintsugi.history.migrations.0003_pack_section_states")


def _size(value: object) -> int:
    return len(json.dumps(value, separators=(",", ":")).encode())


def _stored() -> int:
    """Bytes of JSON the history holds: every state's data and chunks, every blob."""
    states = SectionState.objects.values_list("data", "chunks")
    return sum(_size(d) + (_size(c) if c is not None else 0) for d, c in states) + sum(
        _size(d) for d in HistoryBlob.objects.values_list("data", flat=True)
    )


def _timeline(incident, owner, committed, n=500):
    start = datetime(2026, 3, 1, 14, 1, tzinfo=UTC)
    with committed():
        services.timeline_events_add(
            user=owner,
            incident=incident,
            events=[
                {
                    "occurred_at": start + timedelta(seconds=i),
                    "text": f"Event {i}: the checkout service answered 502 to "
                    "a fifth of requests while the pool drained; paged the on-call.",
                }
                for i in range(n)
            ],
        )


def test_a_one_event_edit_of_a_500_event_timeline_costs_about_one_event(recorded, owner, committed):
    _timeline(recorded, owner, committed)
    whole = _size(selectors.rebuild(Version.objects.first())["timeline"])
    one_event = whole / 500
    before = _stored()
    event = recorded.events.order_by("id")[250]
    with committed():
        services.timeline_event_update(
            user=owner, event=event, version=event.version, text=event.text + " Corrected."
        )
    cost = _stored() - before
    # Figures for docs/history.md: the whole section was what each edit stored before.
    print(f"\nwhole timeline {whole} B, one event {one_event:.0f} B, this edit {cost} B")
    assert whole > 50_000
    assert cost < 6 * one_event, (cost, one_event)
    latest = Version.objects.first()
    assert selectors.rebuild(latest)["timeline"][250]["text"].endswith("Corrected.")


def test_an_inserted_event_changes_one_chunk_not_every_chunk_after_it(recorded, owner, committed):
    _timeline(recorded, owner, committed, n=300)
    blobs = HistoryBlob.objects.count()
    with committed():
        services.timeline_events_add(
            user=owner,
            incident=recorded,
            events=[{"occurred_at": datetime(2026, 3, 1, 14, 1, 30, tzinfo=UTC), "text": "New"}],
        )
    # the new row, the chunk it fell in (maybe split in two by its boundary)
    assert HistoryBlob.objects.count() - blobs <= 3
    (first, second) = Version.objects.order_by("-number")[:2]
    assert [d.section.key for d in selectors.diff(second, first) if d.changed] == ["timeline"]


def test_the_data_migration_packs_whole_states_and_unpacks_them_again(recorded, owner, committed):
    _timeline(recorded, owner, committed, n=120)
    with committed():
        services.lesson_add(user=owner, incident=recorded, kind="went_well", text="Paged <fast>")
    for n in (3, 60, 100):  # three more timelines that share all but one event
        event = recorded.events.order_by("id")[n]
        with committed():
            services.timeline_event_update(
                user=owner, event=event, version=event.version, text=f"Edited {n}"
            )
    versions = list(Version.objects.order_by("number"))
    expected = [selectors.rebuild(v) for v in versions]

    packing.backward(apps, None)  # as 0001 kept them: whole, no blobs
    assert not HistoryBlob.objects.exists()
    assert not SectionState.objects.filter(chunks__isnull=False).exists()
    assert [selectors.rebuild(v) for v in versions] == expected
    whole = _stored()

    packing.forward(apps, None)
    assert not SectionState.objects.filter(section="timeline", chunks__isnull=True).exists()
    assert [selectors.rebuild(v) for v in versions] == expected
    assert _stored() < whole
    packing.forward(apps, None)  # twice changes nothing
    assert [selectors.rebuild(v) for v in versions] == expected


def test_blobs_go_with_their_incident(recorded, owner, committed):
    _timeline(recorded, owner, committed, n=20)
    assert HistoryBlob.objects.filter(incident=recorded).exists()
    recorded.delete()
    assert not HistoryBlob.objects.exists()


def test_record_twice_stores_nothing_new(recorded, owner, committed):
    _timeline(recorded, owner, committed, n=40)
    before = (_stored(), HistoryBlob.objects.count())
    assert record(recorded.pk, user=owner) is None
    assert (_stored(), HistoryBlob.objects.count()) == before
