"""The incident timeline: event kinds, the key moments, and the metrics they give.

Definitions (documented in docs/markdown-format.md and shown in the app):

- impact start: the first ``impact_started`` event, else the incident's start time;
- time to detect: impact start -> first ``alert_fired`` (detection);
- time to acknowledge: detection -> first ``page_acknowledged``;
- time to mitigate: impact start -> first ``mitigated`` (else ``workaround_applied``);
- time to resolve: impact start -> first ``fully_recovered``;
- downtime: impact start -> mitigation, or full recovery when nothing mitigated earlier.
  Users stop suffering when the incident is mitigated, even if clean-up goes on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kintsugi.core.errors import ValidationProblem


class EventKind(StrEnum):
    IMPACT_STARTED = "impact_started"
    CHANGE_DEPLOYED = "change_deployed"
    ALERT_FIRED = "alert_fired"
    PAGE_ACKNOWLEDGED = "page_acknowledged"
    RESPONDERS_JOINED = "responders_joined"
    INVESTIGATION = "investigation"
    WORKAROUND_APPLIED = "workaround_applied"
    MITIGATED = "mitigated"
    FULLY_RECOVERED = "fully_recovered"
    COMMUNICATION = "communication"
    NOTE = "note"

    @property
    def label(self) -> str:
        return EVENT_LABELS[self]


EVENT_LABELS = {
    EventKind.IMPACT_STARTED: "Impact started",
    EventKind.CHANGE_DEPLOYED: "Change deployed",
    EventKind.ALERT_FIRED: "Alert fired",
    EventKind.PAGE_ACKNOWLEDGED: "Page acknowledged",
    EventKind.RESPONDERS_JOINED: "Responders joined the bridge",
    EventKind.INVESTIGATION: "Investigation",
    EventKind.WORKAROUND_APPLIED: "Workaround applied",
    EventKind.MITIGATED: "Mitigated",
    EventKind.FULLY_RECOVERED: "Fully recovered",
    EventKind.COMMUNICATION: "Communication",
    EventKind.NOTE: "Note",
}

KEY_KINDS: frozenset[EventKind] = frozenset(
    {
        EventKind.IMPACT_STARTED,
        EventKind.ALERT_FIRED,
        EventKind.PAGE_ACKNOWLEDGED,
        EventKind.WORKAROUND_APPLIED,
        EventKind.MITIGATED,
        EventKind.FULLY_RECOVERED,
    }
)
"""The kinds of the key moments: the only events :func:`compute_metrics` and
:func:`check_order` read.

