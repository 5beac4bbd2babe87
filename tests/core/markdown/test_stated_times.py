"""Times stated outside the timeline (kintsugi.core.markdown.stated_times): key facts, the
timed lines that name a milestone, the stated outage window; each in both directions.

The documents are written for these tests (not copied from the real sets): the mechanisms
are the ones review7 saw (docs/lint-review.md, "After review7").
"""

from __future__ import annotations

import time as clock
from datetime import UTC, date, datetime, time

import pytest

from kintsugi.core.markdown.stated_times import (
    key_facts,
    stated_mismatches,
    stated_window,
    timed_milestones,
)


def lines(text: str) -> list[str]:
    return text.split("\n")


YEAR_TYPO = """# Incident on 2024-03-07 - Queue backlog

* Key moments
  * Detected: 2024-03-07 09:10
  * **Incident declared**: 2023-03-07 09:25
  * Mitigated 2024-03-07 11:00
  * Resolved: 2023-03-08 16:00
"""


def test_key_facts_are_read_in_several_shapes():
    facts = key_facts(lines(YEAR_TYPO + "\n## 🛠 Resolution (2024-03-08 16:00)\n"))
    assert [(f.line, f.milestone) for f in facts] == [
        (4, "detected"), (5, "declared"), (6, "mitigated"), (7, "resolved"), (9, "resolved"),
    ]  # fmt: skip
    assert facts[1].day == date(2023, 3, 7) and facts[1].clock == time(9, 25)


def test_a_year_typo_among_the_key_facts_is_named_with_both_lines():
    found = stated_mismatches(lines(YEAR_TYPO))
    assert [(m.line, m.other) for m in found] == [(5, 4), (7, 6)]
    assert "a year is probably mistyped" in found[0].message
    assert "declared 2023-03-07 09:25 (line 5)" in found[0].message
    assert "detected 2024-03-07 09:10 (line 4)" in found[0].message


def test_consistent_key_facts_are_quiet_even_across_midnight():
    text = YEAR_TYPO.replace("2023-03-07", "2024-03-07").replace("2023-03-08", "2024-03-08")
    assert stated_mismatches(lines(text)) == []
    # Declared ten minutes after midnight, detected just before it: a real order.
    night = "- Detected: 2024-03-07 23:55\n- Declared: 2024-03-08 00:05\n"
    assert stated_mismatches(lines(night)) == []
    # A date alone is a whole day: "detected 2024-03-07" and "declared 2024-03-07 00:10" agree.
    assert stated_mismatches(lines("- Detected 2024-03-07\n- Declared 2024-03-07 00:10\n")) == []


def test_a_day_not_rolled_over_is_named():
    text = "- Declared: 2024-03-07 23:50\n- Resolved: 2024-03-07 00:40\n"
    found = stated_mismatches(lines(text))
    assert [(m.line, m.other) for m in found] == [(2, 1)]
    assert "a day is probably mistyped" in found[0].message


HEADER_AND_LINES = """# Leaked token

- Incident declared 2024-05-02 10:12
- Resolved 2024-05-02 15:30

## What happened

09:58 - Token pushed to a public branch
10:31 – Incident declared in the incident channel
11:02 - Token revoked
15:29 - Incident declared resolved
"""


