"""Timeline sanity for ``kintsugi lint``: the warnings the editor shows, on the file's lines.

The timeline is read by the importer's timeline reader alone
(kintsugi.core.markdown.timeline_part: the front matter, the timeline section and what its
times depend on, not the rest of the document), strictly first, as our own format is, and
in best effort when that refuses it, as for documents written elsewhere; then checked by
kintsugi.core.timeline_sanity. Each finding points at the line of the event it names
(found by the event's text within the timeline section), else at the section heading.

The reader is loaded only for a document that has a timeline section, so ``lint`` on
other files (and its start-up) pays nothing for it; reading only the timeline keeps a
document with one cheap too (docs/lint.md, "Speed").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.language import Finding, Level, LintConfig, Linter, Rule
from kintsugi.lint.section_lines import find_section, line_finding, line_offsets

if TYPE_CHECKING:
    from kintsugi.core.markdown.timeline_part import TimelinePart
    from kintsugi.core.timeline_sanity import SanityEvent

CATEGORY = "timeline"


def _level(rule_id: str) -> Level:
    """A long gap is a hint (real multi-day incidents have quiet days); the rest are
    warnings: each names something that makes a metric wrong."""
    from kintsugi.core.timeline_sanity import LONG_GAP

    return Level.INFO if rule_id == LONG_GAP else Level.WARNING


def timeline_rules() -> tuple[Rule, ...]:
    """The rules, for ``--list-rules`` and SARIF."""
    from kintsugi.core.timeline_sanity import RULES

    return tuple(
        Rule(
            rule_id,
            CATEGORY,
            _level(rule_id),
            title,
            f"{title}: a date in the timeline is probably mistyped, and so are the metrics "
            "computed from it (time to detect, time to mitigate, downtime).",
            suggestion,
        )
        for rule_id, (title, suggestion) in RULES.items()
    )


def check_timeline(text: str, linter: Linter, *, now: datetime | None = None) -> list[Finding]:
    """Timeline sanity findings for a Markdown post-mortem; empty without a timeline."""
    config = linter.config
    lines = text.split("\n")
    section = _section(lines)
    document = _read(text) if section is not None else None
    entries = document.entries if document is not None else []
    stated = _stated(lines, config, [entry.at for entry in entries])
    if section is None or document is None or not entries:
        return stated
    from kintsugi.core.timeline_sanity import (
        OUTLIER_EVENT,
        RULES,
        SanityEvent,
        check_timeline_sanity,
        future_events,
        is_investigation,
        listed_out_of_order,
        outage_window,
    )

    if not any(config.is_enabled(rule_id) for rule_id in RULES):
        return stated
    heading, start, end = section
    places = _places(lines[start:end], [entry.text for entry in document.entries], start)
    events = [
        SanityEvent(places[index] or heading, entry.kind, entry.at, entry.text)
        for index, entry in enumerate(document.entries)
    ]
    outages = _outages(lines, start, end)
    if len(outages) >= 2:
        # A report of several outages: each is checked on its own, without the document's
        # bounds (they span all of them). Order, gaps and downtime between two outages say
        # nothing about either (docs/lint-review.md, "Precision round", review5 33-36).
        groups = [
            [
                event
                for index, event in enumerate(events)
                if places[index] is not None and first <= int(str(event.ref)) <= last
            ]
            for first, last in outages
        ]
    else:
        groups = _occurrences(events)
    moment = now or datetime.now(UTC)
    # The author's order: an entry whose date breaks it is probably mistyped (per outage
    # when the report has several; in document order, before any sorting).
    listed = groups if len(outages) >= 2 else [events]
    warnings = [warning for group in listed for warning in listed_out_of_order(group)]
    if len(groups) < 2:
        incident, lead_up = _without_lead_up(events)
        # Lead-up and epilogue (an upgrade weeks before, routine jobs, a call or the
        # provider's report days after) are not the response: gaps, outliers and downtime
        # are checked inside the outage (docs/lint-review.md, "After review6").
        incident, context = outage_window(incident)
        started_at, ended_at = document.started_at, document.ended_at
        if incident:
            first, last = incident[0].at, incident[-1].at
            if started_at is not None and (
                started_at < first - _BOUND_SLACK or (lead_up and started_at <= lead_up[-1].at)
            ):
                started_at = None  # taken from the lead-up, not from the outage
            if ended_at is not None and ended_at > last + _BOUND_SLACK:
                ended_at = None  # taken from the epilogue
        checked = check_timeline_sanity(
            incident, started_at=started_at, ended_at=ended_at, now=moment
        )
        if is_investigation(incident):
            checked = [warning for warning in checked if warning.rule != OUTLIER_EVENT]
        warnings.extend(checked)
        warnings.extend(future_events([*lead_up, *context], moment))
    else:
        for group in groups:
            warnings.extend(check_timeline_sanity(group, now=moment))
    offsets = line_offsets(lines)
    findings = []
    for warning in warnings:
        if not config.is_enabled(warning.rule):
            continue
        line = int(str(warning.refs[0])) if warning.refs else heading
        findings.append(_finding(lines, offsets, config, warning.rule, warning.message,
                                 warning.suggestion, line))  # fmt: skip
    return [*stated, *findings]


# kintsugi.core.timeline_sanity.HEADER_MISMATCH, named here so that a document without a
# key fact does not load the sanity checks (docs/lint.md, "Speed").
_HEADER_MISMATCH = "timeline/header-mismatch"
# A line that may hold a key fact: a milestone word near its start with a digit after it
# (a superset of stated_times' key facts). Without one, the reader is not even loaded.
_MAYBE_KEY_FACT = re.compile(
    r"(?im)^.{0,24}?\b(?:start|began|impact|outage|detect|report|notic|alert|declar|mitigat"
    r"|repair|workaround|resol|fix|recover|end|clos|restor)[^\n]{0,40}?\d"
)


def _stated(lines: list[str], config: LintConfig, timeline: list[datetime]) -> list[Finding]:
    """The header's key facts against each other, the timed line of the same milestone and
    the timeline's dates (kintsugi.core.markdown.stated_times): one finding per header line,
    naming the other line. Checked with or without a timeline section: a header of key
    events is often the only timeline a report has."""
    if not config.is_enabled(_HEADER_MISMATCH) or not _MAYBE_KEY_FACT.search("\n".join(lines)):
        return []
    # Imported here: a small reader (no importer, no sanity checks) that every document
    # pays for; the rule's text only when there is a finding.
    from kintsugi.core.markdown.stated_times import stated_mismatches

    mismatches = stated_mismatches(lines, timeline)
    if not mismatches:
        return []
    from kintsugi.core.timeline_sanity import HEADER_MISMATCH, RULES

    offsets = line_offsets(lines)
    suggestion = RULES[HEADER_MISMATCH][1]
    return [
        _finding(
            lines, offsets, config, HEADER_MISMATCH, mismatch.message, suggestion, mismatch.line
        )  # fmt: skip
        for mismatch in mismatches
    ]


def _read(text: str) -> TimelinePart | None:
    # Imported here: the reader is needed only for a document with a timeline.
    from kintsugi.core.markdown.timeline_part import read_timeline_either

    try:
        return read_timeline_either(text)
    except ValidationProblem:  # too large, or not text
        return None


def _section(lines: list[str]) -> tuple[int, int, int] | None:
    """(heading line, 1-based; first body index; end index) of the timeline section."""
    # Any level: the reader takes a timeline under "#### TIMELINE:" too, and a finding
    # needs the section its entries came from.
    return find_section(lines, "timeline", max_level=6)


# A sub-section that reports an incident of its own: its own duration, impact, causes or
# timeline ("**Duration:** 21:45 to 23:28 UTC", "**Timeline:**").
_OUTAGE_LABEL = re.compile(
    r"^[ \t>*_-]*(?:duration|impact|root causes?|timeline|time to (?:detect|resolve))\b[*_ \t]*:",
    re.IGNORECASE,
)
_SUBHEADING = re.compile(r"^[ ]{0,3}(#{2,6})[ \t]+\S")


def _outages(lines: list[str], start: int, end: int) -> list[tuple[int, int]]:
    """The 1-based line ranges of the sub-sections of the timeline section that each report
    an outage of their own, when there are at least two (else an empty list).

    A multi-day incident told under date headings ("### 2024-03-01") is one timeline and
    keeps its checks across days; only sub-sections that carry their own duration, impact,
    causes or timeline label are separate incidents."""
    heads = [index for index in range(start, end) if _SUBHEADING.match(lines[index])]
    ranges: list[tuple[int, int]] = []
    for number, head in enumerate(heads):
        stop = heads[number + 1] if number + 1 < len(heads) else end
        if any(_OUTAGE_LABEL.match(line) for line in lines[head + 1 : stop]):
            ranges.append((head + 1, stop))
    return ranges if len(ranges) >= 2 else []


# A start or end of the document this far outside the outage's own events was taken from
# context entries (or says nothing about the outage).
_BOUND_SLACK = timedelta(hours=24)

# An event that says the failure came back: "Second occurrence of a node in NotReady state",
# "We discover that another node has entered NodeLost", "the errors returned", "it happened
# again".
_RECURRENCE = re.compile(
    r"(?i)\b(?:(?:second|third|fourth|fifth|sixth|seventh|another|new|next|\d+(?:st|nd|rd|th))"
    r" (?:\w+ )?(?:occurr?ences?|outages?|incidents?|episodes?|failures?|crash(?:es)?)"
    r"|another (?:\w+ ){0,2}?(?:has |had |have )?(?:entered|failed|crashed|went|gone|is|was)"
    r"|recurr\w*|re-?occurr\w*|(?:happened|happens|occurred|failed|crashed|broke) again"
    r"|(?:came|comes|is|was) back|returned|once more)\b"
)
# How far apart two occurrences must be for the gap between them to be the gap between two
# incidents: the sanity checks' own minimum gap.
_RECURRENCE_GAP_HOURS = 24


def _occurrences(events: list[SanityEvent]) -> list[list[SanityEvent]]:
    """The events split where a failure comes back after a quiet day or more, when there is
    such a place; else one group (docs/lint-review.md, "Precision round on review1-5").

    A timeline of a problem that recurred ("First occurrence ...", three days later "Second
    occurrence ...") is not one incident with a hole in it or a mistyped date: its gap,
    outliers and downtime are checked within each occurrence."""
    ordered = sorted(events, key=lambda event: event.at)
    groups: list[list[SanityEvent]] = []
    for event in ordered:
        if (
            groups
            and (event.at - groups[-1][-1].at).total_seconds() >= _RECURRENCE_GAP_HOURS * 3600
            and _RECURRENCE.search(event.text)
        ):
            groups.append([event])
        elif groups:
            groups[-1].append(event)
        else:
            groups.append([event])
    return groups


# An event that tells how the latent condition came to be: "Crashloop bug preventing Boskos
# from updating is introduced", "the StatefulSet spec is updated but the pod is not".
_LATENT = re.compile(
    r"(?i)\b(?:is|was|were|are|been|gets?|got)\s+(?:\w+\s+)?(?:introduced|merged|landed|added"
    r"|updated|changed|created|configured|enabled|disabled|set up|committed)\b"
    r"|\b(?:introduc|merg|commit)\w* (?:the |a |an )?(?:\w+ )?(?:bug|change|regression|commit|pr)\b"
)


def _without_lead_up(
    events: list[SanityEvent],
) -> tuple[list[SanityEvent], list[SanityEvent]]:
    """(the incident's events, the lead-up before them).

    A timeline often opens with how the latent condition came to be, weeks or months before
    the incident: the bug introduced, the spec changed. Such an event is not a mistyped date,
    the quiet time after it is no gap in the response, and the incident did not start with
    it. Leading events that say so and are followed by a quiet day or more are set aside
    (docs/lint-review.md, "Precision round on review1-5")."""
    ordered = sorted(events, key=lambda event: event.at)
    cut = 0
    while (
        cut + 1 < len(ordered)
        and _LATENT.search(ordered[cut].text)
        and (ordered[cut + 1].at - ordered[cut].at).total_seconds() >= _RECURRENCE_GAP_HOURS * 3600
    ):
        cut += 1
    if len(ordered) - cut < 2:
        return events, []
    return ordered[cut:], ordered[:cut]


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def _places(body: Sequence[str], texts: Sequence[str], first_index: int) -> list[int | None]:
    """The 1-based line of each entry: the first line not yet taken that holds the start of
    its text (in order, as the importer reads the section)."""
    flat = [_words(line) for line in body]
    places: list[int | None] = []
    cursor = 0
    for text in texts:
        needle = _words(text)[:40]
        found = None
        if needle:
            for index in range(cursor, len(flat)):
                if needle in flat[index]:
                    found = index
                    break
        if found is None:
            places.append(None)
            continue
        places.append(first_index + found + 1)
        cursor = found + 1
    return places


def _finding(
    lines: list[str],
    offsets: list[int],
    config: LintConfig,
    rule: str,
    message: str,
    suggestion: str,
    line: int,
) -> Finding:
    return line_finding(
        lines,
        offsets,
        line,
        rule=rule,
        category=CATEGORY,
        severity=config.severity_for(rule, _level(rule)),
        message=f"Timeline: {message}",
        suggestion=suggestion,
    )
