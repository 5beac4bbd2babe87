"""Body size, unknown paths, wrong methods, the schema and the offline docs."""

from __future__ import annotations

from django.test import Client

from kintsugi.api.transport import MAX_BODY_BYTES
from tests.api.conftest import API, error_of
from tests.offline import external_assets


def test_it_refuses_a_body_over_the_limit_before_reading_it(api, owner):
    response = api.post("/incidents", user=owner, body="x" * (MAX_BODY_BYTES + 1))
    assert response.status_code == 413
    error = error_of(response)
    assert error["code"] == "payload_too_large"
    assert "1,048,576" in error["message"]


def test_it_refuses_an_unreadable_content_length(owner, api):
    response = api.client.generic(
        "POST",
        f"{API}/incidents",
        b"{}",
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.token(owner)}"},
        CONTENT_LENGTH="lots",
    )
    assert response.status_code == 400
    error_of(response)


def test_it_answers_unknown_paths_in_the_error_shape(api, owner):
    for path in ("/nope", "/incidents/abc", "/"):
        response = api.get(path, user=owner)
        assert response.status_code == 404, path
        assert error_of(response)["code"] == "not_found"


def test_it_answers_wrong_methods_in_the_error_shape(api, owner, incident):
    response = api.call("put", f"/incidents/{incident.pk}", user=owner, json={})
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert "PATCH" in response["Allow"]


def test_it_serves_the_openapi_schema(api):
    response = api.get("/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Kintsugi API"
    assert "/api/v1/incidents/{incident_id}" in schema["paths"]
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}
    operation_ids = [op["operationId"] for path in schema["paths"].values() for op in path.values()]
    assert len(operation_ids) == len(set(operation_ids))


def test_it_serves_the_docs_without_a_cdn(api):
    page = api.get("/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert external_assets(html) == []
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert Client().get("/static/ninja/swagger-ui-bundle.js").status_code == 200
