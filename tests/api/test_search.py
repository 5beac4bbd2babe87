"""GET /api/v1/search: hits as data (never HTML), filters refused when wrong, access."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.api.conftest import XSS, error_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def quokka(owner, team, service):
    from kintsugi.postmortems import services

    return services.incident_create(
        user=owner,
        title=f"Quokka outage {XSS}",
        started_at=datetime(2026, 3, 3, tzinfo=UTC),
        severity="SEV2",
        team=team,
        services=[service],
        summary="The quokka cache stampede",
    )


def test_it_returns_hits_with_pieces(quokka, owner, api):
    response = api.get("/search", user=owner, params={"q": "quokka"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["total"] == 1 and body["has_next"] is False
    hit = body["results"][0]
    assert hit["incident_id"] == quokka.pk and hit["kind"] == "incident"
    assert hit["team"] == "platform"
    assert {"text": "quokka", "match": True} in [
        {"text": p["text"].lower(), "match": p["match"]} for p in hit["snippet"]
    ]


def test_it_applies_filters(quokka, owner, api):
    found = api.get("/search", user=owner, params={"q": "quokka", "service": "web"}).json()
    assert found["total"] == 1
    none = api.get("/search", user=owner, params={"q": "quokka", "open_actions": "true"}).json()
    assert none["total"] == 0


def test_it_hides_restricted_incidents(restricted_incident, outsider, owner, api):
    assert api.get("/search", user=owner, params={"q": "leaked"}).json()["total"] == 1
    body = api.get("/search", user=outsider, params={"q": "leaked"}).json()
    assert body["total"] == 0 and body["results"] == []


@pytest.mark.parametrize(
    "params, field",
    [
        ({"q": ""}, "q"),
        ({"q": "x" * 500}, "q"),
        ({"q": "quokka", "team": "nope"}, "filters"),
        ({"q": "quokka", "from": "2026-02-30"}, "filters"),
    ],
)
def test_it_refuses_bad_input_with_a_reason(quokka, owner, api, params, field):
    response = api.get("/search", user=owner, params=params)
    assert response.status_code == 422
    error = error_of(response)
    assert field in error["fields"]


def test_it_needs_a_token(api):
    assert api.get("/search", params={"q": "quokka"}).status_code == 401
