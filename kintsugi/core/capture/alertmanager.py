"""Prometheus Alertmanager's webhook payload (version 4).

An alert group (``groupKey``) is one incident; each alert (``fingerprint``) contributes a
firing event at ``startsAt`` and, once resolved, an event at ``endsAt``. A resolved alert's
payload still carries its ``startsAt``, so a firing delivery that was lost is recovered from
the resolved one. Keys are ``fingerprint@startsAt:status``: Alertmanager repeats a group every
``repeat_interval`` and on every change, and those repeats add nothing.

The last alert to resolve, when the whole group is resolved, marks full recovery; earlier
resolutions are notes (one alert of several clearing is not the end of the incident).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kintsugi.core.capture.model import (
    MAX_EVENTS,
    CapturedBatch,
    CapturedEvent,
    describe_pairs,
    fit,
    fit_key,
    fit_title,
    load_json_object,
    need,
    optional_text,
    parse_time,
    string_map,
    web_link,
)
from kintsugi.core.capture.severity import map_severity
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.timeline import EventKind

SUPPORTED_VERSION = "4"


def _alert_text(verb: str, labels: Mapping[str, str], annotations: Mapping[str, str]) -> str:
    name = labels.get("alertname", "alert")
    headline = annotations.get("summary") or annotations.get("description") or ""
    parts = [f"Alert {verb}: {name}" + (f" — {headline}" if headline else "")]
    if labels:
        parts.append(f"Labels: {describe_pairs(labels)}")
    if annotations:
        parts.append(f"Annotations: {describe_pairs(annotations)}")
    return fit("\n".join(parts))


def parse_alertmanager(
    body: bytes, *, severity_label: str, severity_map: Mapping[str, str]
) -> list[CapturedBatch]:
    data = load_json_object(body)
    version = data.get("version")
    if version != SUPPORTED_VERSION:
        raise ValidationProblem(
            f"Payload version {version!r} is not supported; Alertmanager sends version "
            f"{SUPPORTED_VERSION!r}.",
            field="version",
        )
    group_key = fit_key(need(data, "groupKey", str, ""))
    group_status = need(data, "status", str, "")
    if group_status not in ("firing", "resolved"):
        raise ValidationProblem("status must be 'firing' or 'resolved'.", field="status")
    alerts = need(data, "alerts", list, "")
    if not alerts:
        raise ValidationProblem("alerts must not be empty.", field="alerts")
    if len(alerts) > MAX_EVENTS:
        raise ValidationProblem(
            f"{len(alerts):,} alerts in one payload; the limit is {MAX_EVENTS:,} "
            "(set max_alerts in the receiver).",
            field="alerts",
        )
    common_labels = string_map(data.get("commonLabels"), "commonLabels")
    common_annotations = string_map(data.get("commonAnnotations"), "commonAnnotations")
    events: list[CapturedEvent] = []
    resolutions: list[CapturedEvent] = []
    severities: list[str] = []
    for index, raw in enumerate(alerts):
        where = f"alerts[{index}]."
        if not isinstance(raw, dict):
            raise ValidationProblem(f"alerts[{index}] must be an object.", field="alerts")
        alert: dict[str, Any] = raw
        status = need(alert, "status", str, where)
        if status not in ("firing", "resolved"):
            raise ValidationProblem(f"{where}status must be 'firing' or 'resolved'.")
        fingerprint = fit_key(need(alert, "fingerprint", str, where))
        labels = string_map(alert.get("labels"), f"{where}labels")
        annotations = string_map(alert.get("annotations"), f"{where}annotations")
        starts_at = parse_time(alert.get("startsAt"), f"{where}startsAt")
        link = web_link(optional_text(alert, "generatorURL", where))
        if severity_label in labels:
            severities.append(labels[severity_label])
        key = f"{fingerprint}@{starts_at.isoformat()}"
        events.append(
            CapturedEvent(
                key=f"{key}:firing",
                occurred_at=starts_at,
                kind=EventKind.ALERT_FIRED,
                text=_alert_text("firing", labels, annotations),
                evidence_url=link,
            )
        )
        if status == "resolved":
            ends_at = parse_time(alert.get("endsAt"), f"{where}endsAt")
            if ends_at < starts_at:
                raise ValidationProblem(f"{where}endsAt is before its startsAt.")
            resolutions.append(
                CapturedEvent(
                    key=f"{key}:resolved",
                    occurred_at=ends_at,
                    kind=EventKind.NOTE,
                    text=_alert_text("resolved", labels, annotations),
                    evidence_url=link,
                )
            )
    closes = group_status == "resolved" and len(resolutions) == len(alerts)
    if closes:
        last = max(resolutions, key=lambda event: event.occurred_at)
        resolutions = [
            CapturedEvent(e.key, e.occurred_at, EventKind.FULLY_RECOVERED, e.text, e.evidence_url)
            if e is last
            else e
            for e in resolutions
        ]
    name = common_labels.get("alertname") or (
        alerts[0].get("labels", {}).get("alertname") if isinstance(alerts[0], dict) else None
    )
    summary = common_annotations.get("summary", "")
    title = fit_title(" — ".join(part for part in (str(name or "Alert"), summary) if part))
    if severity_label in common_labels:
        severities.append(common_labels[severity_label])
    return [
        CapturedBatch(
            group_key=group_key,
            title=title,
            severity=map_severity(severities, severity_map),
            events=tuple(events + resolutions),
            closes=closes,
        )
    ]
