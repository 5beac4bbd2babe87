"""Is this timeline plausible? Warnings, never refusals, about dates that look mistyped.

One event typed a year off makes "365 days of downtime" without a word (issue 14, item
10). The hard contradictions between key moments are refused when an event is saved
(kintsugi.core.timeline.check_order); what is only *implausible* is said here, so that a
real but unusual incident still saves:

- ``timeline/implausible-order``: the lifecycle milestones out of order (impact start,
  detection, acknowledgement, mitigation, resolution; the incident's own start counts as
  the impact start when no event says so) by half a day or more, which only a mistyped
  date (a day at midnight, AM/PM, a year) explains: a shorter inversion is a real order
  (people report before the monitor alerts, a fix lands before the alert catches up);
- ``timeline/outlier-event``: an event more than a week from all the others, or from the
  incident's own start and end;
- ``timeline/long-gap``: a gap between two events over a day and many times the usual gap;
- ``timeline/long-downtime``: downtime of more than a day whose start or end is a lone
  event far from the rest of the story (or of more than a week at all), with the number;
- ``timeline/future-event``: an event after the time the check runs;
- ``timeline/header-mismatch``: a key fact of the header ("Incident declared: 2022-01-05")
  that contradicts another, the timed line naming the same milestone, or the timeline's
  dates in a typo's shape (kintsugi.core.markdown.stated_times; lint only);
- ``timeline/out-of-order``: an entry listed among others whose dates go the other way
  (``listed_out_of_order``, for a timeline read from a document, where the order is the
  author's).

A timeline often opens with context days or weeks before the outage (an upgrade, routine
jobs "normal") and ends with follow-up (a call two days later, the provider's report two
weeks later); ``outage_window`` sets those apart, so that the gaps and outliers checked are
the response's.

Each warning names the events involved and says what to check, in plain words. The same
function serves the editor, the API and ``kintsugi lint``; callers pass ``now``. The editor
and the API warn about a *stored* timeline through ``stored_timeline_warnings``, so that the
page and the API name the same events the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median
from typing import Protocol

from kintsugi.core.timeline import KEY_KINDS, EventKind, KeyEvent, compute_metrics

# Beyond this from everything else, an event is almost surely a typo in its date.
OUTLIER_DISTANCE = timedelta(days=7)
# A gap is suspicious when it is longer than a day and this many times the median gap.
GAP_FACTOR = 10
GAP_MINIMUM = timedelta(hours=24)
# The median of fewer gaps says nothing about what is usual.
MIN_EVENTS_FOR_GAPS = 4
# Downtime over a day is suspicious when the event that starts or ends it stands alone:
# farther from its neighbour than this share of the downtime.
DOWNTIME_MINIMUM = timedelta(hours=24)
LONE_SHARE = 0.5
DOWNTIME_ALWAYS = timedelta(days=7)
# Clocks differ a little; an event a few minutes ahead is not "in the future".
FUTURE_SLACK = timedelta(minutes=5)
# Milestones out of their usual order by less than this are a real order (people saw the
# outage before the monitor alerted, a mitigation landed before the alert caught up); by
# this much or more only a mistyped date explains it: a day not rolled over at midnight
# (almost 24 h back), AM/PM (12 h), a month or a year (docs/lint-review.md, review7 row 6).
ORDER_TYPO_MINIMUM = timedelta(hours=12)

IMPLAUSIBLE_ORDER = "timeline/implausible-order"
OUTLIER_EVENT = "timeline/outlier-event"
LONG_GAP = "timeline/long-gap"
LONG_DOWNTIME = "timeline/long-downtime"
FUTURE_EVENT = "timeline/future-event"
OUT_OF_ORDER = "timeline/out-of-order"
HEADER_MISMATCH = "timeline/header-mismatch"

#: Rule id -> (short title, what to check), for lint's rule list and the docs.
RULES = {
    IMPLAUSIBLE_ORDER: (
        "Lifecycle milestones out of order",
        "Check the dates and times of the milestones named: one of them is probably mistyped "
        "(a wrong day, AM/PM, or time zone).",
    ),
    OUTLIER_EVENT: (
        "An event far outside the incident",
        "Check the event's date: it is more than a week from the rest of the timeline.",
    ),
    LONG_GAP: (
        "An unusually long gap between events",
        "Check the dates on either side of the gap; if nothing happened for that long, "
        "ignore this.",
    ),
    LONG_DOWNTIME: (
        "Downtime implausibly long for its events",
        "Check the date of the event named: the downtime and time-to-mitigate are computed "
        "from it.",
    ),
    FUTURE_EVENT: (
        "An event in the future",
        "Check the event's date: it is later than now.",
    ),
    HEADER_MISMATCH: (
        "The header's times disagree with each other or the timeline",
        "Check the two lines named: the header's key facts (declared, detected, resolved) and "
        "the timeline tell the same moments, and one of them is probably mistyped.",
    ),
    OUT_OF_ORDER: (
        "An entry listed out of order",
        "Check the entry's date and time, or move it to its place: the entries around it "
        "are in time order and it is not.",
    ),
}


@dataclass(frozen=True)
class SanityEvent:
    """One timeline event as the checks need it; ``ref`` is the caller's handle on it (an
    event id in the app, a line number in lint)."""

    ref: object
    kind: EventKind
    at: datetime
    text: str = ""

    @property
    def name(self) -> str:
        """How a warning names the event: its kind, time and the start of its text."""
        excerpt = " ".join(self.text.split())
        if len(excerpt) > 40:
            excerpt = excerpt[:39].rstrip() + "…"
        said = f" (“{excerpt}”)" if excerpt else ""
        return f"'{self.kind.label}' at {_when(self.at)}{said}"


@dataclass(frozen=True)
class TimelineWarning:
    rule: str
    message: str
    suggestion: str
    refs: tuple[object, ...]  # the events concerned, by the caller's ``ref``

    def to_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "message": self.message,
            "suggestion": self.suggestion,
            "event_ids": list(self.refs),
        }


def check_timeline_sanity(
    events: Sequence[SanityEvent],
    *,
    started_at: datetime | None = None,
    ended_at: datetime | None = None,
    now: datetime | None = None,
) -> list[TimelineWarning]:
    """Every warning about ``events`` (any order); empty for a plausible timeline."""
    ordered = sorted(events, key=lambda event: event.at)
    warnings = [
        *_order(ordered, started_at),
        *_outliers(ordered, started_at, ended_at),
        *_gaps(ordered),
        *_downtime(ordered, started_at, ended_at),
    ]
    if now is not None:
        warnings.extend(_future(ordered, now))
    return warnings


class StoredEvent(Protocol):
    """A stored timeline event as the app holds it: a model row, a row of the page's
    selector, or a ``values_list(..., named=True)`` row."""

    @property
    def pk(self) -> object: ...
    @property
    def kind(self) -> str: ...
    @property
    def occurred_at(self) -> datetime: ...
    @property
    def text(self) -> str: ...


class IncidentTimes(Protocol):
    """The incident's own start and end, which the checks weigh with its events."""

    @property
    def started_at(self) -> datetime | None: ...
    @property
    def ended_at(self) -> datetime | None: ...


