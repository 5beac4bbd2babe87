"""Body size, unknown paths, wrong methods, the schema and the offline docs."""

from __future__ import annotations

import json

from django.test import Client

from kintsugi.api.transport import MAX_BODY_BYTES
from tests.api.conftest import API, error_of
from tests.api.test_http_edges import BLAMING
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


def _wsgi(path: str, body: bytes, token: str, **environ: object) -> tuple[str, dict, bytes]:
    """One request through the WSGI application as ``kintsugi.wsgi`` serves it, with a body
    the server has decoded from chunks (as gunicorn does): no Content-Length."""
    import io
    from wsgiref.util import setup_testing_defaults

    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from kintsugi.wsgi_bodies import sized_chunked_bodies

    env: dict[str, object] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "CONTENT_TYPE": "text/markdown",
        "HTTP_TRANSFER_ENCODING": "chunked",
        "HTTP_AUTHORIZATION": f"Bearer {token}",
        "wsgi.input": io.BytesIO(body),
        "wsgi.input_terminated": True,
        **environ,
    }
    setup_testing_defaults(env)
    env["SERVER_NAME"] = env["HTTP_HOST"] = "testserver"
    answer: dict[str, object] = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=dict(headers))

    # As Django's test client does: the handler would close the test's connection at the
    # request's start and end (on PostgreSQL, inside the test's transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        chunks = sized_chunked_bodies(WSGIHandler())(env, start_response)
        content = b"".join(chunks)
        getattr(chunks, "close", lambda: None)()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return str(answer["status"]), {"environ": env, **answer}, content


def test_a_decoded_chunked_body_is_read_as_if_it_had_its_length(api, owner):
    with_length = api.client.post(
        f"{API}/lint", BLAMING, content_type="text/markdown",
        headers={"Authorization": f"Bearer {api.token(owner)}"})  # fmt: skip
    assert with_length.status_code == 200
    status, answer, content = _wsgi(f"{API}/lint", BLAMING.encode(), api.token(owner))
    assert status.startswith("200"), content[:300]
    assert content == with_length.content and b'"findings": []' not in content
    assert answer["environ"]["CONTENT_LENGTH"] == str(len(BLAMING.encode()))


def test_a_decoded_chunked_body_over_the_limit_is_a_json_413_unread_beyond_it(api, owner):
    body = b"x" * (MAX_BODY_BYTES + 4096)
    status, answer, content = _wsgi(f"{API}/lint", body, api.token(owner))
    assert status.startswith("413")
    assert json.loads(content)["error"]["code"] == "payload_too_large"
    assert answer["environ"]["wsgi.input"].tell() == MAX_BODY_BYTES + 1  # the rest unread


def test_chunks_a_server_did_not_decode_are_a_411_and_web_paths_are_left_alone(api, owner):
    status, _, content = _wsgi(
        f"{API}/lint",
        b"5\r\nhello\r\n0\r\n\r\n",
        api.token(owner),
        **{"wsgi.input_terminated": False},
    )
    assert status.startswith("411")
    assert json.loads(content)["error"]["code"] == "length_required"
    _, answer, _ = _wsgi("/account/tokens/", b"name=x", api.token(owner))
    assert answer["environ"]["wsgi.input"].tell() == 0  # not the API's to read
    assert answer["environ"]["HTTP_TRANSFER_ENCODING"] == "chunked"
