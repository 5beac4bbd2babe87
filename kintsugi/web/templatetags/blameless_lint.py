"""``{% lint_hint field %}``: live blameless-language hints under a post-mortem field, and
``{% lint_publishing incident %}``: the open findings where a post-mortem is published.

``web/includes/field.html`` calls ``lint_hint`` for every field, so each prose field of
every post-mortem form gets hints without its form or template knowing about them.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from kintsugi.blameless.publishing import publishing_verdict
from kintsugi.blameless.services import lint_prose
from kintsugi.postmortems.models import Incident
from kintsugi.web.views.lint import hints, is_linted

register = template.Library()


@register.inclusion_tag("web/lint/_hint.html")
def lint_hint(field: Any) -> dict[str, Any]:
    """The findings container for a prose field, filled with the findings of its current
    text (so an opened form shows them at once) and refreshed by htmx while typing."""
    if not is_linted(field):
        return {"linted": False}
    text = str(field.value() or "")
    return {
        "linted": True,
        "field": field,
        "tag": "textarea" if field.widget_type == "textarea" else "input",
        "url": reverse("lint-field"),
        "hints": hints(lint_prose(text)) if text.strip() else [],
    }


@register.inclusion_tag("web/lint/_publishing.html")
def lint_publishing(incident: Incident) -> dict[str, Any]:
    verdict = publishing_verdict(incident)
    return {"incident": incident, "verdict": verdict, "counts": verdict.counts}
