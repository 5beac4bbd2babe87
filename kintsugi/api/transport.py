"""HTTP concerns around the endpoints: body size, unknown paths and wrong methods.

Ninja answers these itself in plain text or HTML (or not at all: Django would read any body
up to its own limit). Wrapping every URL of the API keeps the one error shape for them too.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI
from ninja.operation import Operation

from kintsugi.api.errors import error_response

# 1 MiB: a very long post-mortem in JSON or Markdown is a few hundred KiB. Bigger bodies
# are refused before they are read, so a client cannot make the server buffer them.
MAX_BODY_BYTES = 1024 * 1024
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

View = Callable[..., HttpResponseBase]


def body_too_large(request: HttpRequest) -> HttpResponse | None:
    limit = f"the limit is {MAX_BODY_BYTES:,} bytes (1 MiB)"
    declared = (request.META.get("CONTENT_LENGTH") or "").strip()
    if declared:
        try:
            size = int(declared)
        except ValueError:
            return error_response(400, "The Content-Length header is not a number.")
    elif request.method in _BODY_METHODS:
        try:
            size = len(request.body)  # no length given: Django caps what it buffers
        except RequestDataTooBig:
            return error_response(413, f"The request body is too large; {limit}.")
    else:
        return None
    if size > MAX_BODY_BYTES:
        return error_response(413, f"The request body is {size:,} bytes; {limit}.")
    return None


def guarded(view: View) -> View:
    @wraps(view)
    def guarded_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        refusal = body_too_large(request)
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
    return error_response(404, "There is no such API endpoint.")


unknown_endpoint.csrf_exempt = True  # type: ignore[attr-defined]


class KintsugiAPI(NinjaAPI):
    """Ninja's API with every URL guarded and a JSON 404 for paths it does not know."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        # Short ids (``create_incident``) make readable generated clients; names are unique.
        return operation.view_func.__name__

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = guarded(pattern.callback)
        patterns.append(re_path(r"^.*$", unknown_endpoint, name="unknown-endpoint"))
        return patterns, app_name, namespace
