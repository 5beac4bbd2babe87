"""A NUL character ("\\u0000" in JSON) in an alert: PostgreSQL cannot store one. The
delivery is answered without a 500, its other alerts are kept, and the text is recorded
without the NUL; on SQLite and on PostgreSQL (``DATABASE_URL=postgres://...``)."""

from __future__ import annotations

import pytest

from kintsugi.capture.models import RawDelivery
from kintsugi.postmortems.models import Incident, TimelineEvent
from tests.capture.conftest import post
from tests.capture.payloads import alert, alertmanager

pytestmark = pytest.mark.django_db


def test_a_nul_in_an_alert_is_no_500_and_loses_nothing_else(client, am_source) -> None:
    hostile = alert("nul1")
    hostile["labels"]["alertname"] = "High\x00ErrorRate"
    hostile["annotations"]["summary"] = "5xx\x00 above 2%"
    payload = alertmanager(hostile, alert("fine2"))
    payload["groupLabels"]["alertname"] = "High\x00ErrorRate"
    response = post(client, am_source, payload)
    assert response.status_code < 500, response.content[:300]
    delivery = RawDelivery.objects.get()
    assert delivery.body  # the raw body is kept whatever happened next
    if response.status_code < 300:
        texts = list(TimelineEvent.objects.values_list("text", flat=True))
        titles = list(Incident.objects.values_list("title", flat=True))
        assert len(texts) == 2
        assert not any("\x00" in text for text in texts + titles)
