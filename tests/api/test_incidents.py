from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kintsugi.postmortems import services
from kintsugi.postmortems.models import Incident
from tests.api.conftest import T0, XSS, assert_csrf_refused, assert_refused_anonymous, error_of

NEW = {"title": "Queue backlog", "started_at": "2026-03-05T10:00:00Z", "severity": "SEV3"}


def endpoints(incident_id: int) -> list[tuple[str, str]]:
    return [
        ("get", "/incidents"),
        ("post", "/incidents"),
        ("get", f"/incidents/{incident_id}"),
        ("patch", f"/incidents/{incident_id}"),
        ("delete", f"/incidents/{incident_id}"),
    ]


def test_it_refuses_anonymous_callers_everywhere(api, incident):
    for method, path in endpoints(incident.pk):
        assert_refused_anonymous(api, method, path)


def test_it_refuses_a_bad_token(api, incident):
    response = api.get("/incidents", headers={"Authorization": "Bearer kts_not-a-real-token"})
    assert response.status_code == 401
    assert "unknown, revoked or expired" in error_of(response)["message"]


def test_it_lists_incidents_with_a_token(api, owner, incident):
    response = api.get("/incidents", user=owner)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["id"] == incident.pk
    assert row["reference"] == f"INC-{incident.pk}"
    assert row["team"] == "platform"
    assert row["services"] == ["web"]
    assert row["started_at"] == "2026-03-01T14:00:00Z"
    assert row["action_items_open"] == 0


def test_it_accepts_the_browser_session_for_reads(browser, owner, incident):
    response = browser(owner).get("/incidents")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_it_refuses_browser_writes_without_the_csrf_token(browser, owner, incident):
    session = browser(owner)
    assert_csrf_refused(session, "post", "/incidents", NEW)
    assert_csrf_refused(session, "patch", f"/incidents/{incident.pk}", {"version": 1})
    assert_csrf_refused(session, "delete", f"/incidents/{incident.pk}", None)
    assert Incident.objects.count() == 1


def test_it_accepts_browser_writes_with_the_csrf_token(browser, owner):
    session = browser(owner)
    session.client.get("/login/")  # sets the csrftoken cookie, as any page does
    token = session.client.cookies["csrftoken"].value
    response = session.post("/incidents", json=NEW, headers={"X-CSRFToken": token})
    assert response.status_code == 201, response.content


def test_it_hides_restricted_incidents_from_outsiders(api, outsider, incident, restricted_incident):
    listed = api.get("/incidents", user=outsider).json()
    assert [row["id"] for row in listed["results"]] == [incident.pk]
    assert listed["count"] == 1
    for method, path in endpoints(restricted_incident.pk)[2:]:
        response = api.call(method, path, user=outsider, json={"version": 1, "title": "x"})
        assert response.status_code == 404, (method, response.content)
        assert error_of(response)["code"] == "not_found"
    missing = api.get("/incidents/999999", user=outsider)
    assert (
        error_of(missing)["message"]
        == error_of(api.get(f"/incidents/{restricted_incident.pk}", user=outsider))["message"]
    )


def test_it_shows_restricted_incidents_to_the_team(api, teammate, restricted_incident):
    response = api.get(f"/incidents/{restricted_incident.pk}", user=teammate)
    assert response.status_code == 200
    assert response.json()["is_restricted"] is True


def test_it_refuses_writes_from_a_viewer(api, viewer, incident):
    assert api.post("/incidents", user=viewer, json=NEW).status_code == 403
    response = api.patch(
        f"/incidents/{incident.pk}", user=viewer, json={"version": 1, "title": "x"}
    )
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
    assert api.delete(f"/incidents/{incident.pk}", user=viewer).status_code == 403
    assert api.get(f"/incidents/{incident.pk}", user=viewer).status_code == 200


