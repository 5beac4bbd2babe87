"""The OpenAPI document, completed with the answers that do not come from an endpoint.

Ninja documents what each endpoint declares. Some answers come from the layers around every
endpoint instead: the transport (a malformed or oversized request, a chunked body without a
length, a URL that is too long) and authentication. A client generated from the schema, or a
property-based tester such as Schemathesis, must find every status the API can answer, each
with the one error shape, so they are added here once rather than repeated on every route.

Status keys are also made strings: an endpoint that declares ``200`` in its ``response`` and
again as ``"200"`` in ``openapi_extra`` would otherwise serialise the key twice, which the
Swagger page at /api/v1/docs cannot render.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from kintsugi import wsgi_bodies

ERROR_REF = "#/components/schemas/ErrorOut"
BODY_METHODS = frozenset(method.lower() for method in wsgi_bodies.BODY_METHODS)
HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})

# What each status means in this API, for operations that do not say it better themselves.
DESCRIPTIONS = {
    400: "Malformed request: the body is not valid JSON or UTF-8 (code 'malformed_json'), "
    "the Content-Length header is not a number, or the URL has over 1,000 query parameters.",
    401: "No valid API token or signed-in session.",
    403: "Signed in, but not allowed: the role or the incident's access forbids it, "
    "or the CSRF check of a session request failed.",
    404: "No such object, or one the caller may not see (the same answer for both).",
    409: "Someone else saved a newer version; 'current' holds it.",
    411: "A chunked body without Content-Length: send the length.",
    413: "The request body is over 1 MiB.",
    414: "The URL (path and query) is too long.",
    415: "This media type is not accepted here.",
    422: "A field or query parameter is not valid; 'fields' names each one.",
    503: "The database is unavailable (code 'database_unavailable', with Retry-After), or a "
    "PDF export cannot be made on this installation ('export_unavailable').",
}
# Answered by the transport and authentication around every endpoint (kintsugi.api.transport).
EVERY_OPERATION = (400, 401, 414, 503)
WITH_A_BODY = (411, 413)
_KNOWN = frozenset(status.value for status in HTTPStatus)


def error_response(status: int) -> dict[str, Any]:
    return {
        "description": DESCRIPTIONS.get(status, "An error, in the API's error shape."),
        "content": {"application/json": {"schema": {"$ref": ERROR_REF}}},
    }


def _by_status(responses: dict[Any, Any]) -> dict[str, Any]:
    """String keys, in status order; an explicit ``"200"`` entry wins over a generated 200."""
    merged: dict[str, Any] = {}
    for key, value in responses.items():
        if isinstance(key, int):
            merged.setdefault(str(key), value)
    for key, value in responses.items():
        if not isinstance(key, int):
            merged[str(key)] = value
    return dict(sorted(merged.items()))


def complete_operation(method: str, operation: dict[str, Any]) -> None:
    responses = _by_status(operation.get("responses", {}))
    wanted = EVERY_OPERATION + (WITH_A_BODY if method in BODY_METHODS else ())
    for status in wanted:
        responses.setdefault(str(status), error_response(status))
    for key, response in responses.items():
        status = int(key) if key.isdigit() else 0
        generic = ("", HTTPStatus(status).phrase if status in _KNOWN else "")
        if status in DESCRIPTIONS and response.get("description", "") in generic:
            response["description"] = DESCRIPTIONS[status]  # Ninja's is only the phrase
    operation["responses"] = dict(sorted(responses.items()))


def complete_schema(schema: dict[str, Any]) -> dict[str, Any]:
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            if method in HTTP_METHODS:
                complete_operation(method, operation)
    return schema
