"""Best-effort import: a zone written once holds for the times after it, and the outage
window the summary states bounds the incident where the timeline marks no start or end
(docs/markdown-format.md). Invented documents, both directions."""

from __future__ import annotations

from datetime import UTC, datetime

from kintsugi.core.markdown.parse import read_markdown
from kintsugi.core.timeline import EventKind


def read(text: str):
    return read_markdown(text)


HEADINGS = """# Proxy out of memory on 2024-06-11

## Timeline

### 2024-06-11 16:20 PDT

The proxy pod is killed by the kernel.

### 16:31 PDT

Someone notices the dashboard is blank.

### 16:40

The pod is restarted by hand.

### 16:45 UTC

A note written by a colleague in another zone.

### 16:50

Service back.
"""


def test_a_zone_written_on_an_entry_holds_until_another_is_written():
    result = read(HEADINGS)
    times = [entry.at for entry in result.document.timeline]
    assert times[2] == datetime(2024, 6, 11, 23, 40, tzinfo=UTC)  # 16:40 PDT
    assert times[3] == datetime(2024, 6, 11, 16, 45, tzinfo=UTC)
    assert times[4] == datetime(2024, 6, 11, 16, 50, tzinfo=UTC)  # UTC, written last
    notes = [note.message for note in result.report.notes]
    assert any("the zone written on line 9 before them" in note for note in notes)


def test_a_declared_zone_is_not_overridden_by_an_entry_zone():
    text = HEADINGS.replace("## Timeline", "## Timeline (all times UTC)")
    times = [entry.at for entry in read(text).document.timeline]
    assert times[2] == datetime(2024, 6, 11, 16, 40, tzinfo=UTC)


def test_a_later_timeline_section_keeps_the_zone_declared_by_an_earlier_one():
    text = """# Queue stall on 2024-06-11

## Timeline (all times CEST)

- 09:00 Queue stops draining

## Detailed timeline

- 09:30 Workers restarted
"""
    times = [entry.at for entry in read(text).document.timeline]
    assert times == [
        datetime(2024, 6, 11, 7, 0, tzinfo=UTC),
        datetime(2024, 6, 11, 7, 30, tzinfo=UTC),
    ]


def test_without_any_zone_times_are_still_read_as_utc():
    text = HEADINGS.replace(" PDT", "").replace(" UTC", "")
    times = [entry.at for entry in read(text).document.timeline]
    assert times[2] == datetime(2024, 6, 11, 16, 40, tzinfo=UTC)


WINDOW = """# Brownout of the build host, 2024-09-02

**Duration**: ~30 minutes (16:15 - 16:45 CEST)
**Impact**: builds queued

## Timeline

- 15:50 CEST Nightly job rescheduled to the afternoon
- 16:20 CEST Load average above 40
- 16:44 CEST Load average below 10
"""


def test_the_stated_window_bounds_the_incident_when_the_timeline_marks_neither_end():
    result = read(WINDOW)
    doc = result.document
    assert doc.started_at == datetime(2024, 9, 2, 14, 15, tzinfo=UTC)
    assert doc.ended_at == datetime(2024, 9, 2, 14, 45, tzinfo=UTC)
    assert any("outage window stated on line 3" in note.message for note in result.report.notes)


def test_a_timeline_that_marks_the_start_keeps_it():
    text = WINDOW.replace("Load average above 40", "Impact started: builds time out")
    doc = read(text).document
    assert any(entry.kind == EventKind.IMPACT_STARTED for entry in doc.timeline)
    assert doc.started_at == datetime(2024, 9, 2, 13, 50, tzinfo=UTC)  # the first entry


def test_a_window_without_an_outage_word_is_not_a_bound():
    text = WINDOW.replace("**Duration**: ~30 minutes", "**Office hours**:")
    doc = read(text).document
    assert doc.started_at == datetime(2024, 9, 2, 13, 50, tzinfo=UTC)
    assert doc.ended_at is None


def test_a_report_without_a_timeline_gets_its_bounds_from_the_window():
    text = "# Network outage, 2024-09-02\n\nThe LAN was down from 10:00 to 10:15 UTC.\n"
    doc = read(text).document
    assert (doc.started_at, doc.ended_at) == (
        datetime(2024, 9, 2, 10, 0, tzinfo=UTC), datetime(2024, 9, 2, 10, 15, tzinfo=UTC),
    )  # fmt: skip


def test_a_window_across_midnight_with_its_dates_written_in_words():
    text = """# Export outage

From 22:10 UTC on 3 March 2025 until 06:40 UTC on 4 March 2025 the nightly export was down.

## Timeline

* 2 March 2025 09:00 - Storage upgraded (planned)
* 3 March 2025 22:10 - First export job fails
* 4 March 2025 06:40 - Export job succeeds again
"""
    doc = read(text).document
    assert doc.started_at == datetime(2025, 3, 3, 22, 10, tzinfo=UTC)  # not the upgrade
    assert doc.ended_at == datetime(2025, 3, 4, 6, 40, tzinfo=UTC)


def test_a_window_whose_end_is_written_before_its_start_is_not_used():
    text = """# Export outage

The export was down from 22:10 on 2025-03-04 until 06:40 on 2025-03-03.

## Timeline

* 2025-03-03 22:15 UTC - First export job fails
"""
    doc = read(text).document
    assert doc.started_at == datetime(2025, 3, 3, 22, 15, tzinfo=UTC)  # the first entry


def test_an_undated_window_does_not_end_an_incident_whose_start_is_given_elsewhere():
    """A blog post dated the day after ("Yesterday, from 11:45 to 13:56"): the window's day
    is unknown, so it is not placed on the post's date."""
    text = """---
title: Login outage
date: 2024-05-20T00:30:00Z
---

Yesterday, logins were unavailable from 11:45 to 13:56 (Pacific Time).
"""
    doc = read(text).document
    assert doc.ended_at is None
    dated = text.replace("Yesterday,", "On May 19, 2024").replace(
        "date: 2024-05-20T00:30:00Z\n", ""
    )
    doc = read(dated).document
    assert (doc.started_at, doc.ended_at) == (
        datetime(2024, 5, 19, 18, 45, tzinfo=UTC), datetime(2024, 5, 19, 20, 56, tzinfo=UTC),
    )  # fmt: skip


def test_a_window_never_starts_the_incident_after_its_stated_end():
    text = """---
ended_at: '2024-09-02T10:00:00Z'
---

# Brownout of the build host, 2024-09-02

**Duration**: ~30 minutes (16:15 - 16:45 UTC)
"""
    doc = read(text).document
    assert doc.started_at is None or doc.started_at <= doc.ended_at
    assert doc.ended_at == datetime(2024, 9, 2, 10, 0, tzinfo=UTC)
