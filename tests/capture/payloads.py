"""Payloads as the senders document them, for the tests and the benchmark.

Alertmanager: the webhook payload of https://prometheus.io/docs/alerting/latest/configuration/
(section "<webhook_config>": version "4", groupKey, status, receiver, groupLabels,
commonLabels, commonAnnotations, externalURL, alerts with status, labels, annotations,
startsAt, endsAt, generatorURL, fingerprint).

PagerDuty: built from the documented v3 example in PagerDuty's developer docs, "Webhooks
Overview" (github.com/PagerDuty/developer-docs, docs/webhooks/01-Overview.md: the
``incident.priority_updated`` example payload and the ``incident``, ``incident_note`` and
``incident_responder`` data types), signed as "Verifying Signatures"
(docs/webhooks/04-Signatures.md) says: ``v1=`` + hex HMAC-SHA256 of the raw body.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from kintsugi.core.capture.pagerduty import sign

PD_INCIDENT: dict[str, Any] = {
    "id": "PGR0VU2",
    "type": "incident",
    "self": "https://api.pagerduty.com/incidents/PGR0VU2",
    "html_url": "https://acme.pagerduty.com/incidents/PGR0VU2",
    "number": 2,
    "status": "triggered",
    "incident_key": "d3640fbd41094207a1c11e58e46b1662",
    "created_at": "2020-04-09T15:16:27Z",
    "title": "A little bump in the road",
    "service": {
        "html_url": "https://acme.pagerduty.com/services/PF9KMXH",
        "id": "PF9KMXH",
        "self": "https://api.pagerduty.com/services/PF9KMXH",
        "summary": "API Service",
        "type": "service_reference",
    },
    "priority": {
        "html_url": "https://acme.pagerduty.com/account/incident_priorities",
        "id": "PSO75BM",
        "self": "https://api.pagerduty.com/priorities/PSO75BM",
        "summary": "P1",
        "type": "priority_reference",
    },
    "urgency": "high",
    "resolve_reason": None,
}
PD_INCIDENT_REF = {
    "html_url": "https://acme.pagerduty.com/incidents/PGR0VU2",
    "id": "PGR0VU2",
    "self": "https://api.pagerduty.com/incidents/PGR0VU2",
    "summary": "A little bump in the road",
    "type": "incident_reference",
}
PD_AGENT = {
    "html_url": "https://acme.pagerduty.com/users/PLH1HKV",
    "id": "PLH1HKV",
    "self": "https://api.pagerduty.com/users/PLH1HKV",
    "summary": "Tenex Engineer",
    "type": "user_reference",
}


def pagerduty_event(event_type: str, occurred_at: str, event_id: str) -> dict[str, Any]:
    if event_type == "incident.annotated":
        data: dict[str, Any] = {
            "incident": PD_INCIDENT_REF,
            "id": "P2LA89X",
            "content": "I sure am glad we are using PagerDuty!",
            "trimmed": False,
            "type": "incident_note",
        }
    elif event_type == "incident.responder.added":
        data = {
            "incident": PD_INCIDENT_REF,
            "user": {"id": "PVMGSML", "summary": "Maeve", "type": "user_reference"},
            "message": "Please help me make the tests pass",
            "state": "pending",
            "type": "incident_responder",
        }
    else:
        data = copy.deepcopy(PD_INCIDENT)
    return {
        "event": {
            "id": event_id,
            "event_type": event_type,
            "resource_type": "incident",
            "occurred_at": occurred_at,
            "agent": PD_AGENT,
            "client": {"name": "PagerDuty"},
            "data": data,
        }
    }


def signed(payload: dict[str, Any], *secrets: str) -> tuple[bytes, str]:
    body = json.dumps(payload).encode()
    return body, ",".join(sign(body, secret) for secret in secrets)


def alert(
    fingerprint: str,
    *,
    status: str = "firing",
    starts: str = "2026-03-01T14:00:00.123456789Z",
    ends: str = "0001-01-01T00:00:00Z",
    name: str = "HighErrorRate",
    severity: str = "critical",
) -> dict[str, Any]:
    return {
        "status": status,
        "labels": {"alertname": name, "severity": severity, "instance": f"web-{fingerprint}"},
        "annotations": {"summary": "5xx above 2%", "runbook_url": "https://runbooks.example/5xx"},
        "startsAt": starts,
        "endsAt": ends,
        "generatorURL": "http://prometheus.example:9090/graph?g0.expr=rate%28x%29",
        "fingerprint": fingerprint,
    }


def alertmanager(
    *alerts: dict[str, Any], status: str = "firing", group: str = '{}:{alertname="HighErrorRate"}'
) -> dict[str, Any]:
    return {
        "version": "4",
        "groupKey": group,
        "truncatedAlerts": 0,
        "status": status,
        "receiver": "kintsugi",
        "groupLabels": {"alertname": "HighErrorRate"},
        "commonLabels": {"alertname": "HighErrorRate"},
        "commonAnnotations": {"summary": "5xx above 2%"},
        "externalURL": "http://alertmanager.example:9093",
        "alerts": list(alerts),
    }
