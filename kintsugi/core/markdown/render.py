"""PostmortemDocument -> Markdown, in the one format that import reads back without loss.

Human first: the file reads like a post-mortem written by hand (GitHub and editors show
it well). Lossless second: wherever user text could pass for structure it is escaped
(see escaping.py), and values that a table cell cannot show (descriptions, reasons,
completion times) go to a details subsection under the table.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import yaml

from kintsugi.core.document import ActionItemEntry, PostmortemDocument, sort_action_items
from kintsugi.core.five_whys.markdown import render_analysis
from kintsugi.core.markdown.actions_section import DESCRIPTION_GUARD
from kintsugi.core.markdown.escaping import (
    MISSING,
    UNASSIGNED,
    escape_block,
    escape_cell,
    escape_heading_title,
    protect_value,
)
from kintsugi.core.markdown.factors_section import EVIDENCE_MARKER
from kintsugi.core.markdown.headings import EXPORT_TITLES
from kintsugi.core.markdown.links import render_link
from kintsugi.core.markdown.tables import render_table
from kintsugi.core.timeline import KeyEvent, compute_metrics
from kintsugi.core.timeparse import ensure_utc, format_duration

DERIVED_NOTE = "*Derived from the front matter and the timeline; edits here are ignored on import.*"
TIMELINE_HEADERS = ("Time (UTC)", "Kind", "Event", "Author", "Evidence")
ACTION_HEADERS = ("#", "Priority", "Action", "Owner", "Ticket", "Due", "Status", "Addresses")


def render_markdown(doc: PostmortemDocument) -> str:
    parts = [
        _front_matter(doc),
        f"# {_heading_text(doc.title)}",
        _summary(doc),
        _text_section("trigger", doc.trigger),
        _text_section("detection", doc.detection),
        _text_section("resolution", doc.resolution),
        _timeline(doc),
        _factors(doc),
        _section("analysis", render_analysis(doc.analysis).rstrip("\n")),
        _lessons(doc),
        _actions(doc),
    ]
    if doc.appendix:
        parts.append(f"## {EXPORT_TITLES['appendix']}\n\n{doc.appendix}")
    return "\n\n".join(part for part in parts if part) + "\n"


def format_time(moment: datetime) -> str:
    """``2026-03-01 14:02 UTC``; seconds and microseconds only when present, so that the
    export keeps every stored time exactly."""
    moment = ensure_utc(moment)
    text = moment.strftime("%Y-%m-%d %H:%M")
    if moment.second or moment.microsecond:
        text += moment.strftime(":%S")
    if moment.microsecond:
        text += moment.strftime(".%f")
    return text + " UTC"


def iso_utc(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return ensure_utc(moment).isoformat().replace("+00:00", "Z")


def _one_line(text: str) -> str:
    # Documents from the app are validated; this only keeps a bad one from breaking layout.
    return " ".join(text.split("\n"))


def _heading_text(text: str) -> str:
    return escape_heading_title(_one_line(text))


def header_fields(doc: PostmortemDocument) -> dict[str, Any]:
    """The document's header as plain values: the Markdown front matter, and the first
    fields of the JSON export (both formats name and write them the same way)."""
    return {
        "id": doc.id,
        "title": doc.title,
        "severity": doc.severity.value,
        "status": doc.status.value,
        "started_at": iso_utc(doc.started_at),
        "ended_at": iso_utc(doc.ended_at),
        "team": doc.team,
        "services": list(doc.services),
        "regions": list(doc.regions),
        "authors": list(doc.authors),
    }


def _front_matter(doc: PostmortemDocument) -> str:
    """Our keys; the access and provenance keys only when they say something, so a file of
    an ordinary post-mortem stays short (a missing key reads back as the same default)."""
    data = {**header_fields(doc), "title": _one_line(doc.title)}
    head: dict[str, Any] = {"id": data.pop("id")}
    if doc.version is not None:
        head["version"] = doc.version
    if doc.revision is not None:
        head["revision"] = doc.revision
    data = {**head, **data}
    if doc.restricted:
        data["restricted"] = True
    if doc.members:
        data["members"] = list(doc.members)
    if doc.source_metadata:
        data["source_metadata"] = doc.source_metadata
    dumped = yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, default_flow_style=None, width=1_000_000
    )
    return f"---\n{dumped}---"


def _section(key: str, *bodies: str) -> str:
    return "\n\n".join([f"## {EXPORT_TITLES[key]}", *(body for body in bodies if body)])


def _subsection(title: str, *bodies: str) -> str:
    return "\n\n".join([f"### {title}", *(body for body in bodies if body)])


def _text_section(key: str, text: str) -> str:
    return _section(key, escape_block(text))


def _duration(seconds: float | None) -> str:
    return "unknown" if seconds is None else format_duration(seconds)


def _summary(doc: PostmortemDocument) -> str:
    metrics = compute_metrics(
        [KeyEvent(entry.kind, entry.at) for entry in doc.timeline],
        started_at=doc.started_at,
        ended_at=doc.ended_at,
    )
    derived = "\n".join(
        [
            f"- **Severity:** {doc.severity.value} — {doc.severity.definition}",
            f"- **Downtime:** {_duration(metrics.downtime)}",
            f"- **Time to detect:** {_duration(metrics.time_to_detect)}",
            f"- **Time to acknowledge:** {_duration(metrics.time_to_acknowledge)}",
            f"- **Time to mitigate:** {_duration(metrics.time_to_mitigate)}",
            f"- **Time to resolve:** {_duration(metrics.time_to_resolve)}",
        ]
    )
    return _section(
        "summary",
        escape_block(doc.summary),
        _subsection(EXPORT_TITLES["impact"], escape_block(doc.impact)),
        _subsection(EXPORT_TITLES["derived"], DERIVED_NOTE, derived),
    )


def list_item(text: str, marker: str = "-") -> str:
    """A list item whose continuation lines are indented under its first line."""
    lines = escape_block(text, strict=True).split("\n")
    indent = " " * (len(marker) + 1)
    rest = [indent + line if line else "" for line in lines[1:]]
    return "\n".join([f"{marker} {lines[0]}", *rest])


def _optional_cell(value: str | None, missing: str = MISSING) -> str:
    return missing if value is None else escape_cell(protect_value(value))


def _timeline(doc: PostmortemDocument) -> str:
    rows = [
        [
            format_time(entry.at),
            entry.kind.label,
            escape_cell(entry.text),
            _optional_cell(entry.author),
            MISSING
            if entry.evidence_url is None
            else escape_cell(render_link("", entry.evidence_url)),
        ]
        for entry in doc.timeline
    ]
    return _section("timeline", render_table(TIMELINE_HEADERS, rows))


def _factors(doc: PostmortemDocument) -> str:
    parts = []
    for number, factor in enumerate(doc.factors, start=1):
        evidence = ""
        if factor.evidence:
            links = "\n".join(
                list_item(f"{link.kind.value}: {render_link(_one_line(link.label), link.url)}")
                for link in factor.evidence
            )
            evidence = f"Evidence:\n\n{links}"
        parts.append(
            _subsection(
                f"F{number}. {_heading_text(factor.title)}",
                escape_block(factor.description, markers=[EVIDENCE_MARKER]),
                evidence,
            )
        )
    return _section("factors", *parts)


def _lessons(doc: PostmortemDocument) -> str:
    lists = (
        ("went_well", doc.lessons.went_well),
        ("went_poorly", doc.lessons.went_poorly),
        ("got_lucky", doc.lessons.got_lucky),
    )
    return _section(
        "lessons",
        *(
            _subsection(EXPORT_TITLES[key], "\n".join(list_item(item) for item in items))
            for key, items in lists
        ),
    )


def _ticket_cell(item: ActionItemEntry) -> str:
    if item.ticket_url is not None:
        return escape_cell(render_link(item.ticket_id or "", item.ticket_url))
    return _optional_cell(item.ticket_id)


def _details(number: int, item: ActionItemEntry) -> str:
    if not (item.description or item.status_reason or item.completed_at):
        return ""
    facts = []
    if item.completed_at is not None:
        facts.append(list_item(f"Completed: {format_time(item.completed_at)}"))
    if item.status_reason:
        facts.append(list_item(f"Status reason: {item.status_reason}"))
    return _subsection(
        f"A{number}. {_heading_text(item.title)}",
        "\n".join(facts),
        escape_block(item.description, markers=[DESCRIPTION_GUARD]),
    )


def _actions(doc: PostmortemDocument) -> str:
    items = sort_action_items(doc.action_items)
    rows = [
        [
            f"A{number}",
            item.priority.value,
            escape_cell(_one_line(item.title)),
            _optional_cell(item.owner, UNASSIGNED),
            _ticket_cell(item),
            MISSING if item.due_on is None else item.due_on.isoformat(),
            item.status.label,
            MISSING if item.addresses is None else f"F{item.addresses}",
        ]
        for number, item in enumerate(items, start=1)
    ]
    details = [_details(number, item) for number, item in enumerate(items, start=1)]
    return _section("actions", render_table(ACTION_HEADERS, rows), *details)
