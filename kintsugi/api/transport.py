"""HTTP concerns around the endpoints: body size, chunked bodies, URL length, unknown paths,
wrong methods and a Host header the server does not answer to.

Ninja answers these itself in plain text or HTML (or not at all: Django would read any body
up to its own limit, and reads a chunked body as empty). Wrapping every URL of the API keeps
the one error shape for them too; kintsugi.api.openapi documents them on every operation.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import DisallowedHost, RequestDataTooBig, TooManyFieldsSent
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import URLPattern, URLResolver, re_path
from django.views import defaults
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from kintsugi.api.errors import error_response
from kintsugi.api.openapi import BODY_METHODS, complete_schema
from kintsugi.wsgi_bodies import CHUNKED_BODY_TOO_LARGE, MAX_BODY_BYTES

# The path and query string as sent. Below gunicorn's own request-line limit (8190 bytes,
# set by ``kintsugi serve``), so that a long URL that reaches Django is refused here, in the
# API's error shape; longer request lines are refused by the server in front (docs/api.md).
MAX_URL_BYTES = 8000
# The methods whose body is checked here, as the schema documents them (411, 413).
_BODY_METHODS = frozenset(method.upper() for method in BODY_METHODS)
_LIMIT = f"the limit is {MAX_BODY_BYTES:,} bytes (1 MiB)"

View = Callable[..., HttpResponseBase]


def url_too_long(request: HttpRequest) -> HttpResponse | None:
    # WSGI gives both as the bytes received, one character each (latin-1), so len() counts
    # bytes.
    size = len(request.META.get("PATH_INFO", "")) + len(request.META.get("QUERY_STRING", ""))
    if size > MAX_URL_BYTES:
        return error_response(
            414,
            f"The URL is {size:,} bytes long; the limit is {MAX_URL_BYTES:,}. Send long "
            "values in a request body, or fewer query parameters.",
            code="uri_too_long",
        )
    return None


def unusable_url(request: HttpRequest) -> HttpResponse | None:
    """A NUL character anywhere in the URL, or more query parameters than Django parses.

    PostgreSQL cannot hold NUL in a text value and fails the whole query (a 500); no name,
    slug or search needs one. Django refuses over DATA_UPLOAD_MAX_NUMBER_FIELDS parameters
    with an exception the endpoints would only report as a server error.
    """
    if "\x00" in request.path:
        return error_response(404, "There is no such API endpoint or object.")
    try:
        parameters = list(request.GET.lists())
    except TooManyFieldsSent:
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return error_response(400, f"Too many query parameters; the limit is {limit:,}.")
    for name, values in parameters:
        if "\x00" in name or any("\x00" in value for value in values):
            message = "A NUL character (%00) is not allowed here."
            return error_response(422, f"{name}: {message}", fields={name: [message]})
    return None


def _is_chunked(request: HttpRequest) -> bool:
    encodings = request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
    return "chunked" in encodings


def chunked_body_refused(request: HttpRequest) -> HttpResponse:
    """A chunked body that reached the endpoint without a length: too large, or sent
    through a server that does not decode chunks (``sized_chunked_bodies``)."""
    if request.META.get(CHUNKED_BODY_TOO_LARGE):
        return error_response(413, f"The request body is too large; {_LIMIT}.")
    return error_response(
        411,
        "A chunked request body cannot be read here: send it with a Content-Length "
        "header (curl does with --data-binary @file).",
        code="length_required",
    )


def body_refused(request: HttpRequest) -> HttpResponse | None:
    """400 for an unreadable length, 411/413 for a body that cannot or may not be read."""
    declared = (request.META.get("CONTENT_LENGTH") or "").strip()
    size = 0
    if declared:
        try:
            size = int(declared)
        except ValueError:
            return error_response(400, "The Content-Length header is not a number.")
    if request.method not in _BODY_METHODS:
        return None
    if not declared and _is_chunked(request):
        return chunked_body_refused(request)
    if not declared:
        try:
            size = len(request.body)  # no length given: Django caps what it buffers
        except RequestDataTooBig:
            return error_response(413, f"The request body is too large; {_LIMIT}.")
    if size > MAX_BODY_BYTES:
        return error_response(413, f"The request body is {size:,} bytes; {_LIMIT}.")
    return None


def refused(request: HttpRequest) -> HttpResponse | None:
    """What the transport refuses before any endpoint (or the unknown-path answer) runs."""
    return url_too_long(request) or unusable_url(request) or body_refused(request)


def guarded(view: View) -> View:
    @wraps(view)
    def guarded_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        refusal = refused(request)
        if refusal is not None:
            return refusal
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return error_response(404, "There is no such API endpoint.")
        if response.status_code == 405 and "json" not in response.get("Content-Type", ""):
            allowed = response.get("Allow", "")
            refusal = error_response(
                405, f"{request.method} is not allowed here; use {allowed or 'another method'}."
            )
            refusal["Allow"] = allowed
            return refusal
        return response

    return guarded_view


def unknown_endpoint(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return url_too_long(request) or error_response(404, "There is no such API endpoint.")


unknown_endpoint.csrf_exempt = True  # type: ignore[attr-defined]


BAD_HOST = (
    "The Host header does not name a host this server answers to; use the address "
    "Kintsugi is served on (its operator lists them in ALLOWED_HOSTS)."
)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The project's ``handler400``: the API's error shape under /api/, Django's page
    elsewhere.

    Django answers a request it refuses before any view runs (a Host header not in
    ALLOWED_HOSTS, raised as the middleware reads it) through this handler. The host sent
    is never echoed: it is whatever the client typed.
    """
    if not request.path_info.startswith("/api/"):
        return defaults.bad_request(request, exception)
    if isinstance(exception, DisallowedHost):
        return error_response(400, BAD_HOST, code="disallowed_host")
    return error_response(400, "The request is malformed and was refused.")


class KintsugiAPI(NinjaAPI):
    """Ninja's API with every URL guarded and a JSON 404 for paths it does not know."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        # Short ids (``create_incident``) make readable generated clients; names are unique.
        return operation.view_func.__name__

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        complete_schema(schema)
        return schema

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = guarded(pattern.callback)
        patterns.append(re_path(r"^.*$", unknown_endpoint, name="unknown-endpoint"))
        return patterns, app_name, namespace
