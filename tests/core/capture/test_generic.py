import json

import pytest

from kintsugi.core.capture.generic import parse_csv, parse_generic
from kintsugi.core.capture.severity import DEFAULT_MAP, map_severity, parse_severity_map
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.timeline import EventKind
from kintsugi.core.vocabulary import Severity

GENERIC = {
    "incident": {"key": "deploy-42", "title": "Checkout errors", "severity": "sev2"},
    "events": [
        {"id": "e1", "occurred_at": "2026-03-01T14:02:00Z", "kind": "alert_fired", "text": "5xx"},
        {
            "occurred_at": "2026-03-01 15:02 Europe/Paris",
            "kind": "Mitigated",
            "text": "Rolled back",
            "evidence_url": "https://grafana.example/d/1",
        },
    ],
}


def test_it_reads_the_documented_generic_shape():
    [batch] = parse_generic(json.dumps(GENERIC).encode())
    assert (batch.group_key, batch.title, batch.severity) == (
        "deploy-42",
        "Checkout errors",
        Severity.SEV2,
    )
    first, second = batch.events
    assert first.key == "id:e1" and first.kind == EventKind.ALERT_FIRED
    assert second.key.startswith("hash:") and second.kind == EventKind.MITIGATED
    assert second.occurred_at.hour == 14  # Paris is UTC+1 in March


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda p: p["events"][0].update(kind="exploded"), "Unknown event kind"),
        (lambda p: p["events"][0].update(occurred_at="2026-03-01T14:02"), "timezone"),
        (lambda p: p["events"][0].update(text=""), "required"),
        (lambda p: p["events"][0].update(text="x" * 2001), "limit is 2,000"),
        (lambda p: p["events"][0].update(text="bell\x07"), "control characters"),
        (lambda p: p["events"][0].update(evidence_url="javascript:alert(1)"), "http"),
        (lambda p: p["incident"].update(severity="SEV9"), "SEV1"),
        (lambda p: p.pop("incident"), "incident must be an object"),
        (lambda p: p.update(resolved="yes"), "true or false"),
    ],
)
def test_it_refuses_bad_generic_payloads(mutate, reason):
    payload = json.loads(json.dumps(GENERIC))
    mutate(payload)
    with pytest.raises(ValidationProblem, match=reason):
        parse_generic(json.dumps(payload).encode())


def test_it_groups_csv_rows_by_incident_key():
    body = (
        b"incident_key,incident_title,severity,occurred_at,kind,text,evidence_url\n"
        b"db,Database slow,SEV2,2026-03-01T14:00:00Z,alert_fired,p99 up,https://g.example/1\n"
        b'db,,,2026-03-01T14:05:00Z,note,"Paged, joined",\n'
        b"web,Web,SEV4,2026-03-02T09:00:00+02:00,,Cache cold,\n"
    )
    db, web = parse_csv(body)
    assert db.title == "Database slow" and len(db.events) == 2 and db.severity == Severity.SEV2
    assert web.events[0].kind == EventKind.NOTE and web.events[0].occurred_at.hour == 7


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"when,what\n1,2\n", "lacks occurred_at, text"),
        (b"occurred_at,text,colour\n", "Unknown CSV column"),
        (b"occurred_at,text\n", "no rows"),
        (b"occurred_at,text\n2026-03-01T14:00:00Z,a,extra\n", "more cells"),
        (b"occurred_at,text\nnot a time,a\n", "Row 2"),
        (b"\xff\xfe", "UTF-8"),
    ],
)
def test_it_refuses_bad_csv_naming_the_row(body, reason):
    with pytest.raises(ValidationProblem, match=reason):
        parse_csv(body)


def test_severity_maps_the_most_severe_known_value():
    assert map_severity(["warning", "CRITICAL", "weird"], DEFAULT_MAP) == Severity.SEV1
    assert map_severity(["weird"], DEFAULT_MAP) is None
    assert parse_severity_map("page=SEV1, ticket=SEV4") == {"page": "SEV1", "ticket": "SEV4"}
    with pytest.raises(ValidationProblem):
        parse_severity_map("page=SEV9")
    with pytest.raises(ValidationProblem):
        parse_severity_map("page")
