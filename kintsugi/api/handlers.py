"""The handlers that answer every exception of an endpoint in the API's one error shape.

Ninja's own handlers answer ``{"detail": ...}``; these replace them. They sit above the
lookups (a malformed body to an object the caller may not touch is its 404 or 403 first)
and the schemas (a 409 carries the stored object), so they live apart from
kintsugi.api.errors, which everything else of the API imports.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from kintsugi.api.errors import (
    CODES,
    CONFLICT_MESSAGE,
    DATABASE_DOWN,
    RETRY_AFTER,
    UNAUTHENTICATED,
    ApiError,
    database_is_down,
    error_body,
    summary,
    validation_fields,
)
from kintsugi.api.lookups import authorize_path
from kintsugi.api.schemas.representation import represent
from kintsugi.core.errors import ValidationProblem
from kintsugi.postmortems.services import ConflictError

logger = logging.getLogger(__name__)


class _ErrorShape:
    """The handlers, one method per kind of exception, answering through ``respond``."""

    def __init__(self, api: NinjaAPI) -> None:
        self.api = api

    def respond(
        self,
        request: HttpRequest,
        status: int,
        message: str,
        *,
        code: str | None = None,
        fields: dict[str, list[str]] | None = None,
        **extra: Any,
    ) -> HttpResponse:
        body = error_body(code or CODES.get(status, "error"), message, fields, **extra)
        response = self.api.create_response(request, body, status=status)
        if status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="kintsugi"'
        return response

    def on_api_error(self, request: HttpRequest, exc: ApiError) -> HttpResponse:
        return self.respond(request, exc.status, exc.message, code=exc.code, fields=exc.fields)

    def on_ninja_validation(self, request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        try:
            authorize_path(request)  # may the caller touch this at all? that answer comes first
        except Http404 as refusal:
            return self.on_not_found(request, refusal)
        except PermissionDenied as refusal:
            return self.on_permission_denied(request, refusal)
        fields = validation_fields(exc.errors)
        return self.respond(request, 422, summary(fields), fields=fields)

    def on_http_error(self, request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, AuthenticationError):
            return self.respond(request, 401, UNAUTHENTICATED)
        cause = exc.__cause__
        if exc.status_code == 400 and isinstance(cause, json.JSONDecodeError):
            message = (
                f"The request body is not valid JSON: {cause.msg} "
                f"(line {cause.lineno}, column {cause.colno})."
            )
            return self.respond(request, 400, message, code="malformed_json")
        if exc.status_code == 400 and isinstance(cause, UnicodeDecodeError):
            return self.respond(
                request, 400, "The request body is not UTF-8.", code="malformed_json"
            )
        return self.respond(request, exc.status_code, str(exc))

    def on_not_found(self, request: HttpRequest, exc: Http404) -> HttpResponse:
        # Our lookups raise Http404 with safe, generic text; never echo anything else.
        message = str(exc) if str(exc).startswith("No such") else "Not found."
        return self.respond(request, 404, message)

    def on_permission_denied(self, request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return self.respond(request, 403, str(exc) or "You may not do this.")

    def on_conflict(self, request: HttpRequest, exc: ConflictError) -> HttpResponse:
        # The service's message speaks to the editor's page ("shown below"); an API client
        # gets the stored object in 'current' instead, and must be told so.
        return self.respond(
            request,
            409,
            CONFLICT_MESSAGE,
            fields={"version": [CONFLICT_MESSAGE]},
            current=represent(exc.current),
        )

    def on_problem(self, request: HttpRequest, exc: ValidationProblem) -> HttpResponse:
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
        return self.respond(request, 422, message, fields=fields, **extra)

    def on_too_big(self, request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return self.respond(request, 413, "The request body is too large.")

    def on_database_error(self, request: HttpRequest, exc: Exception) -> HttpResponse:
        # A database that cannot be reached (or stays locked) is neither the caller's fault
        # nor a bug: 503 as /healthz says, and the client may retry. The same exception
        # classes also carry bugs (a misused transaction), which stay a logged 500.
        if not database_is_down(exc):
            return self.on_anything_else(request, exc)
        logger.exception("API: database unavailable on %s %s", request.method, request.path)
        response = self.respond(request, 503, DATABASE_DOWN, code="database_unavailable")
        response["Retry-After"] = RETRY_AFTER
        return response

    def on_anything_else(self, request: HttpRequest, exc: Exception) -> HttpResponse:
        # Logged with the traceback for operators; the caller only learns that it failed.
        logger.exception("API error on %s %s", request.method, request.path)
        return self.respond(request, 500, "Something went wrong on our side; it has been logged.")


def install_error_handlers(api: NinjaAPI) -> None:
    """Replace Ninja's default handlers (``{"detail": ...}``) with our shape."""
    shape = _ErrorShape(api)
    api.add_exception_handler(ApiError, shape.on_api_error)
    api.add_exception_handler(NinjaValidationError, shape.on_ninja_validation)
    api.add_exception_handler(HttpError, shape.on_http_error)
    api.add_exception_handler(Http404, shape.on_not_found)
    api.add_exception_handler(PermissionDenied, shape.on_permission_denied)
    api.add_exception_handler(ConflictError, shape.on_conflict)
    api.add_exception_handler(ValidationProblem, shape.on_problem)
    api.add_exception_handler(RequestDataTooBig, shape.on_too_big)
    api.add_exception_handler(OperationalError, shape.on_database_error)
    api.add_exception_handler(InterfaceError, shape.on_database_error)
    api.add_exception_handler(Exception, shape.on_anything_else)
