"""The three grammars under the timeline reader: zone words, dates, and the time at the start
of an entry. Each is tested both ways: what it reads, and what it leaves alone or refuses."""

from __future__ import annotations

from datetime import UTC, date, time, timedelta

import pytest

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.clock import read_stamp
from kintsugi.core.markdown.timeline_dates import DateContext, read_date, slash_order
from kintsugi.core.markdown.zones import (
    ABBREVIATION,
    AMBIGUOUS,
    CERTAIN,
    REGIONAL,
    dst_mismatch,
    lookup_zone,
    offset_zone,
)

# ---------------------------------------------------------------- zones


@pytest.mark.parametrize(
    ("word", "minutes"),
    [("UTC", 0), ("GMT", 0), ("Z", 0), ("+05:30", 330), ("-0700", -420), ("UTC+2", 120)],
)
def test_utc_and_offsets_are_certain(word, minutes):
    zone = lookup_zone(word)
    assert zone is not None and zone.certainty == CERTAIN
    assert zone.tz.utcoffset(None) == timedelta(minutes=minutes)


def test_iana_names_come_from_zoneinfo_with_daylight_time_by_date():
    zone = lookup_zone("America/Los_Angeles")
    assert zone is not None and zone.certainty == CERTAIN
    from datetime import datetime

    assert datetime(2024, 7, 1, tzinfo=zone.tz).utcoffset() == timedelta(hours=-7)
    assert datetime(2024, 1, 1, tzinfo=zone.tz).utcoffset() == timedelta(hours=-8)


@pytest.mark.parametrize(("word", "hours"), [("PDT", -7), ("PST", -8), ("CEST", 2), ("JST", 9)])
def test_unambiguous_abbreviations_are_fixed_offsets_to_note(word, hours):
    zone = lookup_zone(word)
    assert zone is not None and zone.certainty == ABBREVIATION
    assert zone.tz.utcoffset(None) == timedelta(hours=hours)


@pytest.mark.parametrize(
    ("word", "other"), [("IST", "Irish"), ("CST", "China"), ("BST", "Bangladesh")]
)
def test_shared_abbreviations_take_the_common_meaning_and_name_the_others(word, other):
    zone = lookup_zone(word)
    assert zone is not None and zone.certainty == AMBIGUOUS
    assert other in zone.alternatives


def test_the_documents_own_definition_wins_over_the_common_meaning():
    own = offset_zone("+02:00")
    assert own is not None
    zone = lookup_zone("IST", {"IST": own})
    assert zone is own


@pytest.mark.parametrize("word", ["Pacific Time", "PT", "PST/PDT", "US/Pacific"])
def test_regional_names_are_the_local_clock(word):
    zone = lookup_zone(word)
    assert zone is not None and zone.certainty in (REGIONAL, CERTAIN)


@pytest.mark.parametrize("word", ["API", "DB", "approximate", "Mars/Olympus", "+25:00", ""])
def test_words_that_name_no_zone_are_not_zones(word):
    assert lookup_zone(word) is None


def test_a_standard_time_written_in_summer_is_flagged_and_a_matching_one_is_not():
    pst = lookup_zone("PST")
    assert pst is not None
    assert "PDT" in (dst_mismatch(pst, date(2018, 7, 6)) or "")
    assert dst_mismatch(pst, date(2018, 1, 6)) is None


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "text",
    ["2024-05-01", "May 1, 2024", "1 May 2024", "Wednesday, May 1st 2024", "May 1st, 2024"],
)
def test_it_reads_full_dates_in_many_forms_without_a_note(text):
    context = DateContext()
    assert read_date(text, context) == date(2024, 5, 1)
    assert context.notes == []


def test_a_date_without_a_year_takes_the_nearest_to_the_documents_date_and_says_so():
    context = DateContext(anchor=date(2024, 12, 30), anchor_source="the front matter date")
    assert read_date("Jan 2", context) == date(2025, 1, 2)  # not 2024-01-02, a year away
    assert context.notes and "2025" in context.notes[0][1]


def test_a_date_without_a_year_in_a_document_without_one_is_refused():
    with pytest.raises(ValidationProblem, match="no year"):
        read_date("Monday, May 1st", DateContext())


def test_numeric_dates_are_read_without_a_note_only_when_unambiguous():
    context = DateContext()
    assert read_date("25/04/2024", context) == date(2024, 4, 25)
    assert read_date("04/25/2024", context) == date(2024, 4, 25)
    assert context.notes == []
    assert read_date("05/01/2024", context) == date(2024, 5, 1)
    assert "5 January" in context.notes[0][1]  # the other reading is named


