"""The receivers: ``POST /hooks/<kind>/<source-id>/``.

Not behind the login (senders are machines) and exempt from CSRF (no cookie is involved:
every request proves itself with a bearer secret or PagerDuty's HMAC). Answers are JSON; a
refusal says why, and an unknown source answers exactly as a wrong secret does.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from kintsugi.capture.models import DeliveryStatus, SourceKind
from kintsugi.capture.services.auth import bearer_ok, find_source, pagerduty_ok
from kintsugi.capture.services.ingest import SYNC_LIMIT, delivery_process, delivery_store

# One payload at most: an Alertmanager group of 1,000 alerts with labels is ~1 MB.
MAX_BODY = 1024 * 1024


def _error(status: int, message: str, **extra: str) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    for name, value in extra.items():
        response[name] = value
    return response


def _unauthorised() -> JsonResponse:
    return _error(
        401,
        "Unknown source or wrong secret.",
        **{"WWW-Authenticate": 'Bearer realm="kintsugi-hooks"'},
    )


def _declared_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None


def _too_big(size: int) -> str:
    return f"The body is {size:,} bytes; the limit is {MAX_BODY:,}."


@csrf_exempt
@login_not_required
@require_POST
def hook(request: HttpRequest, kind: str, source_id: int) -> JsonResponse:
    source = find_source(kind, source_id) if kind in SourceKind.values else None
    length = _declared_length(request)
    if length is None:
        return _error(400, "Content-Length is not a number.")
    if kind == SourceKind.PAGERDUTY:
        # The signature covers the body, so it is read (within the limit) before the check.
        if length > MAX_BODY:
            return _error(413, _too_big(length))
        body = request.read(MAX_BODY + 1)
        if len(body) > MAX_BODY:
            return _error(413, _too_big(len(body)))
        if not pagerduty_ok(source, body, request.headers.get("X-PagerDuty-Signature", "")):
            return _unauthorised()
    else:
        if not bearer_ok(source, request.headers.get("Authorization", "")):
            return _unauthorised()
        if length > MAX_BODY:
            assert source is not None
            delivery_store(
                source=source,
                body=b"",
                headers=request.headers,
                status=DeliveryStatus.REJECTED,
                reason=_too_big(length) + " The body was not kept.",
            )
            return _error(413, _too_big(length))
        body = request.read(MAX_BODY + 1)
        if len(body) > MAX_BODY:
            return _error(413, _too_big(len(body)))
    assert source is not None
    deferred = len(body) > SYNC_LIMIT
    # A delivery processed here is stored as claimed, so `kintsugi source work` leaves it
    # alone (unless this request dies: then it is taken after the claim timeout).
    stored = delivery_store(
        source=source,
        body=body,
        headers=request.headers,
        status=DeliveryStatus.RECEIVED if deferred else DeliveryStatus.PROCESSING,
    )
    if deferred:
        # Stored, answered now, processed by `kintsugi source work` (docs/integrations.md).
        return JsonResponse({"delivery": stored.pk, "status": stored.status}, status=202)
    delivery = delivery_process(stored)
    if delivery.status == DeliveryStatus.REJECTED:
        return JsonResponse(
            {"error": delivery.reason, "delivery": delivery.pk, "status": delivery.status},
            status=400,
        )
    return JsonResponse(
        {"delivery": delivery.pk, "status": delivery.status, "events_added": delivery.events_added}
    )
