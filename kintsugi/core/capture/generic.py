"""The generic JSON webhook and CSV of events: for tools without a receiver of their own.

JSON shape (docs/integrations.md)::

    {"incident": {"key": "deploy-42", "title": "Checkout errors", "severity": "SEV2"},
     "events": [{"id": "e1", "occurred_at": "2026-03-01T14:02:00Z", "kind": "alert_fired",
                 "text": "5xx above 2%", "evidence_url": "https://grafana.example/d/1"}],
     "resolved": false}

CSV: a header row naming the columns ``occurred_at`` and ``text`` (required), and any of
``incident_key``, ``incident_title``, ``severity``, ``id``, ``kind``, ``evidence_url``.
Rows with the same ``incident_key`` join one incident.

An event without ``id`` is keyed by its time, kind and text, so sending the same file or
payload twice adds nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping
from typing import Any

from kintsugi.core.capture.model import (
    MAX_EVENTS,
    CapturedBatch,
    CapturedEvent,
    fit_key,
    fit_title,
    load_json_object,
    need,
    parse_time,
    web_link,
)
from kintsugi.core.document import MAX_SHORT_TEXT
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.timeline import parse_kind
from kintsugi.core.validation import clean_choice, clean_text
from kintsugi.core.vocabulary import Severity

CSV_COLUMNS = ("incident_key", "incident_title", "severity", "id", "occurred_at", "kind", "text")
CSV_COLUMNS_ALL = (*CSV_COLUMNS, "evidence_url")
DEFAULT_KEY = "default"


def _event(raw: Mapping[str, Any], where: str) -> CapturedEvent:
    occurred_at = parse_time(raw.get("occurred_at"), f"{where}occurred_at")
    kind_text = raw.get("kind") or "note"
    if not isinstance(kind_text, str):
        raise ValidationProblem(f"{where}kind must be a string.")
    try:
        kind = parse_kind(kind_text)
    except ValidationProblem as problem:
        raise ValidationProblem(f"{where}{problem.message}") from None
    text_value = raw.get("text")
    if not isinstance(text_value, str):
        raise ValidationProblem(f"{where}text must be a string.")
    try:
        text = clean_text(text_value, field="text", max_length=MAX_SHORT_TEXT, required=True)
    except ValidationProblem as problem:
        raise ValidationProblem(f"{where}{problem.message}") from None
    link = raw.get("evidence_url") or ""
    if not isinstance(link, str):
        raise ValidationProblem(f"{where}evidence_url must be a string.")
    evidence = web_link(link)
    if link.strip() and not evidence:
        raise ValidationProblem(f"{where}evidence_url must be a full http(s) address.")
    ident = raw.get("id")
    if ident is not None and not (isinstance(ident, str | int) and str(ident).strip()):
        raise ValidationProblem(f"{where}id must be a non-empty string.")
    if ident is None or str(ident).strip() == "":
        digest = hashlib.sha256(f"{occurred_at.isoformat()}|{kind}|{text}".encode()).hexdigest()
        key = f"hash:{digest}"
    else:
        key = f"id:{fit_key(str(ident).strip())}"
    return CapturedEvent(
        key=key, occurred_at=occurred_at, kind=kind, text=text, evidence_url=evidence
    )


def _severity(value: object, where: str) -> Severity | None:
    if value in (None, ""):
        return None
    try:
        return Severity(
            clean_choice(
                Severity,
                value,
                field="severity",
                label="severity",
                normalise=lambda s: s.strip().upper(),
            )
        )
    except ValidationProblem as problem:
        raise ValidationProblem(f"{where}{problem.message}") from None


def parse_generic(body: bytes) -> list[CapturedBatch]:
    data = load_json_object(body)
    incident = need(data, "incident", dict, "")
    key = fit_key(need(incident, "key", str, "incident."))
    title = incident.get("title") or key
    if not isinstance(title, str):
        raise ValidationProblem("incident.title must be a string.")
    events = need(data, "events", list, "")
    if len(events) > MAX_EVENTS:
        raise ValidationProblem(f"{len(events):,} events; the limit is {MAX_EVENTS:,}.")
    parsed = []
    for index, raw in enumerate(events):
        if not isinstance(raw, dict):
            raise ValidationProblem(f"events[{index}] must be an object.")
        parsed.append(_event(raw, f"events[{index}]."))
    resolved = data.get("resolved", False)
    if not isinstance(resolved, bool):
        raise ValidationProblem("resolved must be true or false.")
    return [
        CapturedBatch(
            group_key=key,
            title=fit_title(title),
            severity=_severity(incident.get("severity"), "incident."),
            events=tuple(parsed),
            closes=resolved,
        )
    ]


def parse_csv(body: bytes) -> list[CapturedBatch]:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationProblem("The CSV is not UTF-8 text.") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [name for name in ("occurred_at", "text") if name not in header]
    if missing:
        raise ValidationProblem(
            f"The CSV header lacks {', '.join(missing)}; columns: {', '.join(CSV_COLUMNS_ALL)}."
        )
    unknown = [name for name in header if name not in CSV_COLUMNS_ALL]
    if unknown:
        raise ValidationProblem(
            f"Unknown CSV column {unknown[0]!r}; use {', '.join(CSV_COLUMNS_ALL)}."
        )
    groups: dict[str, list[CapturedEvent]] = {}
    titles: dict[str, str] = {}
    severities: dict[str, Severity | None] = {}
    try:
        for number, row in enumerate(reader, start=2):
            if number - 1 > MAX_EVENTS:
                raise ValidationProblem(f"More than {MAX_EVENTS:,} rows; split the file.")
            if None in row:
                raise ValidationProblem(f"Row {number} has more cells than the header.")
            where = f"Row {number}: "
            key = fit_key((row.get("incident_key") or "").strip() or DEFAULT_KEY)
            groups.setdefault(key, []).append(_event(row, where))
            titles.setdefault(key, (row.get("incident_title") or "").strip() or key)
            if severities.get(key) is None:
                severities[key] = _severity(row.get("severity"), where)
    except csv.Error as error:
        raise ValidationProblem(f"The CSV cannot be read ({error}).") from None
    if not groups:
        raise ValidationProblem("The CSV has no rows.")
    return [
        CapturedBatch(
            group_key=key,
            title=fit_title(titles[key]),
            severity=severities.get(key),
            events=tuple(events),
        )
        for key, events in groups.items()
    ]