def stored_timeline_warnings(
    events: Iterable[StoredEvent], incident: IncidentTimes | None, *, now: datetime
) -> list[TimelineWarning]:
    """The warnings of an incident's stored timeline, each naming its events by id.

    The one way the post-mortem page and the API build them: the same events, read the same
    way, give the same warnings in both. ``incident`` None: no start or end to weigh.
    """
    rows = [
        SanityEvent(event.pk, EventKind(event.kind), event.occurred_at, event.text)
        for event in events
    ]
    return check_timeline_sanity(
        rows,
        started_at=incident.started_at if incident is not None else None,
        ended_at=incident.ended_at if incident is not None else None,
        now=now,
    )


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def _span(delta: timedelta) -> str:
    """A duration in words a reader checks at a glance: "365 days 2 h", "30 h", "45 min"."""
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days >= 2:
        return f"{days} days {hours} h" if hours else f"{days} days"
    if days or hours:
        return f"{days * 24 + hours} h {minutes} min" if minutes else f"{days * 24 + hours} h"
    return f"{minutes} min"


def _rule(rule: str, message: str, events: Sequence[SanityEvent]) -> TimelineWarning:
    return TimelineWarning(rule, message, RULES[rule][1], tuple(e.ref for e in events))


# The milestones in the order an incident lives them, with the words a reader uses.
_MILESTONES: tuple[tuple[str, tuple[EventKind, ...]], ...] = (
    ("started", (EventKind.IMPACT_STARTED,)),
    ("detected", (EventKind.ALERT_FIRED,)),
    ("acknowledged", (EventKind.PAGE_ACKNOWLEDGED,)),
    ("mitigated", (EventKind.MITIGATED, EventKind.WORKAROUND_APPLIED)),
    ("resolved", (EventKind.FULLY_RECOVERED,)),
)


