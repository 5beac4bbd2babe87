"""Weekly review entries rendered in Python rather than by the template engine.

The review page shows up to 125 entries (25 in each of five sections); in the template
engine each cost some 500 function calls (a partial, a form, two tags, a URL), a third of
the page's time. The page and the "Mark reviewed" answer build the entry and its review
slot here, so there is one markup. Every user value goes through ``_e``
(``web.rows.escape_text``, the escaping of Django's ``escape``); the facts come from
``entry_facts``, which escapes them itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.urls import reverse

from kintsugi.core.debt.agenda import AgendaEntry
from kintsugi.core.debt.agenda_text import entry_facts, review_line
from kintsugi.web.rows import escape_text

_e = escape_text


def html_link(text: str, url: str) -> str:
    """Links for the page: http(s) or this site's own paths; anything else stays text."""
    if url.lower().startswith(("http://", "https://")) or (
        url.startswith("/") and not url.startswith("//")
    ):
        return f'<a href="{_e(url)}">{text}</a>'
    return text


def facts_html(entry: AgendaEntry, as_of: date) -> str:
    """The facts of one entry in the words of every other format, escaped."""
    return " · ".join(entry_facts(entry, as_of, _e, html_link))


def mark_url_maker() -> Callable[[int], str]:
    """``item id -> URL of "Mark reviewed"``, reversing the route once per page."""
    sentinel = 987654321987
    pattern = reverse("debt-mark-reviewed", args=[sentinel])
    head, tail = pattern.split(str(sentinel))
    return lambda item_id: f"{head}{int(item_id)}{tail}"


def review_slot(
    *, item_id: int, line: str | None, error: str, week: object, mark_url: str | None, csrf: str
) -> str:
    """The entry's review line and, for those who may mark (``mark_url``), the form.
    ``mark_url`` and ``csrf`` are ours and escaped here; ``line`` and ``error`` are text."""
    parts = [f'<div id="review-{item_id}" class="review-slot">']
    if line:
        parts.append(f'<p class="review-line" data-testid="review-line">{_e(line)}</p>')
    if error:
        parts.append(f'<p class="field-error" role="alert">{_e(error)}</p>')
    if mark_url is not None:
        url = _e(mark_url)
        parts.append(
            f'<form class="review-form no-print" method="post" action="{url}" hx-post="{url}" '
            f'hx-target="#review-{item_id}" hx-swap="outerHTML" data-testid="review-form">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{_e(csrf)}">'
            f'<input type="hidden" name="week" value="{_e(week)}">'
            f'<label class="visually-hidden" for="note-{item_id}">Review note</label>'
            f'<input type="text" id="note-{item_id}" name="note" maxlength="2000" '
            'placeholder="Note from the meeting (optional)">'
            '<button type="submit" class="button small">Mark reviewed</button></form>'
        )
    parts.append("</div>")
    return "".join(parts)


def agenda_entry(
    entry: AgendaEntry,
    *,
    as_of: date,
    week: object,
    mark_url: Callable[[int], str] | None,
    csrf: str,
) -> str:
    """One ``<li>`` of a section; ``mark_url`` is None for people who may not mark."""
    item = entry.item
    item_id = int(item.id)
    title = _e(item.title)
    if item.url:
        title = f'<a href="{_e(item.url)}">{title}</a>'
    slot = review_slot(
        item_id=item_id,
        line=review_line(entry, str),
        error="",
        week=week,
        mark_url=mark_url(item_id) if mark_url is not None else None,
        csrf=csrf,
    )
    return (
        f'<li class="agenda-entry" id="item-{item_id}" data-testid="agenda-entry">'
        f"<strong>{title}</strong> "
        f'<span class="state state-{_e(entry.state.value)}">{_e(entry.state.label)}</span>'
        f'<p class="facts-line">{facts_html(entry, as_of)}</p>{slot}</li>'
    )
