"""Display helpers for the web pages: UTC times, durations, badges and user Markdown.

Every time shown in the app goes through ``utc`` so that a page never mixes zones, and
every piece of free text a user wrote goes through ``user_markdown`` (sanitized) or
Django's autoescaping: there is no third way to put user text on a page. The filters the
Jinja2 rows use too (``user_markdown``, ``safe_url``, ``css_token``) live below every app,
in ``kintsugi/rendering/filters.py``, and are registered here under the same names.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils.safestring import SafeString

from kintsugi.core.timeparse import format_duration, format_utc
from kintsugi.rendering.filters import css_token, safe_url, user_markdown

register = template.Library()
register.filter("user_markdown", user_markdown)
register.filter("css_token", css_token)
register.filter("safe_url", safe_url)


@register.filter
def utc(moment: datetime | None) -> str:
    """``2026-03-01 14:02 UTC``, or an em dash when unknown."""
    return format_utc(moment) if moment else "—"


@register.filter
def utc_input(moment: datetime | None) -> str:
    """The form of a time that the time fields accept back unchanged."""
    return format_utc(moment) if moment else ""


@register.filter
def duration(seconds: float | None) -> str:
    return "—" if seconds is None else format_duration(seconds)


@register.filter
def may_create(user: object) -> bool:
    """Whether to offer the "New" link (the create view checks again)."""
    from kintsugi.postmortems import access

    return access.can_create(user)  # type: ignore[arg-type]


@register.filter
def lookup(mapping: dict | None, key: object) -> object:
    return (mapping or {}).get(key)


@register.simple_tag(takes_context=True)
def action_item_row(context: template.Context, item: Any) -> SafeString:
    """One row of the action items list: a Jinja2 template, remembered (``action_rows``)."""
    from django.urls import reverse

    from kintsugi.debt.templatetags.debt import action_policy
    from kintsugi.debt.views.common import today
    from kintsugi.trackers.selectors import ticket_states
    from kintsugi.web.action_rows import action_row

    incident = context["incident"]
    key = ("kintsugi.action-items", incident.pk)
    shared = context.render_context.get(key)
    if shared is None:
        # Once per list: its URL, and one day for every row (the debt clock, as the debt
        # box above the list reads it), even when the list is rendered across midnight.
        shared = context.render_context[key] = (
            reverse("action-items", args=[incident.pk]),
            today(),
            ticket_states(incident),  # one query for the whole list (issue 17)
        )
    base_url, day, tickets = shared
    html = action_row(
        item,
        policy=action_policy(context, item),
        base_url=base_url,
        can_edit=bool(context.get("can_edit")),
        csrf_token=str(context.get("csrf_token", "")),
        today=day,
        ticket=tickets.by_item.get(item.pk),
        offer_ticket=tickets.offer,
    )
    return html  # action_row's SafeString: escaped or sanitized by its template


@register.simple_tag(takes_context=True)
def tickets_bulk(context: template.Context) -> SafeString:
    """ "Create tickets for all items without one", or its progress (issue 17): from the
    tracker state the rows already read (no query of its own), after the rows."""
    from django.template.loader import render_to_string

    from kintsugi.trackers.selectors import ticket_states

    incident = context["incident"]
    if not context.get("can_edit") or incident.team_id is None:
        return SafeString("")
    shared = context.render_context.get(("kintsugi.action-items", incident.pk))
    tickets = shared[2] if shared is not None else ticket_states(incident)
    if not tickets.offer:
        return SafeString("")
    items = context.get("action_items") or []
    missing = sum(1 for item in items if item.pk not in tickets.by_item and not item.ticket_id)
    creating = sum(1 for state in tickets.by_item.values() if not state.key)
    return render_to_string(
        "web/postmortems/_tickets_bulk.html",
        {"incident": incident, "missing": missing, "creating": creating},
        request=context.get("request"),
    )


@register.simple_tag(takes_context=True)
def row_actions(context: template.Context, name: str, pk: int) -> SafeString:
    """The Edit and Delete buttons of a row of the list ``name`` (``kintsugi.web.sections``):
    one markup for every editable list (``web/sections/_row_actions.html``, Jinja2)."""
    from django.urls import reverse

    from kintsugi.web.sections import SECTIONS
    from kintsugi.web.sections import row_actions as buttons

    section = SECTIONS[name]
    incident = context["incident"]
    key = ("kintsugi.list-url", section.list_url, incident.pk)
    url_base = context.render_context.get(key)
    if url_base is None:  # once per list
        url_base = context.render_context[key] = reverse(section.list_url, args=[incident.pk])
    return buttons(section, pk, url_base=url_base, csrf_token=str(context.get("csrf_token", "")))


@register.simple_tag(takes_context=True)
def timeline_rows(context: template.Context, events: object) -> SafeString:
    """All rows of a timeline (one event or a list): a Jinja2 template, remembered (``rows``)."""
    from django.urls import reverse

    from kintsugi.web.rows import event_rows

    incident = context["incident"]
    items = events if isinstance(events, list | tuple) else [events]
    return event_rows(
        items,
        base_url=reverse("timeline", args=[incident.pk]),
        can_edit=bool(context.get("can_edit")),
        csrf_token=str(context.get("csrf_token", "")),
    )


def _severity_text(level: object, texts: object) -> Any:
    """The organisation's words for ``level`` (``severity_texts`` from the context, or
    read now when the template was drawn without a request)."""
    from kintsugi.core.vocabulary import Severity
    from kintsugi.teams.severities import default_text, severity_texts

    table = texts if hasattr(texts, "get") else severity_texts()
    found = table.get(str(level))
    if found is None:
        try:
            return default_text(Severity(str(level)))
        except ValueError:
            return None
    return found


@register.filter
def severity_definition(level: object, texts: object = None) -> str:
    """``{{ incident.severity|severity_definition:severity_texts }}``"""
    found = _severity_text(level, texts)
    return found.definition if found is not None else ""


@register.filter
def severity_label(level: object, texts: object = None) -> str:
    """``{{ incident.severity|severity_label:severity_texts }}``: "SEV1 - Critical"."""
    found = _severity_text(level, texts)
    return found.label if found is not None else str(level)


@register.filter
def severity_name(level: object, texts: object = None) -> str:
    """``{{ incident.severity|severity_name:severity_texts }}``: "Critical"."""
    found = _severity_text(level, texts)
    return found.name if found is not None else ""
