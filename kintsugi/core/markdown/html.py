"""A post-mortem as one standalone HTML page: readable on screen, clean on paper.

No scripts, no external assets (fonts, CSS, images, CDNs): the file opens offline, in a
mail client or an archive years later, and prints well (``@media print``). A
Content-Security-Policy in the page forbids everything but its inline style, as a second
wall behind the sanitizer. Every user value is either escaped (titles, names, cells) or
rendered as Markdown and sanitized (see safe_html.py).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape

from kintsugi.core.document import (
    ActionItemEntry,
    ContributingFactor,
    PostmortemDocument,
    sort_action_items,
)
from kintsugi.core.markdown.five_whys_html import STYLE as ANALYSIS_STYLE
from kintsugi.core.markdown.five_whys_html import render_analysis_html
from kintsugi.core.markdown.headings import EXPORT_TITLES
from kintsugi.core.markdown.render import format_time
from kintsugi.core.markdown.safe_html import render_user_markdown
from kintsugi.core.timeline import KeyEvent, compute_metrics
from kintsugi.core.timeparse import format_duration

_STYLE = """
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --line: #d9d9de;
  --gold: #b8860b; --missing: #b3261e; }
* { box-sizing: border-box; }
body { font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); max-width: 60rem; margin: 2rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.8rem; margin: 0 0 .5rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; padding-bottom: .2rem;
  border-bottom: 2px solid var(--gold); }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .3rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem;
  margin: 0 0 1rem; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
th, td { border: 1px solid var(--line); padding: .3rem .45rem; text-align: left;
  vertical-align: top; overflow-wrap: break-word; hyphens: auto; }
