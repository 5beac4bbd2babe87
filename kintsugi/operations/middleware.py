"""Every request gets an id (kept from ``X-Request-ID`` when it is sane), is timed for
``/metrics``, and, with JSON logs, is logged as one line with that id."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from kintsugi.operations.logs import REQUEST_ID
from kintsugi.operations.metrics import observe

logger = logging.getLogger("kintsugi.requests")
# A proxy's id is kept so that its log and ours join; anything else is replaced, because it
# ends up in logs and headers.
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


class RequestObservationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.static = settings.STATIC_URL or "/static/"
        self.json = settings.KINTSUGI_LOG_FORMAT == "json"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _SANE_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            REQUEST_ID.reset(token)
        seconds = time.perf_counter() - started
        view = self._view(request)
        observe(view, request.method or "", response.status_code, seconds)
        response["X-Request-ID"] = request_id
        if self.json:
            user = getattr(request, "user", None)
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "request_id": request_id,
                    "method": request.method,
                    "path": request.path,
                    "view": view,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 2),
                    "user_id": getattr(user, "pk", None),
                },
            )
        return response

    def _view(self, request: HttpRequest) -> str:
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name:
            return match.view_name[:100]
        return "static" if request.path.startswith(self.static) else "unresolved"
