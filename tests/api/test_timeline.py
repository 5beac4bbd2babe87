from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kintsugi.postmortems import services
from kintsugi.postmortems.models import TimelineEvent
from tests.api.conftest import T0, XSS, assert_csrf_refused, assert_refused_anonymous, error_of

EVENT = {"occurred_at": "2026-03-01T14:05:00Z", "kind": "alert_fired", "text": "Error rate alert"}


@pytest.fixture
def event(owner, incident):
    return services.timeline_event_add(
        user=owner, incident=incident, occurred_at=T0 + timedelta(minutes=2), text="First note"
    )


def endpoints(incident_id: int, event_id: int) -> list[tuple[str, str]]:
    return [
        ("get", f"/incidents/{incident_id}/timeline-events"),
        ("post", f"/incidents/{incident_id}/timeline-events"),
        ("get", f"/timeline-events/{event_id}"),
        ("patch", f"/timeline-events/{event_id}"),
        ("delete", f"/timeline-events/{event_id}"),
    ]


def test_it_refuses_anonymous_callers_everywhere(api, incident, event):
    for method, path in endpoints(incident.pk, event.pk):
        assert_refused_anonymous(api, method, path)


def test_it_refuses_browser_writes_without_the_csrf_token(browser, owner, incident, event):
    session = browser(owner)
    for method, path in endpoints(incident.pk, event.pk):
        if method != "get":
            assert_csrf_refused(session, method, path, {**EVENT, "version": 1})
    assert TimelineEvent.objects.count() == 1


def test_it_adds_an_event_in_utc(api, owner, teammate, incident):
    payload = {
        **EVENT,
        "occurred_at": "2026-03-01T15:05:00+01:00",
        "author": "bob",
        "evidence_url": "https://grafana.example.com/d/1",
    }
    response = api.post(f"/incidents/{incident.pk}/timeline-events", user=owner, json=payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["occurred_at"] == "2026-03-01T14:05:00Z"
    assert body["author"] == "bob"
    assert body["incident"] == incident.pk
    assert body["version"] == 1


def test_it_lists_events_in_time_order(api, owner, incident, event):
    services.timeline_event_add(user=owner, incident=incident, occurred_at=T0, text="Earlier")
    body = api.get(f"/incidents/{incident.pk}/timeline-events", user=owner).json()
    assert [row["text"] for row in body["results"]] == ["Earlier", "First note"]


def test_it_hides_events_of_restricted_incidents(api, owner, outsider, restricted_incident):
    hidden = services.timeline_event_add(
        user=owner, incident=restricted_incident, occurred_at=T0 + timedelta(days=1), text="secret"
    )
    for method, path in endpoints(restricted_incident.pk, hidden.pk):
        response = api.call(method, path, user=outsider, json={**EVENT, "version": 1})
        assert response.status_code == 404, (method, path, response.content)
    assert (
        error_of(api.get(f"/timeline-events/{hidden.pk}", user=outsider))["message"]
        == (error_of(api.get("/timeline-events/999999", user=outsider))["message"])
    )


def test_it_refuses_writes_from_a_viewer(api, viewer, incident, event):
    for method, path in endpoints(incident.pk, event.pk):
        response = api.call(method, path, user=viewer, json={**EVENT, "version": 1})
        expected = 200 if method == "get" else 403
        assert response.status_code == expected, (method, path, response.content)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("occurred_at", "2026-03-01T14:05:00", "timezone"),
        ("occurred_at", "14:05", "not a time"),
        ("occurred_at", None, "ISO 8601"),
        ("kind", "panic", "alert_fired"),
        ("text", "x" * 2001, "2000"),
        ("text", ["list"], "string"),
        ("author", "ghost", "ghost"),
        ("evidence_url", "javascript:alert(1)", "http"),
    ],
)
def test_it_refuses_bad_fields_naming_them(api, owner, incident, field, value, words):
    response = api.post(
        f"/incidents/{incident.pk}/timeline-events", user=owner, json={**EVENT, field: value}
    )
    assert response.status_code == 422, response.content
    assert words in " ".join(error_of(response)["fields"][field])
    assert TimelineEvent.objects.count() == 0