def test_a_key_fact_against_the_timed_line_of_the_same_milestone():
    found = stated_mismatches(lines(HEADER_AND_LINES))
    assert [(m.line, m.other) for m in found] == [(3, 9)]
    assert "declared 2024-05-02 10:12 (line 3)" in found[0].message
    assert "“10:31 – Incident declared in the incident channel”" in found[0].message
    # "declared resolved" is the resolution, a minute from the header's: it agrees.
    assert [(m.line, m.milestone) for m in timed_milestones(lines(HEADER_AND_LINES))] == [
        (9, "declared"), (11, "resolved"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "said",
    ["Incident declared resolved", "Incident declared as resolved", "Incident marked closed",
     "Incident was declared to be over", "Incident closed"],
)  # fmt: skip
def test_an_incident_declared_resolved_is_the_resolution_not_the_declaration(said: str):
    text = f"- Incident declared: 2024-05-02 10:12\n\n- 2024-05-02 11:40: {said}\n"
    assert [m.milestone for m in timed_milestones(lines(text))] == ["resolved"]
    assert stated_mismatches(lines(text)) == []


def test_a_few_minutes_of_rounding_and_other_milestones_are_quiet():
    text = HEADER_AND_LINES.replace("10:31 –", "10:15 –")
    assert stated_mismatches(lines(text)) == []
    # A timed line that only mentions the word is not the milestone.
    text = HEADER_AND_LINES.replace("10:31 – Incident declared in", "10:31 – We discussed whether")
    assert stated_mismatches(lines(text)) == []


def test_a_key_fact_a_year_off_the_timeline_is_named_and_one_weeks_later_is_not():
    timeline = [datetime(2023, 1, 4, 9, tzinfo=UTC), datetime(2023, 2, 1, 10, tzinfo=UTC)]
    found = stated_mismatches(lines("- Declared: 2022-01-05 08:56\n"), timeline)
    assert len(found) == 1 and found[0].other is None
    assert "the year is probably mistyped" in found[0].message
    assert stated_mismatches(lines("- Declared: 2023-01-05 08:56\n"), timeline) == []
    # Resolved five weeks after the last entry: a long tail, not a typo's shape.
    assert stated_mismatches(lines("- Resolved: 2023-03-10 12:00\n"), timeline) == []


def test_fenced_lines_and_documents_without_key_facts_are_quiet():
    fenced = "```\n- Declared: 2022-01-05 08:56\n- Detected: 2023-01-04 10:00\n```\n"
    assert stated_mismatches(lines(fenced)) == []
    assert stated_mismatches(lines("# Title\n\nNo times at all.\n")) == []
    assert stated_mismatches([]) == []


def test_many_key_facts_are_compared_in_bounded_time():
    text = ["- Resolved 2024-01-01 10:00"] * 3000 + ["- Detected 2024-01-02 10:00"] * 3000
    text += ["10:00 - Incident declared"] * 3000
    start = clock.perf_counter()
    found = stated_mismatches(text)
    assert clock.perf_counter() - start < 2
    assert len(found) <= 40  # the first 40 key facts, each at most once


def test_hostile_input_is_read_in_linear_time():
    text = "- Declared: " + "2024-01-01 " * 20_000 + "\n" + ("- Resolved 12:" * 5_000)
    start = clock.perf_counter()
    stated_mismatches(lines(text))
    stated_window(lines(text))
    assert clock.perf_counter() - start < 2


def test_a_stated_window_is_read_beside_an_outage_word():
    window = stated_window(lines("# Load spike\n\n**Duration**: ~30 minutes (16:15 - 16:45 CET)\n"))
    assert window is not None
    assert (window.line, window.start, window.end, window.zone) == (
        3,
        time(16, 15),
        time(16, 45),
        "CET",
    )
    prose = stated_window(lines("The API was unavailable from 2024-02-03 07:11 to 09:43 UTC."))
    assert prose is not None and prose.day == date(2024, 2, 3) and prose.zone == "UTC"
    assert (prose.start, prose.end) == (time(7, 11), time(9, 43))


def test_no_window_without_an_outage_word_or_on_a_timeline_entry():
    assert stated_window(lines("Office hours: 09:00 - 17:00 on weekdays.")) is None
    assert stated_window(lines("- 14:00 - 14:30 outage of the API, then recovery")) is None
    assert stated_window(lines("Downtime: none")) is None


def test_window_dates_are_kept_as_written_before_or_after_each_end():
    title = stated_window(lines("# Outage 25 June 2025 21:33 until 26 June 2025 13:22 (16 h)"))
    assert title is not None
    assert (title.start_date, title.end_date) == ("25 June 2025", "26 June 2025")
    prose = stated_window(lines("From 21:33 UTC on 25 June 2025 until 13:22 UTC on 26 June, down."))
    assert prose is not None and (prose.start_date, prose.end_date, prose.zone) == (
        "25 June 2025", "26 June", "UTC",
    )  # fmt: skip
    # A lower-case word after a time is no zone: "from 07:11 to 09:43 the API was down".
    words = stated_window(lines("The API was down from 07:11 to 09:43 the whole morning."))
    assert words is not None and words.zone == ""


def test_the_window_date_is_taken_from_the_lines_just_above():
    text = "# Brownout\n\n**Date**: Thursday, Dec 25, 2025\n**Duration**: ~15 minutes (10:00 - 10:15 CET)\n"
    window = stated_window(lines(text))
    assert window is not None and window.start_date == "Thursday, Dec 25, 2025"


def test_a_window_under_the_timeline_heading_is_a_sub_incident_not_the_outage():
    text = """# Four outages in October

## Incident Timeline

### October 21, 2025 - Redis overload

**Duration:** 21:45 to 23:28 UTC (103 minutes)
"""
    assert stated_window(lines(text)) is None
    assert stated_window(lines(text.replace("## Incident Timeline", "## Background"))) is not None