def test_it_creates_an_incident(api, owner, teammate, team, service):
    payload = {
        **NEW,
        "ended_at": "2026-03-05T12:30:00+01:00",
        "team": "platform",
        "services": ["web"],
        "authors": ["alice", "bob"],
        "regions": ["eu-west-1"],
        "summary": "Jobs piled up.",
    }
    response = api.post("/incidents", user=owner, json=payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["ended_at"] == "2026-03-05T11:30:00Z"  # stored and returned in UTC
    assert body["authors"] == ["alice", "bob"]
    assert body["services"] == ["web"]
    assert body["version"] == 1
    assert body["metrics"]["downtime"] == 5400.0
    assert response["ETag"] == '"1"'
    assert response["Location"].endswith(f"/api/v1/incidents/{body['id']}")


def test_it_shows_metrics_from_the_timeline(api, owner, incident):
    services.timeline_event_add(
        user=owner,
        incident=incident,
        occurred_at=T0 + timedelta(minutes=4),
        kind="alert_fired",
        text="Alert",
    )
    services.timeline_event_add(
        user=owner,
        incident=incident,
        occurred_at=T0 + timedelta(minutes=30),
        kind="mitigated",
        text="Rolled back",
    )
    metrics = api.get(f"/incidents/{incident.pk}", user=owner).json()["metrics"]
    assert metrics["time_to_detect"] == 240.0
    assert metrics["downtime"] == 1800.0
    assert metrics["detected_at"] == "2026-03-01T14:04:00Z"


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("started_at", "2026-03-05T10:00:00", "timezone"),
        ("started_at", "2026-03-05 10:00", "timezone"),
        ("started_at", 1772700000, "ISO 8601"),
        ("started_at", "yesterday", "is not a time"),
        ("title", "x" * 201, "200"),
        ("title", 42, "string"),
        ("severity", "SEV9", "SEV1"),
        ("team", "nope", "no team"),
        ("services", ["web", "nope"], "nope"),
        ("authors", ["ghost"], "ghost"),
        ("is_restricted", "yes", "boolean"),
        ("colour", "red", "Unknown field"),
    ],
)
def test_it_refuses_bad_fields_naming_them(api, owner, service, field, value, words):
    response = api.post("/incidents", user=owner, json={**NEW, field: value})
    assert response.status_code == 422, response.content
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert words in " ".join(error["fields"][field]), error
    assert Incident.objects.count() == 0


def test_it_refuses_an_end_before_the_start(api, owner):
    payload = {**NEW, "ended_at": "2026-03-05T09:00:00Z"}
    error = error_of(api.post("/incidents", user=owner, json=payload))
    assert error["fields"] == {"ended_at": ["The end of the incident is before its start."]}


def test_it_refuses_a_missing_title(api, owner):
    error = error_of(api.post("/incidents", user=owner, json={"started_at": NEW["started_at"]}))
    assert error["fields"]["title"] == ["This field is required."]


def test_it_refuses_malformed_json(api, owner):
    response = api.post(
        "/incidents", user=owner, body='{"title": "x",', content_type="application/json"
    )
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "malformed_json"
    assert "line 1" in error["message"]


def test_it_refuses_a_body_that_is_not_an_object(api, owner):
    response = api.post("/incidents", user=owner, json=["title"])
    assert response.status_code == 422
    error_of(response)


def test_it_refuses_an_oversized_body(api, owner):
    response = api.post("/incidents", user=owner, json={**NEW, "summary": "x" * (1024 * 1024)})
    assert response.status_code == 413
    assert "1 MiB" in error_of(response)["message"]


def test_it_stores_script_payloads_verbatim_as_json_strings(api, owner):
    payload = {**NEW, "title": XSS[:200], "summary": XSS, "regions": [XSS]}
    response = api.post("/incidents", user=owner, json=payload)
    assert response.status_code == 201, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = api.get(f"/incidents/{response.json()['id']}", user=owner).json()
    assert body["summary"] == XSS
    assert body["title"] == XSS[:200]
    assert body["regions"] == [XSS]


