"""The search page: hits with escaped highlights, filters, htmx fragment, access, bad input."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.web.conftest import HTMX, assert_fragment

pytestmark = pytest.mark.django_db


@pytest.fixture
def hostile_incident(owner, team):
    from kintsugi.postmortems import services

    incident = services.incident_create(
        user=owner,
        title="<script>alert(1)</script> quokka",
        started_at=datetime(2026, 3, 3, tzinfo=UTC),
        team=team,
        summary='The quokka <img src=x onerror="alert(2)"> appeared',
    )
    return incident


def test_it_finds_and_highlights_escaped(hostile_incident, owner, login):
    response = login(owner).get("/search/", {"q": "quokka"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="search-hit"' in body
    assert "<mark>quokka</mark>" in body.lower()
    assert "<script>alert(1)" not in body and "<img src=x" not in body
    assert "&lt;script&gt;" in body


def test_htmx_gets_the_results_fragment(hostile_incident, owner, login):
    response = login(owner).get("/search/", {"q": "quokka"}, **HTMX)
    assert_fragment(response)
    assert 'data-testid="search-hit"' in response.content.decode()


def test_restricted_hits_stay_hidden(restricted_incident, outsider, owner, login):
    assert "search-hit" in login(owner).get("/search/", {"q": "leaked"}).content.decode()
    body = login(outsider).get("/search/", {"q": "leaked"}).content.decode()
    assert 'data-testid="search-hit"' not in body
    assert "Security: leaked" not in body
    assert ">0 matches" in body


@pytest.mark.parametrize(
    "params, message",
    [
        ({"q": "x" * 5000}, "limit is 200"),
        ({"q": '"""'}, "at least one word"),
        ({"q": "quokka", "team": "<b>nope</b>"}, "Unknown team"),
        ({"q": "quokka", "from": "yesterday"}, "is not a date"),
        ({"q": "quokka", "page": "-3"}, None),
        ({"q": "NEAR(quokka) body:x ^*"}, None),
    ],
)
def test_bad_input_is_a_message_not_an_error(hostile_incident, owner, login, params, message):
    response = login(owner).get("/search/", params)
    assert response.status_code == 200
    body = response.content.decode()
    if message:
        assert message in body
    assert "<b>nope</b>" not in body


def test_filters_narrow_the_hits(hostile_incident, owner, login):
    client = login(owner)
    assert (
        'data-testid="search-hit"'
        in client.get("/search/", {"q": "quokka", "team": "platform"}).content.decode()
    )
    assert (
        'data-testid="search-empty"'
        in client.get("/search/", {"q": "quokka", "severity": "SEV1"}).content.decode()
    )


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get("/search/", {"q": "quokka"})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_queries_stay_constant(hostile_incident, owner, login):
    from kintsugi.postmortems import services

    client = login(owner)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get("/search/", {"q": "quokka", "team": "platform"})
        return len(captured)

    few = count()
    for index in range(12):
        services.incident_create(
            user=owner,
            title=f"Quokka sighting {index}",
            started_at=datetime(2026, 3, 4, tzinfo=UTC),
            team=hostile_incident.team,
        )
    assert count() == few


def test_nav_has_the_search_box(owner, login):
    assert 'data-testid="nav-search"' in login(owner).get("/").content.decode()