def test_the_documents_own_numeric_order_decides_an_ambiguous_date():
    order, reason = slash_order("Started 25/04/2024, fixed 26/04/2024.")
    assert order == "dmy" and "'25/04/2024'" in reason
    context = DateContext(slash_order=order, slash_reason=reason)
    assert read_date("05/01/2024", context) == date(2024, 1, 5)
    assert "25/04/2024" in context.notes[0][1]
    assert slash_order("04/25/2024 and 25/04/2024") == (None, "")  # mixed: shows nothing


def test_only_the_reading_that_keeps_an_incidents_dates_together_decides():
    # obs-2023-04-12 (openSUSE): "06/04/2023 21:42" ... "11/04/2023 08:35" in a document
    # about "April 6 to April 11, 2023".
    text = "- 06/04/2023 21:42 created\n- 11/04/2023 08:35 fixed"
    assert slash_order(text, date(2023, 4, 11))[0] == "dmy"
    assert slash_order(text)[0] == "dmy"  # 6-11 April, not June to November
    assert slash_order("- 03/04/2023 a\n- 04/04/2023 b")[0] is None  # both readings close


@pytest.mark.parametrize(
    ("text", "day"), [("24-10-2024", date(2024, 10, 24)), ("19. April 2018", date(2018, 4, 19))]
)
def test_dashed_dotted_and_day_first_forms(text, day):
    assert read_date(text, DateContext()) == day


def test_impossible_dates_are_refused():
    with pytest.raises(ValidationProblem):
        read_date("2024-02-30", DateContext())


# ---------------------------------------------------------------- the time of an entry


@pytest.mark.parametrize(
    ("text", "clock"),
    [
        ("9:05 pm: rolled back", time(21, 5)),
        ("9:05PM rolled back", time(21, 5)),
        ("12:30 am: resolved", time(0, 30)),
        ("12:15 pm - lunch", time(12, 15)),
        ("9 pm incident declared", time(21, 0)),
        ("5:37 P.M. – Channel 9 aired a segment", time(17, 37)),
        ("09:05-09:20 rollback", time(9, 5)),
        ("11:50-12:10 pm rollback", time(11, 50)),
        ("~18:10 we hit a snag", time(18, 10)),
    ],
)
def test_twelve_hour_clocks_and_ranges_never_land_twelve_hours_off(text, clock):
    stamp = read_stamp(text)
    assert stamp is not None and stamp.clock == clock


@pytest.mark.parametrize(
    ("text", "zone", "rest"),
    [
        ("14:02 PST: paged", "PST", "paged"),
        ("**09:05** — deploy started", "", "deploy started"),
        ("[09:05] errors began", "", "errors began"),
        ("2024-05-01T14:02:00Z alert", "Z", "alert"),
        ("**May 1, 14:02 UTC**: paged", "UTC", "paged"),
        ("14:02 (UTC+2) paged", "UTC+2", "paged"),
        ("14:02 API errors spike", "", "API errors spike"),
        ("14:02 XST: paged", "XST", "paged"),  # shaped like a zone: the reader keeps it
    ],
)
def test_it_finds_the_zone_word_and_where_the_text_starts(text, zone, rest):
    stamp = read_stamp(text, known_zone=lambda word: lookup_zone(word) is not None)
    assert stamp is not None
    assert (stamp.zone_text, text[stamp.end :]) == (zone, rest)


@pytest.mark.parametrize(
    "text", ["2 engineers joined", "2019: a good year", "Version 1.14 shipped", "At noon"]
)
def test_text_that_does_not_start_with_a_time_is_left_alone(text):
    assert read_stamp(text) is None


def test_an_hour_over_12_with_am_or_pm_is_refused_not_guessed():
    with pytest.raises(ValidationProblem, match="over 12"):
        read_stamp("13:05 pm paged")


def test_utc_is_the_same_object_for_all_spellings():
    zone = lookup_zone("utc")
    assert zone is not None and zone.tz is UTC


def test_a_date_and_time_joined_by_a_slash_is_one_stamp():
    """Wire's "*2023-01-04/11:34*: ..." (review6): the entry was lost before."""
    from kintsugi.core.markdown.timeline_part import read_timeline_either

    text = (
        "# Outage\n\n## Timeline\n\n"
        "*2023-01-04 05:13*: The monitor alerted.\n\n"
        "*2023-01-04/11:34*: The provider blocked the address.\n\n"
    )
    entries = read_timeline_either(text).entries
    assert [(e.at.hour, e.at.minute) for e in entries][:2] == [(5, 13), (11, 34)]
    assert entries[1].text.startswith("The provider blocked")