def test_it_updates_only_the_fields_sent(api, owner, incident):
    response = api.patch(
        f"/incidents/{incident.pk}", user=owner, json={"version": 1, "summary": "Better words."}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["summary"] == "Better words."
    assert body["title"] == "Checkout outage"
    assert body["services"] == ["web"]
    assert body["version"] == 2
    assert response["ETag"] == '"2"'


def test_it_updates_who_may_see_a_restricted_incident(api, owner, outsider, restricted_incident):
    url = f"/incidents/{restricted_incident.pk}"
    assert api.get(url, user=outsider).status_code == 404
    response = api.patch(url, user=owner, json={"version": 1, "members": ["mallory"]})
    assert response.status_code == 200, response.content
    assert response.json()["members"] == ["mallory"]
    assert api.get(url, user=outsider).status_code == 200
    unknown = api.patch(url, user=owner, json={"version": 2, "members": ["ghost"]})
    assert unknown.status_code == 422
    assert "members" in error_of(unknown)["fields"]
    emptied = api.patch(url, user=owner, json={"version": 2, "members": []})
    assert emptied.json()["members"] == []
    assert api.get(url, user=outsider).status_code == 404


def test_it_accepts_the_version_in_if_match(api, owner, incident):
    etag = api.get(f"/incidents/{incident.pk}", user=owner)["ETag"]
    response = api.patch(
        f"/incidents/{incident.pk}",
        user=owner,
        json={"status": "in_review"},
        headers={"If-Match": etag},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_review"


def test_it_requires_a_version_to_update(api, owner, incident):
    response = api.patch(f"/incidents/{incident.pk}", user=owner, json={"summary": "x"})
    assert response.status_code == 422
    assert "version" in error_of(response)["fields"]


def test_it_refuses_a_stale_version_showing_the_current_data(api, owner, teammate, incident):
    first = api.patch(f"/incidents/{incident.pk}", user=owner, json={"version": 1, "summary": "A"})
    assert first.status_code == 200
    second = api.patch(
        f"/incidents/{incident.pk}", user=teammate, json={"version": 1, "summary": "B"}
    )
    assert second.status_code == 409
    error = error_of(second)
    assert error["code"] == "conflict"
    assert error["current"]["summary"] == "A"
    assert error["current"]["version"] == 2
    incident.refresh_from_db()
    assert incident.summary == "A"


def test_it_refuses_null_where_it_would_blank_a_value(api, owner, incident):
    response = api.patch(
        f"/incidents/{incident.pk}", user=owner, json={"version": 1, "is_restricted": None}
    )
    assert response.status_code == 422
    assert "is_restricted" in error_of(response)["fields"]


def test_it_clears_the_end_time_with_null(api, owner, incident):
    api.patch(
        f"/incidents/{incident.pk}",
        user=owner,
        json={"version": 1, "ended_at": "2026-03-01T15:00:00Z"},
    )
    response = api.patch(
        f"/incidents/{incident.pk}", user=owner, json={"version": 2, "ended_at": None}
    )
    assert response.json()["ended_at"] is None


def test_it_refuses_a_naive_time_on_update(api, owner, incident):
    response = api.patch(
        f"/incidents/{incident.pk}", user=owner, json={"version": 1, "ended_at": "2026-03-01T15:00"}
    )
    assert response.status_code == 422
    assert "timezone" in error_of(response)["fields"]["ended_at"][0]


def test_it_lets_the_creator_delete(api, owner, incident):
    assert api.delete(f"/incidents/{incident.pk}", user=owner).status_code == 204
    assert not Incident.objects.filter(pk=incident.pk).exists()


def test_it_refuses_deletion_by_another_editor(api, teammate, incident):
    assert api.delete(f"/incidents/{incident.pk}", user=teammate).status_code == 403


def test_it_filters_the_list(api, owner, incident, team):
    services.incident_create(user=owner, title="DNS flap", started_at=T0, severity="SEV4")
    assert api.get("/incidents", user=owner, params={"severity": "SEV4"}).json()["count"] == 1
    assert api.get("/incidents", user=owner, params={"team": "platform"}).json()["count"] == 1
    assert api.get("/incidents", user=owner, params={"service": "web"}).json()["count"] == 1
    assert api.get("/incidents", user=owner, params={"q": "dns"}).json()["count"] == 1
    assert api.get("/incidents", user=owner, params={"status": "draft"}).json()["count"] == 2
    bad = api.get("/incidents", user=owner, params={"status": "lost"})
    assert bad.status_code == 422
    assert "status" in error_of(bad)["fields"]


def test_it_paginates(api, owner):
    for number in range(5):
        services.incident_create(
            user=owner, title=f"Incident {number}", started_at=T0 + timedelta(hours=number)
        )
    first = api.get("/incidents", user=owner, params={"limit": 2}).json()
    assert first["count"] == 5
    assert [row["title"] for row in first["results"]] == ["Incident 4", "Incident 3"]
    assert first["previous"] is None
    second = api.get(first["next"], user=owner).json()
    assert [row["title"] for row in second["results"]] == ["Incident 2", "Incident 1"]
    third = api.get(second["next"], user=owner).json()
    assert [row["title"] for row in third["results"]] == ["Incident 0"]
    assert third["next"] is None
    assert third["previous"].startswith("http://testserver/api/v1/incidents?")


@pytest.mark.parametrize("params", [{"limit": 201}, {"limit": 0}, {"offset": -1}, {"limit": "x"}])
def test_it_refuses_bad_page_parameters(api, owner, params):
    response = api.get("/incidents", user=owner, params=params)
    assert response.status_code == 422
    assert set(error_of(response)["fields"]) == set(params)


def _make(owner, team, service, count: int) -> None:
    for number in range(count):
        incident = services.incident_create(
            user=owner, title=f"Load {number}", started_at=T0, team=team, services=[service]
        )
        services.action_item_add(user=owner, incident=incident, title="Fix it")


def test_it_lists_with_a_constant_number_of_queries(browser, owner, team, service):
    session = browser(owner)
    _make(owner, team, service, 3)
    with CaptureQueriesContext(connection) as few:
        assert session.get("/incidents").json()["count"] == 3
    _make(owner, team, service, 27)
    with CaptureQueriesContext(connection) as many:
        assert len(session.get("/incidents").json()["results"]) == 30
    assert len(few) == len(many)


def test_it_reads_one_incident_with_a_constant_number_of_queries(
    browser, owner, team, service, incident
):
    session = browser(owner)
    with CaptureQueriesContext(connection) as few:
        session.get(f"/incidents/{incident.pk}")
    for number in range(30):
        services.timeline_event_add(
            user=owner, incident=incident, occurred_at=T0 + timedelta(minutes=number), text="note"
        )
    with CaptureQueriesContext(connection) as many:
        session.get(f"/incidents/{incident.pk}")
    assert len(few) == len(many)
