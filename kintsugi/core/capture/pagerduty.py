"""PagerDuty webhooks v3: the signature check and the incident events.

PagerDuty signs the raw body with HMAC-SHA256 under each of the subscription's signing
secrets and sends every signature, comma separated, in ``X-PagerDuty-Signature``
(``v1=<hex>,v1=<hex>``): more than one while a secret is being rotated. A delivery is
authentic when any ``v1`` signature matches any secret we hold (the current one, and the
previous one during our own grace period).

Source: PagerDuty developer docs, "Verifying Signatures" and "Webhooks Overview"
(github.com/PagerDuty/developer-docs, docs/webhooks/04-Signatures.md and 01-Overview.md).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from typing import Any

from kintsugi.core.capture.model import (
    CapturedBatch,
    CapturedEvent,
    fit,
    fit_key,
    fit_title,
    load_json_object,
    need,
    optional_text,
    parse_time,
    web_link,
)
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.timeline import EventKind
from kintsugi.core.vocabulary import Severity

MAX_SIGNATURES = 10

KINDS = {
    "incident.triggered": EventKind.ALERT_FIRED,
    "incident.acknowledged": EventKind.PAGE_ACKNOWLEDGED,
    "incident.resolved": EventKind.FULLY_RECOVERED,
    "incident.annotated": EventKind.NOTE,
    "incident.priority_updated": EventKind.NOTE,
    "incident.responder.added": EventKind.RESPONDERS_JOINED,
}
# Incident priorities as PagerDuty names them by default; other names leave the severity.
PRIORITY_SEVERITY = {
    "P1": Severity.SEV1,
    "P2": Severity.SEV2,
    "P3": Severity.SEV3,
    "P4": Severity.SEV4,
    "P5": Severity.SEV4,
}


def sign(body: bytes, secret: str) -> str:
    """The ``v1=`` signature PagerDuty sends for ``body`` under ``secret``."""
    return "v1=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def signature_matches(body: bytes, header: str, secrets: Iterable[str]) -> bool:
    """Whether any ``v1`` signature in ``header`` was made with any of ``secrets``.

    Every pair is compared (constant time each), so the time taken does not say which
    secret or which signature matched.
    """
    offered = [part.strip() for part in header.split(",") if part.strip().startswith("v1=")]
    matched = False
    for secret in secrets:
        if not secret:
            continue
        expected = sign(body, secret)
        for candidate in offered[:MAX_SIGNATURES]:
            matched |= hmac.compare_digest(expected.encode(), candidate.encode())
    return matched


def _reference(data: dict[str, Any], event_type: str) -> dict[str, Any]:
    """The incident the event is about: ``data`` itself, or ``data.incident`` for notes and
    responders."""
    if data.get("type") == "incident" or event_type in (
        "incident.triggered",
        "incident.acknowledged",
        "incident.resolved",
        "incident.priority_updated",
    ):
        return data
    incident = data.get("incident")
    if not isinstance(incident, dict):
        raise ValidationProblem("event.data.incident must be an object.", field="data")
    return incident


def _text(event_type: str, data: dict[str, Any], agent: str, title: str) -> str:
    who = f" by {agent}" if agent else ""
    if event_type == "incident.triggered":
        return fit(f"PagerDuty incident triggered: {title}")
    if event_type == "incident.acknowledged":
        return fit(f"PagerDuty incident acknowledged{who}")
    if event_type == "incident.resolved":
        reason = data.get("resolve_reason")
        extra = f" ({reason})" if isinstance(reason, str) and reason else ""
        return fit(f"PagerDuty incident resolved{who}{extra}")
    if event_type == "incident.annotated":
        return fit(f"PagerDuty note{who}: {optional_text(data, 'content', 'event.data.')}")
    if event_type == "incident.priority_updated":
        priority = data.get("priority")
        name = priority.get("summary") if isinstance(priority, dict) else None
        return fit(f"PagerDuty priority set to {name or 'none'}{who}")
    user = data.get("user")
    responder = user.get("summary") if isinstance(user, dict) else None
    message = optional_text(data, "message", "event.data.")
    return fit(
        f"Responder added: {responder or 'someone'}{who}" + (f" — {message}" if message else "")
    )


def parse_pagerduty(body: bytes) -> list[CapturedBatch]:
    """One v3 event; event types we do not map are accepted and ignored (empty list)."""
    payload = load_json_object(body)
    event = need(payload, "event", dict, "")
    event_type = need(event, "event_type", str, "event.")
    if event_type not in KINDS:
        return []
    event_id = fit_key(need(event, "id", str, "event."))
    occurred_at = parse_time(event.get("occurred_at"), "event.occurred_at")
    data = need(event, "data", dict, "event.")
    incident = _reference(data, event_type)
    incident_id = fit_key(need(incident, "id", str, "event.data incident "))
    title = str(incident.get("title") or incident.get("summary") or f"PagerDuty {incident_id}")
    agent_ref = event.get("agent")
    agent = agent_ref.get("summary", "") if isinstance(agent_ref, dict) else ""
    priority = incident.get("priority")
    priority_name = priority.get("summary") if isinstance(priority, dict) else None
    return [
        CapturedBatch(
            group_key=f"pagerduty:{incident_id}",
            title=fit_title(title),
            severity=PRIORITY_SEVERITY.get(str(priority_name or "").upper()),
            events=(
                CapturedEvent(
                    key=f"event:{event_id}",
                    occurred_at=occurred_at,
                    kind=KINDS[event_type],
                    text=_text(event_type, data, str(agent or ""), title),
                    evidence_url=web_link(str(incident.get("html_url") or "")),
                ),
            ),
            closes=event_type == "incident.resolved",
        )
    ]
