from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kintsugi.postmortems import services
from kintsugi.postmortems.models import Evidence, Factor
from tests.api.conftest import XSS, assert_csrf_refused, assert_refused_anonymous, error_of

FACTOR = {"title": "Pool too small", "description": "20 connections for 400 workers."}
LINK = {"url": "https://grafana.example.com/d/db", "kind": "graph", "label": "DB connections"}


@pytest.fixture
def factor(owner, incident):
    factor = services.factor_add(user=owner, incident=incident, title="Slow migration")
    services.evidence_add(user=owner, factor=factor, url="https://logs.example.com/1", kind="log")
    return factor


@pytest.fixture
def evidence(factor):
    return factor.evidence.get()


def endpoints(incident_id: int, factor_id: int, evidence_id: int) -> list[tuple[str, str]]:
    return [
        ("get", f"/incidents/{incident_id}/factors"),
        ("post", f"/incidents/{incident_id}/factors"),
        ("get", f"/factors/{factor_id}"),
        ("patch", f"/factors/{factor_id}"),
        ("delete", f"/factors/{factor_id}"),
        ("post", f"/factors/{factor_id}/evidence"),
        ("delete", f"/evidence/{evidence_id}"),
    ]


def test_it_refuses_anonymous_callers_everywhere(api, incident, factor, evidence):
    for method, path in endpoints(incident.pk, factor.pk, evidence.pk):
        assert_refused_anonymous(api, method, path)


def test_it_refuses_browser_writes_without_the_csrf_token(
    browser, owner, incident, factor, evidence
):
    session = browser(owner)
    for method, path in endpoints(incident.pk, factor.pk, evidence.pk):
        if method != "get":
            assert_csrf_refused(session, method, path, {**FACTOR, "version": 1})
    assert Factor.objects.count() == 1
    assert Evidence.objects.count() == 1


def test_it_hides_factors_of_restricted_incidents(api, owner, outsider, restricted_incident):
    hidden = services.factor_add(user=owner, incident=restricted_incident, title="secret")
    link = services.evidence_add(user=owner, factor=hidden, url="https://x.example.com")
    for method, path in endpoints(restricted_incident.pk, hidden.pk, link.pk):
        response = api.call(method, path, user=outsider, json={"title": "x", "version": 1})
        assert response.status_code == 404, (method, path, response.content)
        assert error_of(response)["code"] == "not_found"


def test_it_refuses_writes_from_a_viewer(api, viewer, incident, factor, evidence):
    for method, path in endpoints(incident.pk, factor.pk, evidence.pk):
        response = api.call(method, path, user=viewer, json={**LINK, "version": 1})
        assert response.status_code == (200 if method == "get" else 403), (method, path)
    assert Evidence.objects.count() == 1


def test_it_adds_a_factor_and_its_evidence(api, owner, incident):
    response = api.post(f"/incidents/{incident.pk}/factors", user=owner, json=FACTOR)
    assert response.status_code == 201, response.content
    factor = response.json()
    assert factor["position"] == 1
    assert factor["evidence"] == []
    link = api.post(f"/factors/{factor['id']}/evidence", user=owner, json=LINK)
    assert link.status_code == 201, link.content
    assert link.json()["kind"] == "graph"
    fetched = api.get(f"/factors/{factor['id']}", user=owner).json()
    assert [item["url"] for item in fetched["evidence"]] == [LINK["url"]]


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("url", "ftp://files.example.com/x", "http"),
        ("url", "javascript:alert(1)", "http"),
        ("url", "x" * 2001, "2000"),
        ("kind", "screenshot", "graph"),
        ("label", 7, "string"),
    ],
)
def test_it_refuses_bad_evidence_naming_the_field(api, owner, factor, field, value, words):
    response = api.post(f"/factors/{factor.pk}/evidence", user=owner, json={**LINK, field: value})
    assert response.status_code == 422, response.content
    assert words in " ".join(error_of(response)["fields"][field])


@pytest.mark.parametrize(
    ("field", "value", "words"), [("title", "", "required"), ("title", "x" * 201, "200")]
)
def test_it_refuses_bad_factor_fields(api, owner, incident, field, value, words):
    response = api.post(
        f"/incidents/{incident.pk}/factors", user=owner, json={**FACTOR, field: value}
    )
    assert response.status_code == 422
    assert words in " ".join(error_of(response)["fields"][field])


def test_it_refuses_malformed_json(api, owner, incident):
    response = api.post(f"/incidents/{incident.pk}/factors", user=owner, body="title=x")
    assert response.status_code == 400
    assert error_of(response)["code"] == "malformed_json"


def test_it_stores_script_payloads_verbatim(api, owner, incident):
    body = api.post(
        f"/incidents/{incident.pk}/factors", user=owner, json={"title": "t", "description": XSS}
    ).json()
    link = api.post(
        f"/factors/{body['id']}/evidence", user=owner, json={**LINK, "label": XSS}
    ).json()
    assert body["description"] == XSS
    assert link["label"] == XSS


def test_it_updates_and_refuses_a_stale_version(api, owner, teammate, factor):
    first = api.patch(f"/factors/{factor.pk}", user=owner, json={"version": 1, "title": "Mine"})
    assert first.status_code == 200
    assert first.json()["version"] == 2
    stale = api.patch(
        f"/factors/{factor.pk}", user=teammate, json={"version": 1, "title": "Theirs"}
    )
    assert stale.status_code == 409
    assert error_of(stale)["current"]["title"] == "Mine"
    assert len(error_of(stale)["current"]["evidence"]) == 1


def test_it_deletes_evidence_and_factors(api, owner, factor, evidence):
    assert api.delete(f"/evidence/{evidence.pk}", user=owner).status_code == 204
    assert api.delete(f"/factors/{factor.pk}", user=owner).status_code == 204
    assert not Factor.objects.exists()


def test_it_paginates(api, owner, incident):
    for number in range(3):
        services.factor_add(user=owner, incident=incident, title=f"F{number}")
    page = api.get(f"/incidents/{incident.pk}/factors", user=owner, params={"limit": 2}).json()
    assert page["count"] == 3
    assert [row["title"] for row in page["results"]] == ["F0", "F1"]
    assert page["next"]


def _add(owner, incident, count: int) -> None:
    for number in range(count):
        factor = services.factor_add(user=owner, incident=incident, title=f"F{number}")
        services.evidence_add(user=owner, factor=factor, url="https://example.com/a")
        services.evidence_add(user=owner, factor=factor, url="https://example.com/b")


def test_it_lists_with_a_constant_number_of_queries(browser, owner, incident):
    session = browser(owner)
    url = f"/incidents/{incident.pk}/factors"
    _add(owner, incident, 3)
    with CaptureQueriesContext(connection) as few:
        assert session.get(url).json()["count"] == 3
    _add(owner, incident, 27)
    with CaptureQueriesContext(connection) as many:
        assert len(session.get(url).json()["results"]) == 30
    assert len(few) == len(many)
