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

from kintsugi.core.timeline_sanity import TimelineWarning, stored_timeline_warnings

register = template.Library()


@register.simple_tag
def timeline_warnings(events: Sequence[Any], incident: Any) -> list[TimelineWarning]:
    """Warnings for the events shown (timeline rows or TimelineEvent objects)."""
    return stored_timeline_warnings(events or (), incident or None, now=timezone.now())
