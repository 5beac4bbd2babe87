"""GET /api/v1/insights and /api/v1/insights/digest/{month}: the page's figures as JSON."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from tests.api.conftest import ApiCaller
from tests.insights.conftest import fold

NOV = datetime(2026, 11, 3, 9, tzinfo=UTC)


@pytest.fixture
def api(db) -> ApiCaller:
    return ApiCaller(Client())


def _severity(body, month="2026-11"):
    chart = next(c for c in body["charts"] if c["key"] == "incidents-by-severity")
    return next(r["values"] for r in chart["rows"] if r["label"] == month)


def test_it_gives_the_page_figures(api, build, viewer):
    build(NOV, severity="SEV1")
    build(NOV, severity="SEV1", detect=30)
    fold()
    response = api.get("/insights", user=viewer)
    assert response.status_code == 200
    body = response.json()
    assert (body["start"], body["end"]) == ("2026-01", "2026-12")
    assert _severity(body) == [2, 0, 0, 0, 2]
    detect = next(c for c in body["charts"] if c["key"] == "time-to-detect")
    assert next(r for r in detect["rows"] if r["label"] == "2026-11")["values"] == [
        2,
        600.0,
        1800.0,
    ]
    assert detect["trend"] == "unknown"


def test_it_hides_restricted_incidents_from_outsiders(api, build, outsider, teammate):
    build(NOV, severity="SEV1", restricted=True)
    fold()
    assert _severity(api.get("/insights", user=outsider).json()) == [0, 0, 0, 0, 0]
    assert _severity(api.get("/insights", user=teammate).json()) == [1, 0, 0, 0, 1]


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"start": "2026-13"}, "start", "no month 13"),
        ({"team": "nobody"}, "team", "Unknown team"),
        ({"severity": "SEV9"}, "severity", "Unknown severity"),
        ({"start": "1970-01", "end": "2026-01"}, "start", "limit is 120"),
        ({"service": "x" * 5000}, None, ""),
    ],
)
def test_it_refuses_bad_filters_with_a_message(api, viewer, params, field, words):
    response = api.get("/insights", user=viewer, params=params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert words in error["message"]
    if field:
        assert field in error["fields"]


def test_it_refuses_two_bad_filters_at_once(api, viewer):
    response = api.get("/insights", user=viewer, params={"team": "x", "severity": "y"})
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) >= {"team", "severity"}


def test_the_digest_lists_visible_published_post_mortems(api, build, outsider):
    build(NOV, title="Public one", published_at=NOV + timedelta(days=1))
    build(NOV, title="Secret one", restricted=True, published_at=NOV + timedelta(days=1))
    body = api.get("/insights/digest/2026-11", user=outsider).json()
    assert [p["title"] for p in body["published"]] == ["Public one"]
    assert [c["key"] for c in body["charts"]][0] == "incidents-by-severity"
    assert api.get("/insights/digest/2026-13", user=outsider).status_code == 404


def test_it_needs_authentication(api, db):
    assert api.get("/insights").status_code == 401
    assert api.get("/insights/digest/2026-11").status_code == 401