def _first(events: Sequence[SanityEvent], kinds: tuple[EventKind, ...]) -> SanityEvent | None:
    """The first event of the first kind present (mitigated, else workaround applied), as
    compute_metrics reads the milestones."""
    for kind in kinds:
        found = [event for event in events if event.kind == kind]
        if found:
            return min(found, key=lambda event: event.at)
    return None


def _order(events: Sequence[SanityEvent], started_at: datetime | None) -> list[TimelineWarning]:
    firsts = [(word, _first(events, kinds)) for word, kinds in _MILESTONES]
    warnings = []
    for index, (later_word, later) in enumerate(firsts):
        if later is None:
            continue
        for earlier_word, earlier in firsts[:index]:
            if earlier is not None and earlier.at - later.at >= ORDER_TYPO_MINIMUM:
                warnings.append(
                    _rule(
                        IMPLAUSIBLE_ORDER,
                        f"The incident is {later_word} ({later.name}) "
                        f"{_span(earlier.at - later.at)} before it was {earlier_word} "
                        f"({earlier.name}); a real order does not go back that far.",
                        [later, earlier],
                    )
                )
                break  # one warning per milestone: the first one it contradicts
        else:
            if (
                started_at is not None
                and firsts[0][1] is None
                and started_at - later.at >= ORDER_TYPO_MINIMUM
            ):
                warnings.append(
                    _rule(
                        IMPLAUSIBLE_ORDER,
                        f"The incident is {later_word} ({later.name}) "
                        f"{_span(started_at - later.at)} before it started "
                        f"({_when(started_at)}, the incident's start time).",
                        [later],
                    )
                )
    return warnings


def _outliers(
    events: Sequence[SanityEvent], started_at: datetime | None, ended_at: datetime | None
) -> list[TimelineWarning]:
    """Events more than a week from everything else, the incident's own start and end
    included (so a lone event is caught even on a timeline of two).

    When the timeline falls into groups more than a week apart, the events of the smaller
    groups are named: the bulk of the story is taken as right.
    """
    points = sorted([*(e.at for e in events), *(m for m in (started_at, ended_at) if m)])
    groups: list[list[datetime]] = []
    for moment in points:
        if groups and moment - groups[-1][-1] <= OUTLIER_DISTANCE:
            groups[-1].append(moment)
        else:
            groups.append([moment])
    if len(groups) < 2:
        return []
    largest = max(len(group) for group in groups)
    warnings = []
    for event in events:
        group = next(g for g in groups if g[0] <= event.at <= g[-1])
        if len(group) == largest and sum(len(g) == largest for g in groups) == 1:
            continue  # the bulk of the story
        others = [moment for moment in points if moment not in group]
        nearest = min(others, key=lambda moment: abs(moment - event.at))
        if event.at < min(others):
            where = "before anything else in this incident"
        elif event.at > max(others):
            where = "after anything else in this incident"
        else:  # other parts of the story lie on both sides: say only what is true
            direction = "after" if event.at > nearest else "before"
            where = f"{direction} the nearest other part of this incident"
        warnings.append(
            _rule(
                OUTLIER_EVENT,
                f"The event {event.name} is {_span(abs(event.at - nearest))} {where} "
                f"(the nearest: {_when(nearest)}).",
                [event],
            )
        )
    return warnings


