import json

import pytest

from kintsugi.core.capture.pagerduty import parse_pagerduty, sign, signature_matches
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.timeline import EventKind
from kintsugi.core.vocabulary import Severity
from tests.capture.payloads import pagerduty_event

SECRET = "test-signing-secret-0123456789"


def test_it_accepts_any_of_several_signatures_and_refuses_others():
    body = b'{"event": {}}'
    header = f"{sign(body, 'old-secret-000000000')},{sign(body, SECRET)}"
    assert signature_matches(body, header, [SECRET])
    assert not signature_matches(body, header, ["another-secret-000000"])
    assert not signature_matches(body + b" ", header, [SECRET])
    assert not signature_matches(body, "", [SECRET])
    assert not signature_matches(body, sign(body, SECRET).replace("v1=", "v0="), [SECRET])


@pytest.mark.parametrize(
    ("event_type", "kind"),
    [
        ("incident.triggered", EventKind.ALERT_FIRED),
        ("incident.acknowledged", EventKind.PAGE_ACKNOWLEDGED),
        ("incident.resolved", EventKind.FULLY_RECOVERED),
        ("incident.annotated", EventKind.NOTE),
        ("incident.priority_updated", EventKind.NOTE),
        ("incident.responder.added", EventKind.RESPONDERS_JOINED),
    ],
)
def test_each_incident_event_becomes_its_timeline_kind(event_type, kind):
    payload = pagerduty_event(event_type, "2020-10-02T18:45:22.169Z", "5ac64822")
    [batch] = parse_pagerduty(json.dumps(payload).encode())
    assert batch.group_key == "pagerduty:PGR0VU2"
    [event] = batch.events
    assert event.kind == kind and event.key == "event:5ac64822"
    assert event.evidence_url == "https://acme.pagerduty.com/incidents/PGR0VU2"
    assert batch.closes == (event_type == "incident.resolved")


def test_it_reads_the_note_the_responder_and_the_priority():
    note = parse_pagerduty(
        json.dumps(pagerduty_event("incident.annotated", "2020-10-02T18:45:22Z", "n")).encode()
    )
    assert "I sure am glad" in note[0].events[0].text
    responder = parse_pagerduty(
        json.dumps(
            pagerduty_event("incident.responder.added", "2020-10-02T18:45:22Z", "r")
        ).encode()
    )
    assert "Maeve" in responder[0].events[0].text
    triggered = parse_pagerduty(
        json.dumps(pagerduty_event("incident.triggered", "2020-10-02T18:45:22Z", "t")).encode()
    )
    assert triggered[0].severity == Severity.SEV1


def test_it_ignores_event_types_it_does_not_record():
    payload = pagerduty_event("incident.triggered", "2020-10-02T18:45:22Z", "x")
    payload["event"]["event_type"] = "service.updated"
    assert parse_pagerduty(json.dumps(payload).encode()) == []


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda p: p.pop("event"), "event must be an object"),
        (lambda p: p["event"].update(occurred_at="yesterday"), "occurred_at"),
        (lambda p: p["event"].update(id=""), "event.id"),
        (lambda p: p["event"]["data"].pop("id"), "id must be"),
    ],
)
def test_it_refuses_malformed_events(mutate, reason):
    payload = pagerduty_event("incident.triggered", "2020-10-02T18:45:22Z", "x")
    mutate(payload)
    with pytest.raises(ValidationProblem, match=reason):
        parse_pagerduty(json.dumps(payload).encode())
