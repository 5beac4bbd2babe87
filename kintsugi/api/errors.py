"""The one error shape of the API, and the handlers that produce it.

Every failure, whether raised by Django Ninja (bad JSON, a wrong type), by the access
module (404/403), by a service (ValidationProblem, ConflictError) or by our own code, is
answered as::

    {"error": {"code": "validation_error", "message": "...", "fields": {"title": ["..."]}}}

so a script needs exactly one code path to report what went wrong.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from kintsugi.core.errors import ValidationProblem
from kintsugi.postmortems.services import ConflictError

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger(__name__)

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


def _validation_fields(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(field_name(error.get("loc", ())), []).append(_pydantic_message(error))
    return fields


def _summary(fields: dict[str, list[str]]) -> str:
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


def install_error_handlers(api: NinjaAPI) -> None:
    """Replace Ninja's default handlers (``{"detail": ...}``) with our shape."""

    def respond(
        request: HttpRequest,
        status: int,
        message: str,
        *,
        code: str | None = None,
        fields: dict[str, list[str]] | None = None,
        **extra: Any,
    ) -> HttpResponse:
        body = error_body(code or CODES.get(status, "error"), message, fields, **extra)
        response = api.create_response(request, body, status=status)
        if status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="kintsugi"'
        return response

    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return respond(request, exc.status, exc.message, code=exc.code, fields=exc.fields)

    def on_ninja_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        from kintsugi.api.lookups import authorize_path

        try:
            authorize_path(request)  # may the caller touch this at all? that answer comes first
        except Http404 as refusal:
            return on_not_found(request, refusal)
        except PermissionDenied as refusal:
            return on_permission_denied(request, refusal)
        fields = _validation_fields(exc.errors)
        return respond(request, 422, _summary(fields), fields=fields)

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, AuthenticationError):
            return respond(request, 401, UNAUTHENTICATED)
        cause = exc.__cause__
        if exc.status_code == 400 and isinstance(cause, json.JSONDecodeError):
            message = (
                f"The request body is not valid JSON: {cause.msg} "
                f"(line {cause.lineno}, column {cause.colno})."
            )
            return respond(request, 400, message, code="malformed_json")
        if exc.status_code == 400 and isinstance(cause, UnicodeDecodeError):
            return respond(request, 400, "The request body is not UTF-8.", code="malformed_json")
        return respond(request, exc.status_code, str(exc))

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        # Our lookups raise Http404 with safe, generic text; never echo anything else.
        message = str(exc) if str(exc).startswith("No such") else "Not found."
        return respond(request, 404, message)

    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, str(exc) or "You may not do this.")

    def on_conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
        from kintsugi.api.schemas.representation import represent

        # The service's message speaks to the editor's page ("shown below"); an API client
        # gets the stored object in 'current' instead, and must be told so.
        return respond(
            request,
            409,
            CONFLICT_MESSAGE,
            fields={"version": [CONFLICT_MESSAGE]},
            current=represent(exc.current),
        )

    def on_problem(request: HttpRequest, exc: ValidationProblem) -> HttpResponse:
        # A Markdown import reports every problem of the file at once (a ProblemList).
        problems: list[ValidationProblem] = getattr(exc, "problems", None) or [exc]
        fields: dict[str, list[str]] = {}
        for problem in problems:
            if problem.field:
                fields.setdefault(problem.field, []).append(str(problem))
        extra: dict[str, Any] = {"line": exc.line} if exc.line is not None else {}
        if len(problems) > 1 or exc.line is not None:
            extra["problems"] = [
                {"line": problem.line, "field": problem.field, "message": problem.message}
                for problem in problems
            ]
        message = f"{exc.field}: {exc.message}" if exc.field and exc.line is None else str(exc)
        return respond(request, 422, message, fields=fields, **extra)

    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return respond(request, 413, "The request body is too large.")

    def on_database_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        # A database that cannot be reached (or stays locked) is neither the caller's fault
        # nor a bug: 503 as /healthz says, and the client may retry. The same exception
        # classes also carry bugs (a misused transaction), which stay a logged 500.
        if not database_is_down(exc):
            return on_anything_else(request, exc)
        logger.exception("API: database unavailable on %s %s", request.method, request.path)
        response = respond(request, 503, DATABASE_DOWN, code="database_unavailable")
        response["Retry-After"] = RETRY_AFTER
        return response

    def on_anything_else(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Logged with the traceback for operators; the caller only learns that it failed.
        logger.exception("API error on %s %s", request.method, request.path)
        return respond(request, 500, "Something went wrong on our side; it has been logged.")

    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(NinjaValidationError, on_ninja_validation)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(PermissionDenied, on_permission_denied)
    api.add_exception_handler(ConflictError, on_conflict)
    api.add_exception_handler(ValidationProblem, on_problem)
    api.add_exception_handler(RequestDataTooBig, on_too_big)
    api.add_exception_handler(OperationalError, on_database_error)
    api.add_exception_handler(InterfaceError, on_database_error)
    api.add_exception_handler(Exception, on_anything_else)
