"""Template tags of the weekly review (``{% load weekly_review %}``).

- ``{% weekly_review_entries entries %}``: the entries of one section of the weekly review
  page, in one render of a Jinja2 partial (``kintsugi/debt/weekly_review_rows.py``);
- ``{% weekly_review_facts entry as_of %}``, ``{% weekly_review_line entry %}`` and
  ``{% weekly_review_hidden section %}``: the same words for the email template.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from kintsugi.core.debt.redaction import hidden_section_line
from kintsugi.core.debt.weekly_review_text import review_line
from kintsugi.debt.weekly_review_rows import facts_html, mark_url_maker, section_entries

register = template.Library()


@register.simple_tag
def weekly_review_facts(entry: Any, as_of: Any) -> SafeString:
    """The facts of one entry in the words of every other format, escaped for HTML."""
    return mark_safe(facts_html(entry, as_of))  # noqa: S308 - entry_facts escapes every value


@register.simple_tag(takes_context=True)
def weekly_review_entries(context: template.Context, entries: Any) -> SafeString:
    """The entries of one section of the weekly review page, in one render of a Jinja2
    partial (``debt/weekly_review_rows.py``)."""
    makers = context.render_context
    if "kintsugi.mark-url" not in makers:
        makers["kintsugi.mark-url"] = mark_url_maker() if context.get("may_mark") else None
    html = section_entries(
        entries,
        as_of=context["agenda"].as_of,
        week=context.get("week", ""),
        mark_url=makers["kintsugi.mark-url"],
        csrf=str(context.get("csrf_token", "")),
    )
    return mark_safe(html)  # noqa: S308 - the partial escapes every value


@register.simple_tag
def weekly_review_line(entry: Any) -> str:
    """ "Reviewed 2026-11-18 by bob: note", autoescaped by the template."""
    return review_line(entry, str) or ""


@register.simple_tag
def weekly_review_hidden(section: Any) -> str:
    """The neutral line for a redacted section's hidden entries ("" if none), autoescaped."""
    return hidden_section_line(section) or ""
