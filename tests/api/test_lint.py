"""POST /api/v1/lint and GET /api/v1/incidents/{id}/lint."""

from __future__ import annotations

import pytest

from kintsugi.postmortems import services
from tests.api.conftest import XSS, assert_csrf_refused, assert_refused_anonymous, error_of

pytestmark = pytest.mark.django_db

FIELDS = {"rule", "category", "severity", "message", "suggestion", "line", "column",
          "end_line", "end_column", "excerpt"}  # fmt: skip


def test_it_refuses_anonymous_callers(api, incident):
    assert_refused_anonymous(api, "post", "/lint")
    assert_refused_anonymous(api, "get", f"/incidents/{incident.pk}/lint")


def test_it_checks_csrf_for_the_browser_session(browser, owner):
    assert_csrf_refused(browser(owner), "post", "/lint", {"text": "x"})


def test_it_lints_json_text_with_positions_and_counts(api, viewer):
    response = api.post(
        "/lint", user=viewer, json={"text": "Fine line.\nBob should have checked the dashboard."}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["counts"] == {"error": 0, "warning": 1, "info": 0, "total": 1}
    (finding,) = body["findings"]
    assert set(finding) == FIELDS
    assert finding["rule"] == "blame/should-have"
    assert (finding["line"], finding["column"]) == (2, 5)
    assert finding["excerpt"] == "should have"
    assert finding["suggestion"]


def test_it_finds_nothing_in_neutral_text(api, owner):
    response = api.post(
        "/lint", user=owner, json={"text": "14:02 UTC Alice acknowledged the page."}
    )
    assert response.json() == {
        "findings": [],
        "counts": {"error": 0, "warning": 0, "info": 0, "total": 0},
    }


def test_it_skips_code_in_markdown_but_not_in_text(api, owner):
    text = "```\nRoot cause: human error.\n```\n"
    markdown = api.post("/lint", user=owner, json={"text": text})
    plain = api.post("/lint", user=owner, json={"text": text, "format": "text"})
    assert markdown.json()["counts"]["total"] == 0
    assert plain.json()["counts"]["total"] >= 1


def test_it_takes_a_raw_markdown_or_text_body(api, owner):
    for content_type in ("text/markdown", "text/plain; charset=utf-8"):
        response = api.post(
            "/lint", user=owner, body=b"Root cause: human error.", content_type=content_type
        )
        assert response.status_code == 200, response.content
        assert "blame/human-error" in [f["rule"] for f in response.json()["findings"]]


def test_it_knows_the_organisations_people(api, owner, teammate):
    response = api.post("/lint", user=owner, json={"text": "Diaz pushed a bad config."})
    assert [f["rule"] for f in response.json()["findings"]] == ["blame/person-as-cause"]


@pytest.mark.parametrize(
    ("body", "content_type", "status", "field"),
    [
        ("{not json", "application/json", 400, None),
        ("[1, 2]", "application/json", 422, None),
        ('{"format": "markdown"}', "application/json", 422, "text"),
        ('{"text": 42}', "application/json", 422, "text"),
        ('{"text": "x", "format": "html"}', "application/json", 422, "format"),
        ('{"text": "x", "lang": "en"}', "application/json", 422, "lang"),
        ('{"text": "a\\u0000b"}', "application/json", 422, "text"),
        ("<x/>", "application/xml", 415, None),
    ],
)
def test_it_refuses_malformed_input_with_the_one_error_shape(
    api, owner, body, content_type, status, field
):
    response = api.post("/lint", user=owner, body=body, content_type=content_type)
    assert response.status_code == status, response.content
    error = error_of(response)
    if field:
        assert field in error["fields"]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"Some text\x00\x01\x02", "binary"),
        (b"caf\xe9 human error", "not valid UTF-8"),
        (b"\xff\xfeh\x00i\x00", "UTF-16"),
    ],
)
def test_it_refuses_binary_and_non_utf8_bodies(api, owner, data, words):
    response = api.post("/lint", user=owner, body=data, content_type="text/markdown")
    assert response.status_code == 422
    assert words in error_of(response)["message"]


def test_it_refuses_oversized_input(api, owner):
    big = "All good here. " * 70_000  # ~1.05 MB
    response = api.post("/lint", user=owner, body=big, content_type="text/plain")
    assert response.status_code == 413
    assert "1 MiB" in error_of(response)["message"]
    response = api.post("/lint", user=owner, json={"text": "é" * 600_000})  # 1.2 MB of UTF-8
    assert response.status_code == 413
    error_of(response)


def test_it_returns_hostile_input_as_json_strings(api, owner):
    text = f"{XSS}\nThe engineer was careless. \U0001f525 \u202e human error"
    response = api.post("/lint", user=owner, json={"text": text})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    findings = response.json()["findings"]
    assert {f["rule"] for f in findings} >= {"blame/judgment", "blame/human-error"}
    for finding in findings:
        assert all(isinstance(value, str | int) for value in finding.values())
    # Lines count from the hostile first line, so positions still point at the right place.
    assert min(f["line"] for f in findings) == 2


def test_it_survives_a_lone_surrogate(api, owner):
    response = api.post("/lint", user=owner, body='{"text": "\\ud800 human error"}')
    assert response.status_code in (200, 422), response.content
    assert response["Content-Type"].startswith("application/json")


def _fill(owner, incident):
    incident.summary = "Root cause: human error."
    incident.save()
    event = services.timeline_event_add(
        user=owner,
        incident=incident,
        occurred_at=incident.started_at,
        kind="note",
        text="Bob should have checked the dashboard.",
    )
    factor = services.factor_add(
        user=owner, incident=incident, title="Pool", description="The pool ran out."
    )
    item = services.action_item_add(
        user=owner, incident=incident, title="Retrain the on-call engineer"
    )
    return event, factor, item


def test_it_lints_every_text_field_of_an_incident(api, owner, teammate, incident):
    event, _factor, item = _fill(owner, incident)
    response = api.get(f"/incidents/{incident.pk}/lint", user=teammate)
    assert response.status_code == 200, response.content
    body = response.json()
    places = {(f["field"], f["item_id"], f["rule"]) for f in body["findings"]}
    assert ("summary", None, "blame/human-error") in places
    assert ("timeline.text", event.pk, "blame/should-have") in places
    assert any(field == "action_items.title" and pk == item.pk for field, pk, _ in places)
    assert body["counts"]["total"] == len(body["findings"])
    assert body["publishing"] == {"mode": "warn", "blocked": False}


def test_it_hides_a_restricted_incident(api, outsider, restricted_incident):
    response = api.get(f"/incidents/{restricted_incident.pk}/lint", user=outsider)
    assert response.status_code == 404
    assert error_of(response)["message"] == "No such incident."
    missing = api.get("/incidents/999999/lint", user=outsider)
    assert missing.status_code == 404
    assert error_of(missing)["message"] == "No such incident."


def test_it_is_in_the_openapi_schema(api, owner):
    schema = api.get("/openapi.json", user=owner).json()
    assert "/api/v1/lint" in schema["paths"]
    assert "/api/v1/incidents/{incident_id}/lint" in schema["paths"]
    content = schema["paths"]["/api/v1/lint"]["post"]["requestBody"]["content"]
    assert {"application/json", "text/markdown", "text/plain"} <= set(content)