td a, td code { overflow-wrap: anywhere; }
th { background: #f5f5f7; }
td p { margin: 0 0 .3rem; } td p:last-child { margin: 0; }
.missing { color: var(--missing); font-weight: 600; }
.empty { color: var(--muted); font-style: italic; }
.derived { color: var(--muted); font-size: .9rem; }
.kind { font-variant: small-caps; color: var(--muted); }
.sev { display: inline-block; padding: 0 .4rem; border-radius: .25rem; color: #fff;
  font-weight: 600; }
.sev-SEV1 { background: #b3261e; } .sev-SEV2 { background: #c25e00; }
.sev-SEV3 { background: #8a6d00; } .sev-SEV4 { background: #44546a; }
pre { background: #f5f5f7; padding: .6rem; overflow-x: auto; white-space: pre-wrap; }
blockquote { margin: 0 0 .5rem; padding-left: .8rem; border-left: 3px solid var(--line); }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; }
@page { margin: 18mm 15mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  h2, h3 { break-after: avoid; }
  tr, li, pre, blockquote { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; }
  a[href^="http"]::after { content: " <" attr(href) ">"; font-size: 85%;
    color: var(--muted); overflow-wrap: anywhere; }
  .sev { color: #000; border: 1px solid #000; background: none; }
}
"""

# The PDF lays the two long lists (timeline, action items) out as paragraphs, not tables,
# and leaves out what makes WeasyPrint's line breaking expensive (automatic hyphenation, the
# printed URL after every link, break-anywhere widths). WeasyPrint's cost grows with the
# boxes and the runs of text it lays out, so each event is one paragraph whose facts run
# into its text with no element of their own, and its link comes last (a link in the middle
# splits the text around it into two more runs): a 500-event timeline costs WeasyPrint
# about a fifth of the work of the table, and a quarter less than a block per event with
# its facts on a line of their own (docs/operations.md).
_PDF_STYLE = """
th, td { hyphens: manual; }
td a, td code { overflow-wrap: break-word; }
@media print { a[href^="http"]::after { content: none; } }
.entry { margin: 0 0 .45rem; }
.entry > p { margin: 0; }
#timeline p.entry { padding-left: 1.5em; text-indent: -1.5em; }
#actions h3 { margin: .6rem 0 0; }
"""


@dataclass(frozen=True)
class DisplayNames:
    """Names for the slugs and usernames a document carries. The Markdown and JSON keep the
    identifiers (import resolves them), but a page people read shows the team's and the
    services' names and people's full names; anything not mapped is shown as it is."""

    teams: Mapping[str, str] = field(default_factory=dict)
    services: Mapping[str, str] = field(default_factory=dict)
    people: Mapping[str, str] = field(default_factory=dict)


def export_policy(style: str | None = None) -> str:
    """The Content Security Policy of the standalone page: nothing loads, no script runs,
    and the one embedded stylesheet is allowed by its hash (never inline style in general,
    so markup that slipped through escaping could not style itself either)."""
    css = _STYLE + ANALYSIS_STYLE if style is None else style
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return f"default-src 'none'; style-src 'sha256-{digest}'; img-src data:; form-action 'none'"


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _missing(label: str) -> str:
    return f'<span class="missing">{_text(label)}</span>'


def _link(url: str, label: str = "") -> str:
    """A link only to http(s), whatever the document says; anything else is shown as text."""
    if not url.lower().startswith(("http://", "https://")):
        return _text(label or url)
    return f'<a href="{_text(url)}" rel="noopener noreferrer">{_text(label or url)}</a>'


def _markdown(text: str, empty: str = "Not written yet.") -> str:
    return render_user_markdown(text) if text.strip() else f'<p class="empty">{empty}</p>'


def _section(key: str, *body: str) -> str:
    return (
        f'<section id="{key}">\n<h2>{EXPORT_TITLES[key]}</h2>\n' + "\n".join(body) + "\n</section>"
    )


def _table(headers: tuple[str, ...], rows: list[list[str]], empty: str) -> str:
    if not rows:
        return f'<p class="empty">{empty}</p>'
    head = "".join(f'<th scope="col">{_text(header)}</th>' for header in headers)
    body = "\n".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def _names(values: list[str], names: Mapping[str, str]) -> str:
    return _text(", ".join(names.get(value) or value for value in values))


def _person(value: str | None, names: DisplayNames) -> str | None:
    return (names.people.get(value) or value) if value else None


def _severity(doc: PostmortemDocument) -> str:
    """The definitions open with the severity's name (they are shown alone elsewhere), which
    after the label would read "SEV2 - Major: Major: ..."; it is said once."""
    label = doc.severity.label
    name = label.rpartition(" - ")[2]
    definition = doc.severity.definition.removeprefix(f"{name}: ")
    return f"{_text(label)}: {_text(definition)}"


def _meta(doc: PostmortemDocument, names: DisplayNames) -> str:
    team = (names.teams.get(doc.team) or doc.team) if doc.team else None
    facts = [
        (
            "Severity",
            f'<span class="sev sev-{doc.severity.value}">{_text(doc.severity.label)}</span>',
        ),
        ("Status", _text(doc.status.label)),
        ("Started", _text(format_time(doc.started_at)) if doc.started_at else _missing("not set")),
        ("Ended", _text(format_time(doc.ended_at)) if doc.ended_at else _missing("not set")),
        ("Team", _text(team) if team else _missing("none")),
        ("Services", _names(doc.services, names.services) if doc.services else _missing("none")),
        ("Regions", _text(", ".join(doc.regions)) if doc.regions else "—"),
        ("Authors", _names(doc.authors, names.people) if doc.authors else _missing("none")),
    ]
    if doc.restricted:
        # A printed or forwarded page must say that it is not for everyone.
        members = f" Members: {_names(doc.members, names.people)}." if doc.members else ""
        facts.insert(0, ("Access", f"<strong>Restricted</strong>: confidential.{members}"))
    if doc.id is not None:
        facts.insert(0, ("Incident", f"#{doc.id}"))
    rows = "\n".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in facts)
    return f'<dl class="meta">\n{rows}\n</dl>'


def _summary(doc: PostmortemDocument) -> str:
    metrics = compute_metrics(
        [KeyEvent(entry.kind, entry.at) for entry in doc.timeline],
        started_at=doc.started_at,
        ended_at=doc.ended_at,
    )

    def duration(seconds: float | None) -> str:
        return _text(format_duration(seconds)) if seconds is not None else _missing("unknown")

    figures = [
        ["Severity", _severity(doc)],
        ["Downtime", duration(metrics.downtime)],
        ["Time to detect", duration(metrics.time_to_detect)],
        ["Time to acknowledge", duration(metrics.time_to_acknowledge)],
        ["Time to mitigate", duration(metrics.time_to_mitigate)],
        ["Time to resolve", duration(metrics.time_to_resolve)],
    ]
    table = "\n".join(f"<tr><th>{name}</th><td>{value}</td></tr>" for name, value in figures)
    return _section(
        "summary",
        _markdown(doc.summary),
        "<h3>Impact</h3>",
        _markdown(doc.impact),
        f'<table class="metrics">\n{table}\n</table>',
        '<p class="derived">Computed from the timeline (see Incident Timeline).</p>',
    )


def _timeline(doc: PostmortemDocument, names: DisplayNames) -> str:
    rows = [
        [
            _text(format_time(entry.at)),
            _text(entry.kind.label),
            render_user_markdown(entry.text),
            _text(_person(entry.author, names)) if entry.author else "—",
            _link(entry.evidence_url, "evidence") if entry.evidence_url else "—",
        ]
        for entry in doc.timeline
    ]
    headers = ("Time (UTC)", "Kind", "Event", "Author", "Evidence")
    return _section("timeline", _table(headers, rows, "No events yet."))


# Tags that make a rendering more than one paragraph of text; the PDF keeps such a text as
# blocks (see _one_paragraph).
_BLOCK_TAG = re.compile(r"<(?:p|pre|h[1-6]|ul|ol|li|blockquote|table|hr)\b")


def _one_paragraph(rendered: str) -> str | None:
    """The inside of sanitized HTML that is one paragraph (most events and descriptions),
    so that the PDF can run it on from its facts; None for anything else."""
    rendered = rendered.strip()
    if not (rendered.startswith("<p>") and rendered.endswith("</p>")):
        return None
    inside = rendered[3:-4]
    return None if "</p>" in inside or _BLOCK_TAG.search(inside) else inside


def _facts(*parts: str) -> str:
    return " · ".join(part for part in parts if part)


def _entry(facts: str, rendered: str, link: str = "") -> str:
    """One event or action item of the PDF: its facts and its text as one paragraph (one
    block, fewest lines, one run of plain text from the facts into the text), the link last
    so that it does not split that run; a text of several blocks goes under its facts."""
    link = f" {link}" if link else ""
    inside = _one_paragraph(rendered)
    if inside is not None or not rendered.strip():
        text = f" — {inside}" if inside else ""
        return f'<p class="entry">{facts}{text}{link}</p>'
    return f'<div class="entry"><p>{facts}{link}</p>\n{rendered}</div>'


def _timeline_entries(doc: PostmortemDocument, names: DisplayNames) -> str:
    """The timeline for the PDF: each event as one paragraph, "time · kind · author — text",
    its evidence link at the end (see _PDF_STYLE for why)."""
    if not doc.timeline:
        return _section("timeline", '<p class="empty">No events yet.</p>')
    entries = "\n".join(
        _entry(
            _facts(
                _text(format_time(entry.at)),
                _text(entry.kind.label),
                _text(_person(entry.author, names)) if entry.author else "",
            ),
            render_user_markdown(entry.text),
            _link(entry.evidence_url, "[evidence]") if entry.evidence_url else "",
        )
        for entry in doc.timeline
    )
    return _section("timeline", entries)


def _factor(number: int, factor: ContributingFactor) -> str:
    evidence = ""
    if factor.evidence:
        items = "\n".join(
            f'<li><span class="kind">{_text(link.kind.label)}</span> {_link(link.url, link.label)}</li>'
            for link in factor.evidence
        )
        evidence = f'<p>Evidence:</p>\n<ul class="evidence">\n{items}\n</ul>'
    return (
        f'<article id="F{number}">\n<h3>F{number}. {_text(factor.title)}</h3>\n'
        f"{_markdown(factor.description, 'No description.')}\n{evidence}\n</article>"
    )


def _lessons(doc: PostmortemDocument) -> str:
    parts = []
    for key, items in (
        ("went_well", doc.lessons.went_well),
        ("went_poorly", doc.lessons.went_poorly),
        ("got_lucky", doc.lessons.got_lucky),
    ):
        parts.append(f"<h3>{EXPORT_TITLES[key]}</h3>")
        if items:
            lis = "\n".join(f"<li>{render_user_markdown(item)}</li>" for item in items)
            parts.append(f"<ul>\n{lis}\n</ul>")
        else:
            parts.append('<p class="empty">Nothing noted.</p>')
    return _section("lessons", *parts)


def _ticket(item: ActionItemEntry) -> str:
    if item.ticket_url:
        return _link(item.ticket_url, item.ticket_id or "ticket")
    return _text(item.ticket_id) if item.ticket_id else _missing("no ticket")


def _action_detail_parts(item: ActionItemEntry) -> list[str]:
    parts = []
    if item.completed_at:
        parts.append(f"<p>Completed: {_text(format_time(item.completed_at))}</p>")
    if item.status_reason:
        parts.append(f"<p>Status reason:</p>\n{render_user_markdown(item.status_reason)}")
    if item.description:
        parts.append(render_user_markdown(item.description))
    return parts


def _action_details(number: int, item: ActionItemEntry) -> str:
    parts = _action_detail_parts(item)
    if not parts:
        return ""
    return (
        f'<div id="A{number}">\n<h3>A{number}. {_text(item.title)}</h3>\n'
        + "\n".join(parts)
        + "\n</div>"
    )


def _actions(doc: PostmortemDocument, names: DisplayNames) -> str:
    items = sort_action_items(doc.action_items)
    rows = [
        [
            f"A{number}",
            _text(item.priority.label),
            _text(item.title),
            _text(_person(item.owner, names)) if item.owner else _missing("unassigned"),
            _ticket(item),
            _text(item.due_on.isoformat()) if item.due_on else _missing("no date"),
            _text(item.status.label),
            f'<a href="#F{item.addresses}">F{item.addresses}</a>' if item.addresses else "—",
        ]
        for number, item in enumerate(items, start=1)
    ]
    headers = ("#", "Priority", "Action", "Owner", "Ticket", "Due", "Status", "Addresses")
    details = [_action_details(number, item) for number, item in enumerate(items, start=1)]
    return _section(
        "actions", _table(headers, rows, "No action items yet."), *filter(None, details)
    )


def _action_entries(doc: PostmortemDocument, names: DisplayNames) -> str:
    """The action items for the PDF: each one's title as a heading (a bookmark), then its
    row's facts and its description as one paragraph; a status reason or a description of
    several blocks goes under the facts. No ``id="A1"`` anchors: nothing in the PDF links
    to them, and WeasyPrint's work for 100 of them is 3% of the whole PDF's."""
    items = sort_action_items(doc.action_items)
    if not items:
        return _section("actions", '<p class="empty">No action items yet.</p>')
    blocks = []
    for number, item in enumerate(items, start=1):
        facts = _facts(
            _text(item.priority.label),
            _text(item.status.label),
            "Owner: "
            + (_text(_person(item.owner, names)) if item.owner else _missing("unassigned")),
            "Ticket: " + _ticket(item),
            "Due: " + (_text(item.due_on.isoformat()) if item.due_on else _missing("no date")),
            f"Completed: {_text(format_time(item.completed_at))}" if item.completed_at else "",
            f'Addresses <a href="#F{item.addresses}">F{item.addresses}</a>'
            if item.addresses
            else "",
        )
        text = render_user_markdown(item.description) if item.description else ""
        if item.status_reason:
            reason = render_user_markdown(item.status_reason)
            text = f"<p>Status reason:</p>\n{reason}{text}"
        blocks.append(f"<h3>A{number}. {_text(item.title)}</h3>\n" + _entry(facts, text))
    return _section("actions", *blocks)


def render_html(
    doc: PostmortemDocument, names: DisplayNames | None = None, *, for_pdf: bool = False
) -> str:
    """The whole page as a string (UTF-8 when saved); ``names`` come from the installation
    (the document itself carries only slugs and usernames). ``for_pdf`` is the same page
    laid out for WeasyPrint: the long lists as blocks (see ``_PDF_STYLE``)."""
    names = names or DisplayNames()
    timeline, actions = (_timeline_entries, _action_entries) if for_pdf else (_timeline, _actions)
    style = _STYLE + ANALYSIS_STYLE + (_PDF_STYLE if for_pdf else "")
    factors = [_factor(number, factor) for number, factor in enumerate(doc.factors, start=1)]
    sections = [
        _summary(doc),
        _section("trigger", _markdown(doc.trigger)),
        _section("detection", _markdown(doc.detection)),
        _section("resolution", _markdown(doc.resolution)),
        timeline(doc, names),
        _section("factors", *(factors or ['<p class="empty">None recorded yet.</p>'])),
        _section("analysis", render_analysis_html(doc.analysis)),
        _lessons(doc),
        actions(doc, names),
    ]
    if doc.appendix.strip():
        sections.append(_section("appendix", render_user_markdown(doc.appendix)))
    title = _text(doc.title)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{export_policy(style)}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{title} — post-mortem</title>\n<style>{style}</style>\n</head>\n<body>\n"
        f"<header>\n<h1>{title}</h1>\n{_meta(doc, names)}\n</header>\n<main>\n"
        + "\n".join(sections)
        + "\n</main>\n<footer>Exported from Kintsugi. All times are UTC.</footer>\n</body>\n</html>\n"
    )
