"""The one error shape of the API, and the words and codes that fill it.

Every failure, whether raised by Django Ninja (bad JSON, a wrong type), by the access
module (404/403), by a service (ValidationProblem, ConflictError) or by our own code, is
answered as::

    {"error": {"code": "validation_error", "message": "...", "fields": {"title": ["..."]}}}

so a script needs exactly one code path to report what went wrong. The handlers that turn
each exception into this shape are in kintsugi.api.handlers; this module is the bottom
layer of the package and imports nothing else of it, so anything in the API may raise
``ApiError`` or build the shape.
"""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, connection
from django.http import JsonResponse

CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    422: "validation_error",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}

UNAUTHENTICATED = (
    "Authentication required: send 'Authorization: Bearer <token>' or sign in to the web app."
)
DATABASE_DOWN = "The database is unavailable right now; nothing was changed. Try again shortly."
# How long a client should wait before retrying after a 503 (seconds).
RETRY_AFTER = "30"
CONFLICT_MESSAGE = (
    "Someone else saved this since the version you sent; nothing was written. The current "
    "version is in 'current': merge your change into it and send it again with its 'version'."
)

# Where Ninja reports a value (``loc[0]``) and the parameter names our endpoints use for
# whole-schema parameters; neither means anything to the caller, so both are dropped.
_SOURCES = {"body", "query", "path", "header", "cookie", "form"}
_PARAMETER_NAMES = {"payload", "params"}


class ApiError(Exception):
    """An error decided in the API layer itself (bad auth, CSRF, size, If-Match)."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message
        self.fields = fields or {}


def error_body(
    code: str, message: str, fields: dict[str, list[str]] | None = None, **extra: Any
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}, **extra}}


def error_response(
    status: int,
    message: str,
    *,
    code: str | None = None,
    fields: dict[str, list[str]] | None = None,
    **extra: Any,
) -> JsonResponse:
    """For code outside Ninja's handlers (URL-level guards); same shape, same codes."""
    response = JsonResponse(
        error_body(code or CODES.get(status, "error"), message, fields, **extra), status=status
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="kintsugi"'
    return response


def field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
    if parts and parts[0] in _PARAMETER_NAMES:
        parts = parts[1:]
    return ".".join(parts) or "body"


def _pydantic_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return "This field is required."
    if kind == "extra_forbidden":
        return "Unknown field; check its spelling against the API documentation."
    message = str(error.get("msg", "Invalid value."))
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            message = message[len(prefix) :]
    return message if message.endswith(".") else message + "."


def validation_fields(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(field_name(error.get("loc", ())), []).append(_pydantic_message(error))
    return fields


def summary(fields: dict[str, list[str]]) -> str:
    if len(fields) == 1:
        name, messages = next(iter(fields.items()))
        return f"{name}: {messages[0]}"
    return "Some fields are not valid: " + ", ".join(fields) + "."


def database_is_down(error: Exception) -> bool:
    """Whether a database error means "unavailable" rather than a bug: the database is
    locked past the busy timeout, or it does not answer a trivial query (as /healthz asks)."""
    if "database is locked" in str(error):
        return True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return True
    return False
