"""A tracker's webhook: prove the sender, drop a replay, apply the ticket's new state.

A delivery is recorded by its id (GitHub ``X-GitHub-Delivery``; GitLab ``Idempotency-Key``,
else ``X-Gitlab-Event-UUID``; Jira ``X-Atlassian-Webhook-Identifier``) in the same
transaction that applies it, so a redelivery is answered and ignored. A ticket no item links to is acknowledged and left alone.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from kintsugi.blameless.summary_cache import deferred
from kintsugi.core.trackers.jira import SYNCED_EVENTS, jira_hook_ticket, jira_signature_ok
from kintsugi.core.trackers.model import Ticket
from kintsugi.core.trackers.payloads import github_hook_ticket, gitlab_hook_ticket
from kintsugi.core.trackers.signatures import github_signature_ok, gitlab_token_ok
from kintsugi.trackers.models import TicketLink, TrackerConnection, TrackerKind, WebhookDelivery
from kintsugi.trackers.providers.base import TrackerError
from kintsugi.trackers.services.secrets import webhook_secrets
from kintsugi.trackers.services.sync import apply_remote

JIRA_KINDS = (TrackerKind.JIRA_CLOUD, TrackerKind.JIRA_DC)


@dataclass
class Outcome:
    status: int
    body: dict[str, object]


def find_connection(kind: str, connection_id: int) -> TrackerConnection | None:
    return TrackerConnection.objects.filter(pk=connection_id, kind=kind, is_active=True).first()


def signed(
    connection: TrackerConnection | None, kind: str, headers: Mapping[str, str], body: bytes
) -> bool:
    """The same work for an unknown connection as for a wrong secret; after a rotation the
    previous secret counts until its deadline (``secrets.webhook_secrets``)."""
    keys = webhook_secrets(connection) or [""]
    if kind in JIRA_KINDS:
        header = headers.get("X-Hub-Signature", "")
        results = [jira_signature_ok(body, header, key) for key in keys]
    elif kind == TrackerKind.GITHUB:
        header = headers.get("X-Hub-Signature-256", "")
        results = [github_signature_ok(body, header, key) for key in keys]
    else:
        results = [gitlab_token_ok(headers.get("X-Gitlab-Token", ""), key) for key in keys]
    return any(results)  # every key checked: the time says nothing about which one matched


def _delivery_id(kind: str, headers: Mapping[str, str]) -> str:
    if kind in JIRA_KINDS:  # the same on Jira's retries of one delivery
        return headers.get("X-Atlassian-Webhook-Identifier", "")
    if kind == TrackerKind.GITHUB:
        return headers.get("X-GitHub-Delivery", "")
    return headers.get("Idempotency-Key", "") or headers.get("X-Gitlab-Event-UUID", "")


def receive(connection: TrackerConnection, headers: Mapping[str, str], body: bytes) -> Outcome:
    kind = connection.kind
    if kind in JIRA_KINDS:
        return _receive_jira(connection, headers, body)
    event = headers.get("X-GitHub-Event" if kind == TrackerKind.GITHUB else "X-Gitlab-Event", "")
    if kind == TrackerKind.GITHUB and event == "ping":
        return Outcome(200, {"ok": "pong"})
    if event not in ("issues", "Issue Hook"):
        return Outcome(202, {"ignored": f"Event {event[:50]!r} is not synced."})
    try:
        payload = json.loads(body)
    except ValueError:
        return Outcome(400, {"error": "The body is not JSON."})
    reader = github_hook_ticket if kind == TrackerKind.GITHUB else gitlab_hook_ticket
    ticket = reader(payload)
    if ticket is None:
        return Outcome(400, {"error": "The payload holds no issue with a number."})
    return _apply(connection, ticket, _delivery_id(kind, headers)[:100])


def _receive_jira(
    connection: TrackerConnection, headers: Mapping[str, str], body: bytes
) -> Outcome:
    """Jira names the event in the body (``webhookEvent``), not in a header."""
    try:
        payload = json.loads(body)
    except ValueError:
        return Outcome(400, {"error": "The body is not JSON."})
    event = payload.get("webhookEvent") if isinstance(payload, dict) else None
    if isinstance(event, str) and event not in SYNCED_EVENTS:
        return Outcome(202, {"ignored": f"Event {event[:50]!r} is not synced."})
    ticket = jira_hook_ticket(
        payload,
        browse=connection.web_url or connection.base_url,
        cloud=connection.kind == TrackerKind.JIRA_CLOUD,
    )
    if ticket is None:
        return Outcome(400, {"error": "The payload holds no issue with a key."})
    return _apply(connection, ticket, _delivery_id(connection.kind, headers)[:100])


@deferred()  # a tracker may send many updates at once: the worker stores the summaries
def _apply(connection: TrackerConnection, ticket: Ticket, delivery: str) -> Outcome:
    link = TicketLink.objects.filter(connection=connection, key=ticket.key).first()
    try:
        with transaction.atomic():
            if delivery:
                WebhookDelivery.objects.create(connection=connection, delivery_id=delivery)
            if link is None:
                return Outcome(
                    202, {"ignored": f"Issue #{ticket.key} is linked to no action item."}
                )
            apply_remote(link, ticket)
    except IntegrityError:
        return Outcome(200, {"duplicate": delivery})
    except TrackerError as refused:
        # Rolled back with the delivery's record, so a redelivery after the fix applies.
        assert link is not None
        TicketLink.objects.filter(pk=link.pk).update(sync_error=refused.message[:2000])
        return Outcome(422, {"error": refused.message})
    return Outcome(200, {"applied": ticket.key, "item": link.action_item_id})
