"""``{% timeline_warnings events incident as warnings %}``: the timeline's sanity warnings.

A tag rather than another key in the page context: the post-mortem page and every
re-render of the timeline section after an edit already hold the events, so the warnings
are derived from them here, with no query, and the page views need not know about them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template
from django.utils import timezone

from kintsugi.core.timeline import EventKind
from kintsugi.core.timeline_sanity import SanityEvent, TimelineWarning, check_timeline_sanity

register = template.Library()


@register.simple_tag
def timeline_warnings(events: Sequence[Any], incident: Any) -> list[TimelineWarning]:
    """Warnings for the events shown (timeline rows or TimelineEvent objects)."""
    rows = [
        SanityEvent(event.pk, EventKind(event.kind), event.occurred_at, event.text)
        for event in events or ()
    ]
    return check_timeline_sanity(
        rows,
        started_at=getattr(incident, "started_at", None),
        ended_at=getattr(incident, "ended_at", None),
        now=timezone.now(),
    )