def test_it_refuses_a_mitigation_before_detection(api, owner, incident):
    api.post(f"/incidents/{incident.pk}/timeline-events", user=owner, json=EVENT)
    early = {"occurred_at": "2026-03-01T14:01:00Z", "kind": "mitigated", "text": "Rolled back"}
    response = api.post(f"/incidents/{incident.pk}/timeline-events", user=owner, json=early)
    assert response.status_code == 422
    assert "before 'Alert fired'" in error_of(response)["fields"]["occurred_at"][0]


def test_it_refuses_malformed_json(api, owner, incident):
    response = api.post(
        f"/incidents/{incident.pk}/timeline-events", user=owner, body="{'single': 'quotes'}"
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "malformed_json"


def test_it_stores_script_payloads_verbatim(api, owner, incident):
    response = api.post(
        f"/incidents/{incident.pk}/timeline-events", user=owner, json={**EVENT, "text": XSS}
    )
    assert response.json()["text"] == XSS
    fetched = api.get(f"/timeline-events/{response.json()['id']}", user=owner)
    assert fetched.json()["text"] == XSS
    assert fetched["Content-Type"].startswith("application/json")


def test_it_updates_an_event(api, owner, event):
    response = api.patch(
        f"/timeline-events/{event.pk}",
        user=owner,
        json={"version": 1, "text": "Clearer note", "occurred_at": "2026-03-01T09:03:00-05:00"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["text"] == "Clearer note"
    assert body["occurred_at"] == "2026-03-01T14:03:00Z"
    assert body["version"] == 2


def test_it_refuses_a_stale_version_showing_the_current_data(api, owner, teammate, event):
    assert (
        api.patch(
            f"/timeline-events/{event.pk}", user=owner, json={"version": 1, "text": "Mine"}
        ).status_code
        == 200
    )
    response = api.patch(
        f"/timeline-events/{event.pk}", user=teammate, json={"version": 1, "text": "Theirs"}
    )
    assert response.status_code == 409
    error = error_of(response)
    assert error["current"]["text"] == "Mine"
    assert error["current"]["version"] == 2


def test_it_deletes_an_event(api, owner, event):
    assert api.delete(f"/timeline-events/{event.pk}", user=owner).status_code == 204
    assert not TimelineEvent.objects.filter(pk=event.pk).exists()


def test_it_paginates(api, owner, incident):
    for minute in range(5):
        services.timeline_event_add(
            user=owner,
            incident=incident,
            occurred_at=T0 + timedelta(minutes=minute),
            text=str(minute),
        )
    page = api.get(
        f"/incidents/{incident.pk}/timeline-events", user=owner, params={"limit": 2, "offset": 2}
    ).json()
    assert page["count"] == 5
    assert [row["text"] for row in page["results"]] == ["2", "3"]
    assert "offset=0" in page["previous"]
    assert "offset=4" in page["next"]


def _add(owner, incident, teammate, count: int) -> None:
    for minute in range(count):
        services.timeline_event_add(
            user=owner,
            incident=incident,
            occurred_at=T0 + timedelta(minutes=minute),
            text="note",
            author=teammate,
        )


def test_it_lists_with_a_constant_number_of_queries(browser, owner, teammate, incident):
    session = browser(owner)
    url = f"/incidents/{incident.pk}/timeline-events"
    _add(owner, incident, teammate, 3)
    with CaptureQueriesContext(connection) as few:
        assert session.get(url).json()["count"] == 3
    _add(owner, incident, teammate, 27)
    with CaptureQueriesContext(connection) as many:
        assert len(session.get(url).json()["results"]) == 30
    assert len(few) == len(many)
