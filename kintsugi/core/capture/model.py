"""What a captured payload becomes: events for one incident, each with a key that makes
re-delivery idempotent."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kintsugi.core.document import MAX_SHORT_TEXT, MAX_TITLE, MAX_URL
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.timeline import EventKind
from kintsugi.core.timeparse import parse_utc
from kintsugi.core.vocabulary import Severity

# A payload names at most this many events: Alertmanager's own default `max_alerts` is 0
# (unlimited), but a group of more alerts than this is a storm, not a timeline.
MAX_EVENTS = 1_000
MAX_KEY = 200


@dataclass(frozen=True)
class CapturedEvent:
    """One transition. ``key`` is unique per source and transition: the same alert firing
    at the same start, delivered twice, has the same key and is stored once."""

    key: str
    occurred_at: datetime
    kind: EventKind
    text: str
    evidence_url: str = ""


@dataclass(frozen=True)
class CapturedBatch:
    """Events for one incident. ``group_key`` says which incident they join (an Alertmanager
    group, a PagerDuty incident, the generic payload's incident key)."""

    group_key: str
    title: str
    severity: Severity | None
    events: tuple[CapturedEvent, ...]
    # True when the sender says the whole group is over (every alert resolved): the next
    # firing of the same group opens a new incident.
    closes: bool = False


def load_json_object(body: bytes) -> dict[str, Any]:
    """The payload as a JSON object, or a reason a person can act on."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationProblem("The body is not UTF-8 text.") from None
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ValidationProblem(f"The body is not valid JSON ({error}).") from None
    except RecursionError:
        raise ValidationProblem("The body's JSON is nested too deeply.") from None
    if not isinstance(data, dict):
        raise ValidationProblem("The body must be a JSON object.")
    return data


def need(data: Mapping[str, Any], name: str, kind: type, where: str) -> Any:
    """``data[name]`` when present and of ``kind``, else a message naming the path."""
    value = data.get(name)
    if not isinstance(value, kind) or (kind is str and not value):
        labels: dict[type, str] = {str: "a non-empty string", dict: "an object", list: "a list"}
        label = labels.get(kind, "set")
        raise ValidationProblem(f"{where}{name} must be {label}.", field=name)
    return value


def optional_text(data: Mapping[str, Any], name: str, where: str) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationProblem(f"{where}{name} must be a string.", field=name)
    return value


def string_map(value: object, where: str) -> dict[str, str]:
    """Labels and annotations: a JSON object of strings (others are refused, not guessed)."""
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValidationProblem(f"{where} must be an object of strings.")
    return dict(value)


def parse_time(text: object, where: str) -> datetime:
    """RFC 3339 with an explicit zone; nanoseconds (Go's format) are cut to microseconds."""
    if not isinstance(text, str):
        raise ValidationProblem(f"{where} must be a time string.")
    stamp = text.strip()
    if "." in stamp:
        head, _, tail = stamp.partition(".")
        digits = len(tail) - len(tail.lstrip("0123456789"))
        stamp = f"{head}.{tail[: min(digits, 6)]}{tail[digits:]}"
    try:
        return parse_utc(stamp, field=where)
    except ValidationProblem as problem:
        raise ValidationProblem(f"{where}: {problem.message}", field=where) from None


def fit(text: str, limit: int = MAX_SHORT_TEXT) -> str:
    """Keep text within a column, marking the cut; control characters become spaces."""
    clean = "".join(c if c >= " " or c in "\n\t" else " " for c in text).strip()
    return clean if len(clean) <= limit else clean[: limit - 1].rstrip() + "…"


def fit_title(text: str) -> str:
    return fit(" ".join(text.split()), MAX_TITLE) or "Captured incident"


def fit_key(text: str) -> str:
    if len(text) > MAX_KEY:
        raise ValidationProblem(f"An identifier is longer than {MAX_KEY} characters.")
    return text


def web_link(text: str) -> str:
    """An http(s) link kept as evidence; anything else (javascript:, relative) is dropped."""
    link = text.strip()
    if len(link) > MAX_URL or any(c.isspace() for c in link):
        return ""
    scheme, _, rest = link.partition("://")
    return link if scheme.lower() in ("http", "https") and rest else ""


def describe_pairs(pairs: Mapping[str, str]) -> str:
    return ", ".join(f"{name}={value}" for name, value in sorted(pairs.items()))
