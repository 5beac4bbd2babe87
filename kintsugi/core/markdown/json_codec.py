"""PostmortemDocument <-> JSON-safe dict: the API's and ``kintsugi export --format json``'s
exchange form. Times are ISO 8601 strings in UTC with a ``Z``, dates ``YYYY-MM-DD``,
vocabularies by value (``SEV2``, ``in_progress``). Reading checks types here and values in
validate.normalise_document, with the same rules and messages as the Markdown import.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar

from kintsugi.core.document import (
    ActionItemEntry,
    ContributingFactor,
    EvidenceLink,
    Lessons,
    PostmortemDocument,
    TimelineEntry,
)
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.five_whys.codec import tree_from_dict, tree_to_dict
from kintsugi.core.five_whys.tree import WhyTree
from kintsugi.core.markdown.fields import (
    normalise_newlines,
    parse_action_status,
    parse_evidence_kind,
    parse_postmortem_status,
    parse_priority,
    parse_severity,
)
from kintsugi.core.markdown.problems import Collector
from kintsugi.core.markdown.render import header_fields, iso_utc
from kintsugi.core.markdown.validate import normalise_document
from kintsugi.core.timeline import EventKind, parse_kind
from kintsugi.core.timeparse import parse_date, parse_utc
from kintsugi.core.vocabulary import EvidenceKind

FORMAT = "kintsugi.postmortem"
VERSION = 1

T = TypeVar("T")


def document_to_dict(doc: PostmortemDocument) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        **header_fields(doc),
        # "version" is the format's: the incident's version has its own name here.
        "incident_version": doc.version,
        "incident_revision": doc.revision,
        "restricted": doc.restricted,
        "members": list(doc.members),
        "source_metadata": doc.source_metadata,
        "summary": doc.summary,
        "impact": doc.impact,
        "trigger": doc.trigger,
        "detection": doc.detection,
        "resolution": doc.resolution,
        "timeline": [
            {
                "at": iso_utc(entry.at),
                "kind": entry.kind.value,
                "text": entry.text,
                "author": entry.author,
                "evidence_url": entry.evidence_url,
            }
            for entry in doc.timeline
        ],
        "factors": [
            {
                "title": factor.title,
                "description": factor.description,
                "evidence": [
                    {"kind": link.kind.value, "url": link.url, "label": link.label}
                    for link in factor.evidence
                ],
            }
            for factor in doc.factors
        ],
        "analysis": tree_to_dict(doc.analysis),
        "lessons": {
            "went_well": list(doc.lessons.went_well),
            "went_poorly": list(doc.lessons.went_poorly),
            "got_lucky": list(doc.lessons.got_lucky),
        },
        "action_items": [
            {
                "title": item.title,
                "priority": item.priority.value,
                "owner": item.owner,
                "ticket_id": item.ticket_id,
                "ticket_url": item.ticket_url,
                "due_on": None if item.due_on is None else item.due_on.isoformat(),
                "status": item.status.value,
                "status_reason": item.status_reason,
                "description": item.description,
                "addresses": item.addresses,
                "completed_at": iso_utc(item.completed_at),
            }
            for item in doc.action_items
        ],
        "appendix": doc.appendix,
    }


class _Reader:
    """Typed access to a JSON object, recording problems under their path."""

    def __init__(self, problems: Collector):
        self.problems = problems

    def fail(self, message: str, path: str) -> None:
        self.problems.add(message, field=path)

    def object(self, data: object, path: str, keys: tuple[str, ...]) -> Mapping[str, Any]:
        if not isinstance(data, Mapping):
            self.fail("Expected a JSON object.", path)
            return {}
        for key in data:
            if key not in keys:
                self.fail(
                    f"Unknown key {key!r}; the keys are: {', '.join(keys)}.", _join(path, key)
                )
        return data

    def text(self, data: Mapping[str, Any], key: str, path: str) -> str:
        value = data.get(key, "")
        if value is None:
            return ""
        if not isinstance(value, str):
            self.fail("Expected a string.", _join(path, key))
            return ""
        return normalise_newlines(value)

    def optional_text(self, data: Mapping[str, Any], key: str, path: str) -> str | None:
        if data.get(key) is None:
            return None
        return self.text(data, key, path).strip() or None

    def strings(self, data: Mapping[str, Any], key: str, path: str) -> list[str]:
        value = data.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.fail("Expected a list of strings.", _join(path, key))
            return []
        return [normalise_newlines(item) for item in value]

    def items(self, data: Mapping[str, Any], key: str, path: str) -> list[Any]:
        value = data.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail("Expected a list.", _join(path, key))
            return []
        return value

    def parsed(
        self, data: Mapping[str, Any], key: str, path: str, parse: Callable[[str], T], default: T
    ) -> T:
        value = data.get(key)
        if value is None:
            return default
        if not isinstance(value, str):
            self.fail("Expected a string.", _join(path, key))
            return default
        try:
            return parse(value)
        except ValidationProblem as problem:
            self.fail(problem.message, _join(path, key))
            return default

    def boolean(self, data: Mapping[str, Any], key: str, path: str) -> bool:
        value = data.get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.fail("Expected true or false.", _join(path, key))
            # A restricted post-mortem must never come back visible to everyone.
            return True
        return value

    def mapping(self, data: Mapping[str, Any], key: str, path: str) -> dict[str, Any]:
        value = data.get(key)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.fail("Expected a JSON object.", _join(path, key))
            return {}
        return dict(value)

    def integer(self, data: Mapping[str, Any], key: str, path: str) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail("Expected a whole number.", _join(path, key))
            return None
        return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


_DOCUMENT_KEYS = (
    "format",
    "version",
    "id",
    "title",
    "severity",
    "status",
    "started_at",
    "ended_at",
    "team",
    "services",
    "regions",
    "authors",
    "incident_version",
    "incident_revision",
    "restricted",
    "members",
    "source_metadata",
    "summary",
    "impact",
    "trigger",
    "detection",
    "resolution",
    "timeline",
    "factors",
    "analysis",
    "lessons",
    "action_items",
    "appendix",
)


def _moment(text: str) -> datetime:
    return parse_utc(text)


def _timeline(read: _Reader, data: Mapping[str, Any]) -> list[TimelineEntry]:
    entries = []
    for index, raw in enumerate(read.items(data, "timeline", "")):
        path = f"timeline[{index}]"
        entry = read.object(raw, path, ("at", "kind", "text", "author", "evidence_url"))
        at = read.parsed(entry, "at", path, _moment, None)
        if at is None:
            read.fail("Every timeline event needs a time ('at').", f"{path}.at")
            continue
        entries.append(
            TimelineEntry(
                at=at,
                kind=read.parsed(entry, "kind", path, parse_kind, EventKind.NOTE),
                text=read.text(entry, "text", path),
                author=read.optional_text(entry, "author", path),
                evidence_url=read.optional_text(entry, "evidence_url", path),
            )
        )
    return entries


def _factors(read: _Reader, data: Mapping[str, Any]) -> list[ContributingFactor]:
    factors = []
    for index, raw in enumerate(read.items(data, "factors", "")):
        path = f"factors[{index}]"
        factor = read.object(raw, path, ("title", "description", "evidence"))
        evidence = []
        for number, raw_link in enumerate(read.items(factor, "evidence", path)):
            link_path = f"{path}.evidence[{number}]"
            link = read.object(raw_link, link_path, ("kind", "url", "label"))
            kind = read.parsed(link, "kind", link_path, parse_evidence_kind, None)
            evidence.append(
                EvidenceLink(
                    kind=kind if kind is not None else EvidenceKind.OTHER,
                    url=read.text(link, "url", link_path),
                    label=read.text(link, "label", link_path),
                )
            )
        factors.append(
            ContributingFactor(
                title=read.text(factor, "title", path),
                description=read.text(factor, "description", path),
                evidence=evidence,
            )
        )
    return factors


_ACTION_KEYS = (
    "title",
    "priority",
    "owner",
    "ticket_id",
    "ticket_url",
    "due_on",
    "status",
    "status_reason",
    "description",
    "addresses",
    "completed_at",
)


def _actions(read: _Reader, data: Mapping[str, Any]) -> list[ActionItemEntry]:
    items = []
    for index, raw in enumerate(read.items(data, "action_items", "")):
        path = f"action_items[{index}]"
        item = read.object(raw, path, _ACTION_KEYS)
        defaults = ActionItemEntry(title="")
        items.append(
            ActionItemEntry(
                title=read.text(item, "title", path),
                priority=read.parsed(item, "priority", path, parse_priority, defaults.priority),
                owner=read.optional_text(item, "owner", path),
                ticket_id=read.optional_text(item, "ticket_id", path),
                ticket_url=read.optional_text(item, "ticket_url", path),
                due_on=read.parsed(item, "due_on", path, parse_date, None),
                status=read.parsed(item, "status", path, parse_action_status, defaults.status),
                status_reason=read.text(item, "status_reason", path),
                description=read.text(item, "description", path),
                addresses=read.integer(item, "addresses", path),
                completed_at=read.parsed(item, "completed_at", path, _moment, None),
            )
        )
    return items


def _analysis(read: _Reader, data: Mapping[str, Any]) -> WhyTree:
    try:
        return tree_from_dict(data.get("analysis"))
    except ValidationProblem as problem:
        read.problems.record(problem)
        return WhyTree()


def document_from_dict(data: Mapping[str, Any]) -> PostmortemDocument:
    """Build and check a document; raise ProblemList naming each bad field by its path."""
    problems = Collector()
    read = _Reader(problems)
    top = read.object(data, "", _DOCUMENT_KEYS)
    if top.get("format", FORMAT) != FORMAT or top.get("version", VERSION) != VERSION:
        read.fail(f"This is not a {FORMAT} version {VERSION} document.", "format")
    lessons = read.object(
        top.get("lessons") or {}, "lessons", ("went_well", "went_poorly", "got_lucky")
    )
    defaults = PostmortemDocument(title="")
    doc = PostmortemDocument(
        title=read.text(top, "title", ""),
        severity=read.parsed(top, "severity", "", parse_severity, defaults.severity),
        status=read.parsed(top, "status", "", parse_postmortem_status, defaults.status),
        id=read.integer(top, "id", ""),
        started_at=read.parsed(top, "started_at", "", _moment, None),
        ended_at=read.parsed(top, "ended_at", "", _moment, None),
        team=read.optional_text(top, "team", ""),
        services=read.strings(top, "services", ""),
        regions=read.strings(top, "regions", ""),
        authors=read.strings(top, "authors", ""),
        version=read.integer(top, "incident_version", ""),
        revision=read.optional_text(top, "incident_revision", ""),
        restricted=read.boolean(top, "restricted", ""),
        members=read.strings(top, "members", ""),
        source_metadata=read.mapping(top, "source_metadata", ""),
        summary=read.text(top, "summary", ""),
        impact=read.text(top, "impact", ""),
        trigger=read.text(top, "trigger", ""),
        detection=read.text(top, "detection", ""),
        resolution=read.text(top, "resolution", ""),
        timeline=_timeline(read, top),
        factors=_factors(read, top),
        analysis=_analysis(read, top),
        lessons=Lessons(
            went_well=read.strings(lessons, "went_well", "lessons"),
            went_poorly=read.strings(lessons, "went_poorly", "lessons"),
            got_lucky=read.strings(lessons, "got_lucky", "lessons"),
        ),
        action_items=_actions(read, top),
        appendix=read.text(top, "appendix", ""),
    )
    try:
        doc = normalise_document(doc)
    except ValidationProblem as problem:
        problems.record(problem)
    problems.raise_if_any()
    return doc
