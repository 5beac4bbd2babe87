from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kintsugi.postmortems import services
from kintsugi.postmortems.models import ActionItem
from tests.api.conftest import XSS, assert_csrf_refused, assert_refused_anonymous, error_of

ITEM = {
    "title": "Run migrations in the pipeline",
    "priority": "P1",
    "owner": "bob",
    "ticket_id": "OPS-101",
    "ticket_url": "https://tracker.example.com/OPS-101",
    "due_on": "2026-03-15",
}


@pytest.fixture
def item(owner, incident):
    return services.action_item_add(user=owner, incident=incident, title="Alert on runner creds")


def endpoints(incident_id: int, item_id: int) -> list[tuple[str, str]]:
    return [
        ("get", f"/incidents/{incident_id}/action-items"),
        ("post", f"/incidents/{incident_id}/action-items"),
        ("get", f"/action-items/{item_id}"),
        ("patch", f"/action-items/{item_id}"),
        ("delete", f"/action-items/{item_id}"),
    ]


def test_it_refuses_anonymous_callers_everywhere(api, incident, item):
    for method, path in endpoints(incident.pk, item.pk):
        assert_refused_anonymous(api, method, path)


def test_it_refuses_browser_writes_without_the_csrf_token(browser, owner, incident, item):
    session = browser(owner)
    for method, path in endpoints(incident.pk, item.pk):
        if method != "get":
            assert_csrf_refused(session, method, path, {"title": "x", "version": 1})
    assert ActionItem.objects.count() == 1


def test_it_hides_items_of_restricted_incidents(api, owner, outsider, restricted_incident):
    hidden = services.action_item_add(user=owner, incident=restricted_incident, title="secret")
    for method, path in endpoints(restricted_incident.pk, hidden.pk):
        response = api.call(method, path, user=outsider, json={"due_on": "soon"})
        assert response.status_code == 404, (method, path, response.content)


def test_it_refuses_writes_from_a_viewer(api, viewer, incident, item):
    for method, path in endpoints(incident.pk, item.pk):
        response = api.call(method, path, user=viewer, json={"title": "x", "version": 1})
        assert response.status_code == (200 if method == "get" else 403), (method, path)


def test_it_adds_an_item_with_owner_ticket_and_date(api, owner, teammate, incident):
    factor = services.factor_add(user=owner, incident=incident, title="No migration step")
    response = api.post(
        f"/incidents/{incident.pk}/action-items", user=owner, json={**ITEM, "factor": factor.pk}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner"] == "bob"
    assert body["due_on"] == "2026-03-15"
    assert body["factor"] == factor.pk
    assert body["status"] == "open"
    assert body["missing_fields"] == []


def test_it_shows_what_is_missing(api, owner, incident):
    body = api.post(f"/incidents/{incident.pk}/action-items", user=owner, json={"title": "Later"})
    # The target date defaults from the due-window policy (P2: 30 days after the incident).
    assert body.json()["missing_fields"] == ["owner", "ticket"]
    assert body.json()["due_on"] == "2026-03-31"


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("owner", "ghost", "ghost"),
        ("ticket_url", "javascript:alert(1)", "http"),
        ("ticket_url", "tracker.example.com/OPS-1", "http"),
        ("ticket_id", "OPS 1; DROP", "letters"),
        ("ticket_id", "X" * 65, "64"),
        ("due_on", "15/03/2026", "YYYY-MM-DD"),
        ("due_on", 20260315, "YYYY-MM-DD"),
        ("priority", "P9", "P0"),
        ("status", "closed", "open"),
        ("completed_at", "2026-03-10T10:00:00", "timezone"),
        ("factor", 999999, "contributing factors"),
        ("title", "x" * 201, "200"),
    ],
)
def test_it_refuses_bad_fields_naming_them(api, owner, teammate, incident, field, value, words):
    response = api.post(
        f"/incidents/{incident.pk}/action-items", user=owner, json={**ITEM, field: value}
    )
    assert response.status_code == 422, response.content
    assert words in " ".join(error_of(response)["fields"][field]), error_of(response)
    assert not ActionItem.objects.exists()


def test_it_refuses_a_duplicate_ticket(api, owner, teammate, incident):
    api.post(f"/incidents/{incident.pk}/action-items", user=owner, json=ITEM)
    again = api.post(f"/incidents/{incident.pk}/action-items", user=owner, json=ITEM)
    assert again.status_code == 422
    assert "already linked" in error_of(again)["fields"]["ticket_id"][0]


def test_it_refuses_a_factor_of_another_incident(api, owner, incident):
    other = services.incident_create(user=owner, title="Other", started_at=incident.started_at)
    foreign = services.factor_add(user=owner, incident=other, title="Elsewhere")
    response = api.post(
        f"/incidents/{incident.pk}/action-items",
        user=owner,
        json={"title": "x", "factor": foreign.pk},
    )
    assert response.status_code == 422
    assert "factor" in error_of(response)["fields"]