They are the moments that give time to detect, acknowledge, mitigate and resolve (a
workaround counts as mitigation when nothing says "mitigated"); every other kind (notes,
investigation, communication, a change deployed, responders joining) tells the story but
moves no metric. Callers load only events of these kinds, so metrics and order checks cost
a handful of rows even on a timeline of thousands of notes. Defined once here, because a
kind added to the metrics but missing from a caller's filter would silently give wrong
numbers. A ``StrEnum`` set: a stored kind (a plain string) tests as a member too.
"""

# Order in which the key moments must happen; a later one may not precede an earlier one
# (except an acknowledgement before the first alert: people may respond first).
_KEY_ORDER = (
    EventKind.IMPACT_STARTED,
    EventKind.ALERT_FIRED,
    EventKind.PAGE_ACKNOWLEDGED,
    EventKind.MITIGATED,
    EventKind.FULLY_RECOVERED,
)


def parse_kind(text: str) -> EventKind:
    """Accept the value (``alert_fired``) or the label (``Alert fired``), any case."""
    key = (text or "").strip().lower()
    for kind in EventKind:
        if key in (kind.value, kind.label.lower(), kind.value.replace("_", " ")):
            return kind
    allowed = ", ".join(kind.value for kind in EventKind)
    raise ValidationProblem(f"Unknown event kind {text!r}; use one of: {allowed}.", field="kind")


@dataclass(frozen=True)
class KeyEvent:
    kind: EventKind
    at: datetime


@dataclass(frozen=True)
class TimelineMetrics:
    impact_start: datetime | None
    detected_at: datetime | None
    acknowledged_at: datetime | None
    mitigated_at: datetime | None
    recovered_at: datetime | None

    @staticmethod
    def _between(start: datetime | None, end: datetime | None) -> float | None:
        if start is None or end is None:
            return None
        return (end - start).total_seconds()

    @property
    def time_to_detect(self) -> float | None:
        return self._between(self.impact_start, self.detected_at)

    @property
    def time_to_acknowledge(self) -> float | None:
        return self._between(self.detected_at, self.acknowledged_at)

    @property
    def time_to_mitigate(self) -> float | None:
        return self._between(self.impact_start, self.mitigated_at)

    @property
    def time_to_resolve(self) -> float | None:
        return self._between(self.impact_start, self.recovered_at)

    @property
    def downtime(self) -> float | None:
        return self._between(self.impact_start, self.mitigated_at or self.recovered_at)


def _first(events: Iterable[KeyEvent], *kinds: EventKind) -> datetime | None:
    for kind in kinds:
        times = [event.at for event in events if event.kind == kind]
        if times:
            return min(times)
    return None


def _detected(events: Sequence[KeyEvent]) -> datetime | None:
    """When the first alert fired; or earlier, when people acknowledged before it (they
    had detected it: the time to acknowledge is then 0, not negative). Without an alert,
    unknown: an acknowledgement alone does not say when the problem was noticed."""
    alert = _first(events, EventKind.ALERT_FIRED)
    ack = _first(events, EventKind.PAGE_ACKNOWLEDGED)
    if alert is not None and ack is not None and ack < alert:
        return ack
    return alert


def compute_metrics(
    events: Sequence[KeyEvent],
    *,
    started_at: datetime | None = None,
    ended_at: datetime | None = None,
) -> TimelineMetrics:
    """Derive the key moments; the incident's own start and end fill gaps in the timeline."""
    return TimelineMetrics(
        impact_start=_first(events, EventKind.IMPACT_STARTED) or started_at,
        detected_at=_detected(events),
        acknowledged_at=_first(events, EventKind.PAGE_ACKNOWLEDGED),
        mitigated_at=_first(events, EventKind.MITIGATED, EventKind.WORKAROUND_APPLIED),
        recovered_at=_first(events, EventKind.FULLY_RECOVERED) or ended_at,
    )


def check_order(
    events: Sequence[KeyEvent],
    *,
    started_at: datetime | None = None,
    ended_at: datetime | None = None,
) -> list[str]:
    """Problems with the order of key moments, in words; empty when the story is coherent."""
    problems: list[str] = []
    if started_at and ended_at and ended_at < started_at:
        problems.append("The incident ends before it starts.")
    firsts = {kind: _first(events, kind) for kind in _KEY_ORDER}
    # People may respond before the monitor alerts (a report in chat, a page sent by hand):
    # an acknowledgement before the first alert is a real order, and detection is then the
    # earlier of the two (``compute_metrics``); what follows is checked against it.
    alert, ack = firsts[EventKind.ALERT_FIRED], firsts[EventKind.PAGE_ACKNOWLEDGED]
    acknowledged_first = alert is not None and ack is not None and ack < alert
    for index, later in enumerate(_KEY_ORDER):
        later_at = firsts[later]
        if later_at is None:
            continue
        for earlier in _KEY_ORDER[:index]:
            earlier_at = firsts[earlier]
            if later is EventKind.PAGE_ACKNOWLEDGED and earlier is EventKind.ALERT_FIRED:
                continue
            if earlier is EventKind.ALERT_FIRED and acknowledged_first:
                continue  # checked against the acknowledgement, the earlier moment
            if earlier_at is not None and later_at < earlier_at:
                problems.append(
                    f"'{later.label}' ({later_at:%Y-%m-%d %H:%M} UTC) is before "
                    f"'{earlier.label}' ({earlier_at:%Y-%m-%d %H:%M} UTC)."
                )
    if started_at:
        for event in events:
            if event.kind in (EventKind.MITIGATED, EventKind.FULLY_RECOVERED) and (
                event.at < started_at
            ):
                problems.append(
                    f"'{event.kind.label}' ({event.at:%Y-%m-%d %H:%M} UTC) is before the "
                    "incident started."
                )
                break
    return problems
