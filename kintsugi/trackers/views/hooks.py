"""``POST /hooks/trackers/<kind>/<connection-id>/``: the trackers' webhooks.

Not behind the login (trackers are machines) and exempt from CSRF (no cookie: GitHub and
Jira sign the body, GitLab repeats the secret token). Answers are JSON; an unknown connection answers
exactly as a wrong signature does.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from kintsugi.trackers.models import TrackerKind
from kintsugi.trackers.services.webhooks import find_connection, receive, signed

# An issue event is a few kilobytes; GitHub caps payloads at 25 MB, we need far less.
MAX_BODY = 512 * 1024


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@csrf_exempt
@login_not_required
@require_POST
def tracker_hook(request: HttpRequest, kind: str, connection_id: int) -> JsonResponse:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _error(400, "Content-Length is not a number.")
    if length > MAX_BODY:
        return _error(413, f"The body is {length:,} bytes; the limit is {MAX_BODY:,}.")
    body = request.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        return _error(413, f"The body is over the limit of {MAX_BODY:,} bytes.")
    connection = find_connection(kind, connection_id) if kind in TrackerKind.values else None
    if not signed(connection, kind, request.headers, body) or connection is None:
        return _error(401, "Unknown connection or wrong signature.")
    outcome = receive(connection, request.headers, body)
    return JsonResponse(outcome.body, status=outcome.status)