def _gaps(events: Sequence[SanityEvent]) -> list[TimelineWarning]:
    if len(events) < MIN_EVENTS_FOR_GAPS:
        return []
    gaps = [later.at - earlier.at for earlier, later in zip(events, events[1:], strict=False)]
    usual = timedelta(seconds=median(gap.total_seconds() for gap in gaps))
    limit = max(GAP_MINIMUM, usual * GAP_FACTOR)
    warnings = []
    for (earlier, later), gap in zip(zip(events, events[1:], strict=False), gaps, strict=True):
        if gap > limit and gap <= OUTLIER_DISTANCE:  # a farther event is an outlier instead
            warnings.append(
                _rule(
                    LONG_GAP,
                    f"Nothing happens for {_span(gap)} between {earlier.name} and "
                    f"{later.name}; the usual gap in this timeline is {_span(usual)}.",
                    [earlier, later],
                )
            )
    return warnings


def _downtime(
    events: Sequence[SanityEvent], started_at: datetime | None, ended_at: datetime | None
) -> list[TimelineWarning]:
    metrics = compute_metrics(
        [KeyEvent(event.kind, event.at) for event in events],
        started_at=started_at,
        ended_at=ended_at,
    )
    downtime = metrics.downtime
    if downtime is None or downtime <= DOWNTIME_MINIMUM.total_seconds():
        return []
    span = timedelta(seconds=downtime)
    start = _first(events, (EventKind.IMPACT_STARTED,))
    end = _first(events, (EventKind.MITIGATED, EventKind.WORKAROUND_APPLIED)) or _first(
        events, (EventKind.FULLY_RECOVERED,)
    )
    for culprit, role in ((end, "ends"), (start, "starts")):
        if culprit is None:
            continue
        others = [event.at for event in events if event is not culprit]
        lone = not others or min(abs(at - culprit.at) for at in others) > span * LONE_SHARE
        if lone or span > DOWNTIME_ALWAYS:
            return [
                _rule(
                    LONG_DOWNTIME,
                    f"Downtime is computed as {_span(span)}; {culprit.name} {role} it.",
                    [culprit],
                )
            ]
    if span > DOWNTIME_ALWAYS:
        where = "the incident's start and end times" if end is None else "its events"
        return [
            TimelineWarning(
                LONG_DOWNTIME,
                f"Downtime is computed as {_span(span)}, from {where}.",
                "Check the incident's start and end times and the mitigation event.",
                tuple(e.ref for e in (start, end) if e is not None),
            )
        ]
    return []


def future_events(events: Sequence[SanityEvent], now: datetime) -> list[TimelineWarning]:
    """The future-event warning alone, for entries not otherwise checked (context)."""
    return _future(sorted(events, key=lambda event: event.at), now)


def _future(events: Sequence[SanityEvent], now: datetime) -> list[TimelineWarning]:
    ahead = [event for event in events if event.at > now + FUTURE_SLACK]
    if not ahead:
        return []
    names = ", ".join(event.name for event in ahead[:3])
    more = f" and {len(ahead) - 3} more" if len(ahead) > 3 else ""
    noun = "is" if len(ahead) == 1 else "are"
    return [
        _rule(
            FUTURE_EVENT,
            f"The event{'s' if len(ahead) > 1 else ''} {names}{more} {noun} later than now ({_when(now)}).",
            ahead,
        )
    ]


