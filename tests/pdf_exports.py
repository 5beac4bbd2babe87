"""Set-up shared by the PDF export tests (web, API, service and command): a timeline long
enough to reach a limit. Each test gets a PDF cache of its own from the ``pdf_cache``
fixture (tests/conftest.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kintsugi.postmortems import services

FIRST_EVENT = datetime(2026, 3, 1, 14, tzinfo=UTC)


def add_events(incident, owner, count: int, text: str = "Event {}.") -> None:
    """``count`` events a minute apart; ``text`` with the event's number in place of {}."""
    for minute in range(count):
        services.timeline_event_add(
            user=owner,
            incident=incident,
            occurred_at=FIRST_EVENT + timedelta(minutes=minute),
            text=text.format(minute),
        )
