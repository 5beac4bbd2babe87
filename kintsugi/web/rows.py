"""Timeline rows: rendered by Jinja2 (``web/rows/event.html``) and remembered.

A long incident has hundreds of timeline events. The Django template engine spends about
0.3 ms on each row; Jinja2 compiles the row's template to Python (``kintsugi/rendering/jinja.py``),
and each rendered row is remembered, so a page of 500 rows costs a dictionary lookup a
row. Every user value is escaped by the template (Django's escaping) or goes through
``user_markdown`` (sanitized HTML).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import datetime

from django.utils.safestring import SafeString, mark_safe

from kintsugi.core.timeline import EVENT_LABELS, EventKind
from kintsugi.core.timeparse import ensure_utc
from kintsugi.postmortems.models import TimelineEvent
from kintsugi.postmortems.selectors import EventRow
from kintsugi.rendering.jinja import template
from kintsugi.web.remembered import CSRF_SLOT, ROW_CACHE_SIZE, with_csrf_token
from kintsugi.web.sections import TIMELINE

__all__ = ["event_row", "event_rows"]


def _kind_label(kind: str) -> str:
    # Model.get_kind_display() walks the choices on every call; a dict lookup does not.
    try:
        return EVENT_LABELS[EventKind(kind)]
    except ValueError:
        return kind


# A row is the same for every viewer and request except for its buttons: shown to editors
# only, so a row is remembered with them and without, and carrying the request's CSRF
# token, so a remembered row has a slot for it (kintsugi/web/remembered.py). The key is
# everything the row shows, not the event's version: an author's new name, or a database
# restored from a backup, changes the row without changing the version, and a key that
# differs by one character is a different row, so no edit can be hidden by the cache.


@functools.lru_cache(maxsize=ROW_CACHE_SIZE)
def _row(
    pk: int,
    occurred_at: datetime,
    kind: str,
    text: str,
    evidence_url: str,
    author_name: str | None,
    url_base: str | None,
) -> str:
    """The whole ``<li>``; with the buttons when ``url_base`` is given (editors)."""
    return template("web/rows/event.html").render(
        pk=pk,
        occurred_at=occurred_at,
        kind=kind,
        kind_label=_kind_label(kind),
        text=text,
        evidence_url=evidence_url,
        author_name=author_name,
        can_edit=url_base is not None,
        section=TIMELINE,
        url_base=url_base,
        csrf_token=CSRF_SLOT,
    )


def _remembered(event: TimelineEvent | EventRow, url_base: str | None) -> str:
    author = event.author if event.author_id else None
    return _row(
        int(event.pk),
        ensure_utc(event.occurred_at),  # equal instants in other zones: one key, UTC shown
        event.kind,
        event.text,
        event.evidence_url,
        author.display_name if author is not None else (event.author_name or None),
        url_base,
    )


def event_rows(
    events: Iterable[TimelineEvent | EventRow], *, base_url: str, can_edit: bool, csrf_token: str
) -> SafeString:
    """The rows of a timeline, one a line; ``base_url`` is the timeline's URL."""
    url_base = base_url if can_edit else None
    html = "\n".join([_remembered(event, url_base) for event in events])
    if can_edit:
        html = with_csrf_token(html, csrf_token)
    return mark_safe(html)  # noqa: S308 - rendered with autoescape; the token escaped


def event_row(
    event: TimelineEvent | EventRow, *, base_url: str, can_edit: bool, csrf_token: str
) -> SafeString:
    return event_rows([event], base_url=base_url, can_edit=can_edit, csrf_token=csrf_token)
