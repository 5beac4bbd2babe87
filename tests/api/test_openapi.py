"""The OpenAPI document: valid OpenAPI 3, every status the API can answer, ``version``."""

from __future__ import annotations

import json

import schemathesis

from kintsugi.api.openapi import BODY_METHODS, ERROR_REF, complete_schema
from tests.api.conftest import API


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    keys = [key for key, _ in pairs]
    duplicated = sorted({key for key in keys if keys.count(key) > 1})
    assert not duplicated, f"keys given twice: {duplicated}"
    return dict(pairs)


def _operations(schema: dict) -> list[tuple[str, str, dict]]:
    return [
        (method, path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]


def test_the_served_document_names_no_key_twice(api):
    """A status given twice (200 and "200") kept /api/v1/docs from rendering."""
    response = api.get("/openapi.json")
    assert response.status_code == 200
    json.loads(response.content, object_pairs_hook=_no_duplicates)


def test_the_document_is_valid_openapi_3(api):
    schema = schemathesis.openapi.from_dict(api.get("/openapi.json").json())
    schema.validate()  # raises on anything the OpenAPI 3 meta-schema refuses


def test_every_operation_documents_the_transport_answers_in_the_error_shape(api):
    schema = api.get("/openapi.json").json()
    for method, path, operation in _operations(schema):
        responses = operation["responses"]
        with_body = {"411", "413"} if method in BODY_METHODS else set()
        wanted = {"400", "401", "414", "503"} | with_body
        assert wanted <= set(responses), (method, path, sorted(responses))
        for status, response in responses.items():
            assert response["description"], (method, path, status)
            if int(status) >= 400:
                content = response["content"]["application/json"]
                assert content["schema"] == {"$ref": ERROR_REF}, (method, path, status)


def test_an_explicit_status_wins_over_the_generated_one_once():
    schema = {
        "paths": {
            "/x": {
                "get": {
                    "responses": {
                        200: {"description": "OK"},
                        "200": {"description": "The file.", "content": {"text/plain": {}}},
                    }
                }
            }
        }
    }
    responses = complete_schema(schema)["paths"]["/x"]["get"]["responses"]
    assert responses["200"]["description"] == "The file."
    assert all(isinstance(key, str) for key in responses)
    assert list(responses) == sorted(responses)


def test_version_is_documented_as_required_where_a_change_needs_it(api):
    components = api.get("/openapi.json").json()["components"]["schemas"]
    for name in ("IncidentPatch", "TimelineEventPatch", "FactorPatch", "LessonPatch"):
        assert "version" in components[name].get("required", []), name
        assert "If-Match" in components[name]["properties"]["version"]["description"]
    assert "version" in components["ActionItemPatch"]["required"]
    assert "version" not in components["IncidentIn"].get("required", [])


def test_a_change_without_version_is_refused_as_documented(api, owner, incident):
    response = api.patch(f"/incidents/{incident.pk}", user=owner, json={"summary": "x"})
    assert response.status_code == 422
    assert "version" in response.json()["error"]["fields"]
    with_header = api.patch(
        f"/incidents/{incident.pk}",
        user=owner,
        json={"summary": "Checkout failed."},
        headers={"If-Match": f'"{incident.version}"'},
    )
    assert with_header.status_code == 200, with_header.content


def test_the_docs_page_renders_the_document(api):
    page = api.get("/docs")
    assert page.status_code == 200
    assert f"{API}/openapi.json" in page.content.decode()
