"""``timeline_events_add``: several events in one call (captured alert groups)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from kintsugi.core.errors import ValidationProblem
from kintsugi.postmortems.services import timeline_events_add


def test_it_adds_every_event_in_one_go(incident, owner):
    start = incident.started_at
    rows = timeline_events_add(
        user=owner,
        incident=incident,
        events=[
            {"occurred_at": start + timedelta(minutes=2), "kind": "alert_fired", "text": "Paged"},
            {"occurred_at": start + timedelta(minutes=9), "text": "Looked", "evidence_url": ""},
        ],
    )
    assert [row.kind for row in rows] == ["alert_fired", "note"] and all(row.pk for row in rows)


def test_it_refuses_the_whole_batch_when_the_order_contradicts(incident, owner):
    start = incident.started_at
    with pytest.raises(ValidationProblem, match="before"):
        timeline_events_add(
            user=owner,
            incident=incident,
            events=[
                {"occurred_at": start + timedelta(minutes=5), "kind": "alert_fired", "text": "a"},
                {"occurred_at": start + timedelta(minutes=1), "kind": "mitigated", "text": "b"},
            ],
        )
    assert not incident.events.filter(text__in=["a", "b"]).exists()


def test_it_validates_each_event_and_the_permission(incident, owner, viewer):
    with pytest.raises(ValidationProblem):
        timeline_events_add(
            user=owner, incident=incident, events=[{"occurred_at": incident.started_at, "text": ""}]
        )
    with pytest.raises(PermissionDenied):
        timeline_events_add(user=viewer, incident=incident, events=[])