def test_it_refuses_malformed_json(api, owner, incident):
    response = api.post(f"/incidents/{incident.pk}/action-items", user=owner, body="[1,")
    assert error_of(response)["code"] == "malformed_json"


def test_it_stores_script_payloads_verbatim(api, owner, incident):
    payload = {"title": XSS[:200], "description": XSS, "status": "wont_do", "status_reason": XSS}
    body = api.post(f"/incidents/{incident.pk}/action-items", user=owner, json=payload).json()
    assert body["description"] == XSS
    assert body["status_reason"] == XSS


def test_it_closes_an_item_and_records_when(api, owner, item):
    response = api.patch(
        f"/action-items/{item.pk}", user=owner, json={"version": 1, "status": "done"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["completed_at"] is not None


def test_it_requires_a_reason_for_wont_do(api, owner, item):
    response = api.patch(
        f"/action-items/{item.pk}", user=owner, json={"version": 1, "status": "wont_do"}
    )
    assert response.status_code == 422
    assert "status_reason" in error_of(response)["fields"]


def test_it_clears_the_owner_with_null(api, owner, teammate, item):
    api.patch(f"/action-items/{item.pk}", user=owner, json={"version": 1, "owner": "bob"})
    response = api.patch(f"/action-items/{item.pk}", user=owner, json={"version": 2, "owner": None})
    assert response.json()["owner"] is None


def test_it_refuses_a_stale_version_showing_the_current_data(api, owner, teammate, item):
    api.patch(f"/action-items/{item.pk}", user=owner, json={"version": 1, "due_on": "2026-03-20"})
    stale = api.patch(
        f"/action-items/{item.pk}", user=teammate, json={"version": 1, "priority": "P0"}
    )
    assert stale.status_code == 409
    current = error_of(stale)["current"]
    assert current["due_on"] == "2026-03-20"
    assert current["priority"] == "P2"
    item.refresh_from_db()
    assert item.due_on == date(2026, 3, 20)


def test_it_lists_by_priority_then_date_and_filters(api, owner, incident):
    for title, priority, due in [
        ("c", "P2", None),
        ("b", "P1", "2026-03-10"),
        ("a", "P1", "2026-03-01"),
    ]:
        payload = {"title": title, "priority": priority, "due_on": due}
        api.post(f"/incidents/{incident.pk}/action-items", user=owner, json=payload)
    rows = api.get(f"/incidents/{incident.pk}/action-items", user=owner).json()["results"]
    assert [row["title"] for row in rows] == ["a", "b", "c"]
    p1 = api.get(f"/incidents/{incident.pk}/action-items", user=owner, params={"priority": "P1"})
    assert p1.json()["count"] == 2


def test_it_deletes_an_item(api, owner, item):
    assert api.delete(f"/action-items/{item.pk}", user=owner).status_code == 204


def test_it_lists_with_a_constant_number_of_queries(browser, owner, teammate, incident):
    session = browser(owner)
    url = f"/incidents/{incident.pk}/action-items"

    def add(count: int) -> None:
        for _ in range(count):
            services.action_item_add(user=owner, incident=incident, title="x", owner=teammate)

    add(3)
    with CaptureQueriesContext(connection) as few:
        assert session.get(url).json()["count"] == 3
    add(27)
    with CaptureQueriesContext(connection) as many:
        assert len(session.get(url).json()["results"]) == 30
    assert len(few) == len(many)


def test_it_names_every_refused_field_at_once(api, owner, teammate, incident):
    response = api.post(
        f"/incidents/{incident.pk}/action-items",
        user=owner,
        json={**ITEM, "ticket_id": "OPS 1; DROP", "ticket_url": "javascript:alert(1)"},
    )
    assert response.status_code == 422, response.content
    assert set(error_of(response)["fields"]) >= {"ticket_id", "ticket_url"}
    assert not ActionItem.objects.exists()


def test_a_status_change_of_a_recorded_late_item_needs_no_reason(api, owner, incident):
    """Issue 20: an item dated beyond the policy by the import; a script sends every field."""
    late = services.action_item_add(
        user=None, incident=incident, title="Late", priority="P1", due_on=date(2026, 5, 1)
    )
    body = {"status": "done", "priority": "P1", "due_on": "2026-05-01", "due_reason": ""}
    response = api.patch(f"/action-items/{late.pk}", user=owner, json={**body, "version": 1})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["due_on"]) == ("done", "2026-05-01")
    moved = {"due_on": "2026-04-20", "due_reason": "", "version": 2}
    refused = api.patch(f"/action-items/{late.pk}", user=owner, json=moved)
    assert refused.status_code == 422
    assert "due_reason" in error_of(refused)["fields"]
