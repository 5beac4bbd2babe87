import json

import pytest

from kintsugi.core.capture.alertmanager import parse_alertmanager
from kintsugi.core.capture.severity import DEFAULT_MAP
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.timeline import EventKind
from kintsugi.core.vocabulary import Severity
from tests.capture.payloads import alert, alertmanager


def parse(payload):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return parse_alertmanager(body, severity_label="severity", severity_map=DEFAULT_MAP)


def test_it_turns_a_firing_alert_into_an_alert_fired_event_with_its_evidence():
    [batch] = parse(alertmanager(alert("a1")))
    assert batch.group_key == '{}:{alertname="HighErrorRate"}'
    assert batch.severity == Severity.SEV1
    assert batch.title == "HighErrorRate — 5xx above 2%"
    [event] = batch.events
    assert event.kind == EventKind.ALERT_FIRED
    assert event.occurred_at.isoformat() == "2026-03-01T14:00:00.123456+00:00"
    assert "instance=web-a1" in event.text and "runbook_url=" in event.text
    assert event.evidence_url.startswith("http://prometheus.example:9090/graph")
    assert not batch.closes


def test_it_marks_the_last_resolution_of_a_resolved_group_as_full_recovery():
    payload = alertmanager(
        alert("a1", status="resolved", ends="2026-03-01T14:10:00Z"),
        alert("a2", status="resolved", ends="2026-03-01T14:20:00Z", severity="warning"),
        status="resolved",
    )
    [batch] = parse(payload)
    kinds = {(e.key.split("@")[0], e.kind) for e in batch.events}
    assert ("a1", EventKind.NOTE) in kinds and ("a2", EventKind.FULLY_RECOVERED) in kinds
    assert ("a1", EventKind.ALERT_FIRED) in kinds  # the firing is recovered from the resolution
    assert batch.closes


def test_it_keeps_one_resolution_among_firing_alerts_a_note():
    payload = alertmanager(alert("a1", status="resolved", ends="2026-03-01T14:10:00Z"), alert("a2"))
    [batch] = parse(payload)
    assert {e.kind for e in batch.events} == {EventKind.ALERT_FIRED, EventKind.NOTE}
    assert not batch.closes


def test_the_same_transition_has_the_same_key_in_every_delivery():
    first = parse(alertmanager(alert("a1")))[0].events[0]
    again = parse(alertmanager(alert("a1"), alert("a2")))[0].events[0]
    assert first.key == again.key


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "JSON object"),
        (b"\xff\xfe", "UTF-8"),
        (b"[" * 200_000, "nested too deeply"),
        ({**alertmanager(alert("a")), "version": "3"}, "version '3' is not supported"),
        ({**alertmanager(alert("a")), "alerts": []}, "must not be empty"),
        ({**alertmanager(alert("a")), "groupKey": 5}, "groupKey"),
        (alertmanager({**alert("a"), "startsAt": "2026-03-01 14:00"}), "timezone"),
        (alertmanager({**alert("a"), "labels": {"x": 1}}), "object of strings"),
        (alertmanager({**alert("a"), "status": "pending"}), "status"),
        (alertmanager(alert("a", status="resolved", ends="2020-01-01T00:00:00Z")), "before"),
        (alertmanager(*[alert(str(i)) for i in range(1001)]), "limit is 1,000"),
    ],
)
def test_it_refuses_malformed_payloads_with_a_reason(payload, reason):
    with pytest.raises(ValidationProblem, match=reason):
        parse(payload)


def test_it_drops_a_javascript_generator_url_and_escapes_nothing_itself():
    payload = alertmanager({**alert("a"), "generatorURL": "javascript:alert(1)"})
    [event] = parse(payload)[0].events
    assert event.evidence_url == ""


def test_it_cuts_overlong_text_to_the_column():
    payload = alertmanager({**alert("a"), "annotations": {"summary": "x" * 5000}})
    [event] = parse(payload)[0].events
    assert len(event.text) == 2000 and event.text.endswith("…")