# The kinds that mark the outage itself (it started, someone was told, it was relieved) are
# the key kinds, the ones the metrics read.
_OUTAGE_KINDS = KEY_KINDS


def outage_window(
    events: Sequence[SanityEvent],
) -> tuple[list[SanityEvent], list[SanityEvent]]:
    """(the outage's events, the context around it), both in time order.

    The timeline is cut where a quiet day or more passes (``GAP_MINIMUM``). The outage runs
    from the first stretch that holds an event marking it (impact, alert, acknowledgement,
    mitigation, recovery) to the last such stretch; stretches before are lead-up, after it
    epilogue. Context entries are not checked for gaps or outliers (an upgrade three weeks
    before, the provider's report two weeks after, are correctly dated), and what they
    would give as start or end is not the outage's. With no such event at all (a security
    investigation, a timeline of notes) nothing marks an outage and nothing is set aside:
    see ``is_investigation``.
    """
    ordered = sorted(events, key=lambda event: event.at)
    stretches: list[list[SanityEvent]] = []
    for event in ordered:
        if stretches and event.at - stretches[-1][-1].at < GAP_MINIMUM:
            stretches[-1].append(event)
        else:
            stretches.append([event])
    if len(stretches) < 2:
        return ordered, []
    marked = [
        index
        for index, stretch in enumerate(stretches)
        if any(event.kind in _OUTAGE_KINDS for event in stretch)
    ]
    if not marked:
        return ordered, []
    first, last = marked[0], marked[-1]
    core = [event for stretch in stretches[first : last + 1] for event in stretch]
    context = [
        event
        for index, stretch in enumerate(stretches)
        if not first <= index <= last
        for event in stretch
    ]
    return core, context


def is_investigation(events: Sequence[SanityEvent]) -> bool:
    """Whether no event marks an outage (no impact, alert, acknowledgement, mitigation or
    recovery): an investigation told as dated steps (a security incident's weeks of audits).

    Its steps spread over weeks are the work, not mistyped dates, and no metric is computed
    from them: an outlier there says nothing (docs/lint-review.md, review6 10-13). Gaps are
    still told: a report escalated and then left for a day is a gap in the response."""
    return not any(event.kind in _OUTAGE_KINDS for event in events)


# More descents than this share of the entries: the list is not meant as one time order
# (grouped by topic, by system, or newest first with mixed parts), nothing is said.
_DISORDER_SHARE = 0.1


def listed_out_of_order(events: Sequence[SanityEvent]) -> list[TimelineWarning]:
    """Entries whose date breaks the time order of the list around them (``events`` in
    the order the author listed them).

    The entry named is the one whose removal restores the order: "11:34" listed between
    05:16 and 09:15 is the late one; "09:15" after "11:34" and "05:16" before it would be
    named if "11:34" belonged there. A list written newest first is read that way. A list
    with many descents is not one time order and gets nothing."""
    if len(events) < 3:
        return []
    steps = [later.at - earlier.at for earlier, later in zip(events, events[1:], strict=False)]
    descending = sum(step.total_seconds() < 0 for step in steps)
    ascending = sum(step.total_seconds() > 0 for step in steps)
    sequence = list(events) if ascending >= descending else list(reversed(events))
    breaks = [
        index for index in range(1, len(sequence)) if sequence[index].at < sequence[index - 1].at
    ]
    if not breaks or len(breaks) > max(1, int(len(sequence) * _DISORDER_SHARE)):
        return []
    warnings = []
    for index in breaks:
        earlier, later = sequence[index - 1], sequence[index]
        if index >= 2 and sequence[index - 2].at <= later.at:
            odd, other, side = earlier, later, "before"
        else:
            odd, other, side = later, earlier, "after"
        warnings.append(
            _rule(
                OUT_OF_ORDER,
                f"The entry {odd.name} is listed {side} {other.name}, but the dates say the "
                "other way round.",
                [odd],
            )
        )
    return warnings
