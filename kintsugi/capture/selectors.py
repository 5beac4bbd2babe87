"""Reads of the settings page, in a constant number of queries."""

from __future__ import annotations

from django.db.models import Count, Max

from kintsugi.accounts.models import User
from kintsugi.capture.models import Source
from kintsugi.capture.services.sources import source_url, sources_for


def source_rows(user: User) -> list[tuple[Source, str]]:
    """The sources a person manages with their receiver URL, delivery count and last one."""
    rows = sources_for(user).annotate(
        delivery_count=Count("deliveries"), last_delivery=Max("deliveries__received_at")
    )
    return [(source, source_url(source)) for source in rows]
