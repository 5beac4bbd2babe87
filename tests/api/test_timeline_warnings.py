"""The timeline's sanity warnings in the API (issue 14.10): saved, and said."""

from __future__ import annotations

from kintsugi.postmortems.models import TimelineEvent

NORMAL = [
    ("2026-03-01T14:00:00Z", "impact_started", "Checkout errors begin"),
    ("2026-03-01T14:05:00Z", "alert_fired", "Error rate alert"),
    ("2026-03-01T14:09:00Z", "page_acknowledged", "On-call acknowledges"),
    ("2026-03-01T14:41:00Z", "mitigated", "Rolled back"),
]


def add(api, owner, incident, at, kind, text):
    return api.post(f"/incidents/{incident.pk}/timeline-events", user=owner,
                    json={"occurred_at": at, "kind": kind, "text": text})  # fmt: skip


def test_a_plausible_timeline_has_no_warnings(api, owner, incident):
    for row in NORMAL:
        response = add(api, owner, incident, *row)
        assert response.status_code == 201 and response.json()["warnings"] == []
    page = api.get(f"/incidents/{incident.pk}/timeline-events", user=owner).json()
    assert page["warnings"] == [] and len(page["results"]) == 4
    detail = api.get(f"/incidents/{incident.pk}", user=owner).json()
    assert detail["timeline_warnings"] == []


def test_an_event_a_year_later_is_saved_and_warned_about_everywhere(api, owner, incident):
    for row in NORMAL[:3]:
        add(api, owner, incident, *row)
    response = add(api, owner, incident, "2027-03-01T14:41:00Z", "mitigated", "Rolled back")
    assert response.status_code == 201  # a warning, not an error: it is saved
    event_id = response.json()["id"]
    assert TimelineEvent.objects.filter(pk=event_id).exists()
    warnings = response.json()["warnings"]
    rules = {warning["rule"] for warning in warnings}
    assert {"timeline/outlier-event", "timeline/long-downtime"} <= rules
    downtime = next(w for w in warnings if w["rule"] == "timeline/long-downtime")
    assert downtime["event_ids"] == [event_id]
    assert "Downtime is computed as 365 days" in downtime["message"]
    assert downtime["suggestion"]
    page = api.get(f"/incidents/{incident.pk}/timeline-events", user=owner).json()
    assert page["warnings"] == warnings
    detail = api.get(f"/incidents/{incident.pk}", user=owner).json()
    assert detail["timeline_warnings"] == warnings
    fixed = api.patch(f"/timeline-events/{event_id}", user=owner,
                      json={"version": 1, "occurred_at": "2026-03-01T14:41:00Z"})  # fmt: skip
    assert fixed.status_code == 200 and fixed.json()["warnings"] == []


def test_the_warnings_are_in_the_openapi_schema(api, owner):
    schema = api.client.get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]
    assert "warnings" in components["TimelineEventPage"]["properties"]
    assert "warnings" in components["TimelineEventSaved"]["properties"]
    assert "timeline_warnings" in components["IncidentDetail"]["properties"]
    assert set(components["TimelineWarningOut"]["properties"]) == {
        "rule", "message", "suggestion", "event_ids"}  # fmt: skip
