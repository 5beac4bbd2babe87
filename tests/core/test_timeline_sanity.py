"""Timeline sanity warnings (issue 14.10): each in both directions, no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kintsugi.core.timeline import EventKind as K
from kintsugi.core.timeline_sanity import (
    FUTURE_EVENT,
    IMPLAUSIBLE_ORDER,
    LONG_DOWNTIME,
    LONG_GAP,
    OUTLIER_EVENT,
    SanityEvent,
    check_timeline_sanity,
)

T0 = datetime(2026, 3, 1, 14, 0, tzinfo=UTC)
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def ev(ref, kind, minutes=0, hours=0, days=0, text=""):
    return SanityEvent(ref, kind, T0 + timedelta(days=days, hours=hours, minutes=minutes), text)


def check(events, **kwargs):
    kwargs.setdefault("started_at", T0)
    kwargs.setdefault("now", NOW)
    return check_timeline_sanity(events, **kwargs)


def rules(warnings):
    return [warning.rule for warning in warnings]


QUIET_HOUR = [
    ev(1, K.IMPACT_STARTED),
    ev(2, K.ALERT_FIRED, 4),
    ev(3, K.PAGE_ACKNOWLEDGED, 9),
    ev(4, K.INVESTIGATION, 20),
    ev(5, K.MITIGATED, 41),
    ev(6, K.FULLY_RECOVERED, 75),
]


def multi_day():
    """A real three-day incident: nights without events, notes during the day."""
    events = [ev(1, K.IMPACT_STARTED), ev(2, K.ALERT_FIRED, 6), ev(3, K.PAGE_ACKNOWLEDGED, 15)]
    ref = 4
    for day in range(3):
        for hour in (1, 3, 5, 8):
            events.append(ev(ref, K.INVESTIGATION, hours=hour, days=day))
            ref += 1
    events.append(ev(ref, K.MITIGATED, hours=9, days=2))
    events.append(ev(ref + 1, K.FULLY_RECOVERED, hours=20, days=2))
    return events


def test_a_plausible_incident_is_quiet():
    assert check(QUIET_HOUR) == []


def test_a_normal_multi_day_incident_is_quiet():
    assert check(multi_day(), ended_at=T0 + timedelta(days=2, hours=21)) == []


def test_an_empty_or_one_event_timeline_is_quiet():
    assert check([]) == []
    assert check([ev(1, K.NOTE, 30)]) == []


def test_mitigated_a_day_before_detected_is_named():
    """A day not rolled over at midnight: the mitigation, written on the incident's first
    date, lands almost a day before the alert (review7, mechanism 2)."""
    events = [ev(1, K.IMPACT_STARTED, hours=9, minutes=40), ev(2, K.MITIGATED, -835),
              ev(3, K.ALERT_FIRED, hours=9, minutes=50)]  # 23:40, "00:05", 23:50  # fmt: skip
    warnings = check(events, started_at=None)
    assert rules(warnings) == [IMPLAUSIBLE_ORDER]
    message = warnings[0].message
    assert "mitigated ('Mitigated' at 2026-03-01 00:05 UTC) 23 h 35 min before it was" in message
    assert "started ('Impact started' at 2026-03-01 23:40 UTC)" in message
    assert warnings[0].refs == (2, 1)
    assert "mistyped" in warnings[0].suggestion


def test_people_before_the_monitor_is_a_real_order():
    """Humans report and acknowledge minutes before the monitoring alert; a fix lands before
    the alert catches up: an unusual order of kinds, not a mistyped date (review7 row 6)."""
    people_first = [ev(1, K.IMPACT_STARTED), ev(2, K.PAGE_ACKNOWLEDGED, 6),
                    ev(3, K.ALERT_FIRED, 9), ev(4, K.FULLY_RECOVERED, 40)]  # fmt: skip
    assert check(people_first) == []
    fixed_first = [ev(1, K.IMPACT_STARTED), ev(2, K.MITIGATED, 5), ev(3, K.ALERT_FIRED, 30)]
    assert check(fixed_first) == []
    # Eleven hours back is still read as real; twelve is AM/PM or a day.
    late = [ev(1, K.IMPACT_STARTED), ev(2, K.MITIGATED, hours=1), ev(3, K.ALERT_FIRED, hours=12)]
    assert check(late) == []
    am_pm = [ev(1, K.IMPACT_STARTED), ev(2, K.MITIGATED, hours=1), ev(3, K.ALERT_FIRED, hours=13)]
    assert rules(check(am_pm)) == [IMPLAUSIBLE_ORDER]


def test_a_workaround_counts_as_mitigation_and_resolution_a_day_before_it_is_named():
    events = [ev(1, K.IMPACT_STARTED), ev(2, K.ALERT_FIRED, 5), ev(3, K.WORKAROUND_APPLIED, 9),
              ev(4, K.FULLY_RECOVERED, 8)]  # fmt: skip
    assert check(events) == []  # a minute apart: recovery noted before the workaround's line
    events[2] = ev(3, K.WORKAROUND_APPLIED, hours=23, minutes=58)
    events[3] = ev(4, K.FULLY_RECOVERED, minutes=10)  # "00:10" left on the first day
    warnings = check(events)
    assert IMPLAUSIBLE_ORDER in rules(warnings)
    order = next(w for w in warnings if w.rule == IMPLAUSIBLE_ORDER)
    assert "resolved" in order.message and order.refs == (4, 3)


def test_detected_before_the_incident_started_is_named_when_a_date_explains_it():
    warnings = check([ev(1, K.ALERT_FIRED, hours=-23), ev(2, K.MITIGATED, 20)])
    assert rules(warnings) == [IMPLAUSIBLE_ORDER]
    assert "23 h before it started (2026-03-01 14:00 UTC" in warnings[0].message
    assert check([ev(1, K.ALERT_FIRED, 3), ev(2, K.MITIGATED, 20)]) == []
    # A monitor alerting half an hour before the impact the incident records: an early alert.
    assert check([ev(1, K.ALERT_FIRED, -30), ev(2, K.MITIGATED, 20)]) == []


def test_an_event_a_year_later_is_an_outlier_and_its_downtime_is_stated():
    events = [*QUIET_HOUR[:4], ev(5, K.MITIGATED, days=365, text="Rolled back the deploy")]
    warnings = check(events, now=T0 + timedelta(days=400))
    assert set(rules(warnings)) == {OUTLIER_EVENT, LONG_DOWNTIME}
    outlier = next(w for w in warnings if w.rule == OUTLIER_EVENT)
    assert outlier.refs == (5,)
    assert "“Rolled back the deploy”" in outlier.message and "364 days" in outlier.message
    downtime = next(w for w in warnings if w.rule == LONG_DOWNTIME)
    assert "Downtime is computed as 365 days" in downtime.message
    assert "'Mitigated' at 2027-03-01 14:00 UTC" in downtime.message
    assert downtime.refs == (5,)


def test_a_note_far_before_the_incident_is_an_outlier():
    warnings = check([*QUIET_HOUR, ev(9, K.NOTE, days=-30, text="Old deploy")])
    assert rules(warnings) == [OUTLIER_EVENT]
    assert warnings[0].refs == (9,) and "before anything else" in warnings[0].message


def test_a_lone_event_is_measured_against_the_incident_window():
    warnings = check([ev(1, K.NOTE, days=20)])
    assert rules(warnings) == [OUTLIER_EVENT]
    assert check([ev(1, K.NOTE, days=6)]) == []


def test_a_long_gap_among_close_events_is_named():
    events = [*QUIET_HOUR[:4], ev(5, K.INVESTIGATION, days=3), ev(6, K.NOTE, days=3, minutes=10)]
    warnings = check(events)
    assert LONG_GAP in rules(warnings)
    gap = next(w for w in warnings if w.rule == LONG_GAP)
    assert gap.refs == (4, 5) and "Nothing happens for 2 days 23 h" in gap.message


def test_a_short_overnight_gap_is_not_a_long_gap():
    events = [*QUIET_HOUR[:4], ev(5, K.INVESTIGATION, hours=20), ev(6, K.NOTE, hours=21)]
    assert LONG_GAP not in rules(check(events))


def test_long_downtime_with_a_lone_end_is_named_but_a_busy_one_is_not():
    lone = [ev(1, K.IMPACT_STARTED), ev(2, K.ALERT_FIRED, 5), ev(3, K.MITIGATED, days=3)]
    warnings = check(lone)
    assert rules(warnings) == [LONG_DOWNTIME]
    assert "Downtime is computed as 3 days; 'Mitigated'" in warnings[0].message
    assert "ends it" in warnings[0].message
    busy = [*lone, ev(4, K.INVESTIGATION, days=2, hours=20), ev(5, K.NOTE, days=2, hours=22)]
    assert LONG_DOWNTIME not in rules(check(busy))


def test_events_in_the_future_are_named():
    events = [*QUIET_HOUR, ev(9, K.NOTE, 80, text="Follow-up")]
    warnings = check(events, now=T0 + timedelta(minutes=74))
    assert rules(warnings) == [FUTURE_EVENT]
    assert warnings[0].refs == (9,) and "later than now" in warnings[0].message
    assert check(events, now=T0 + timedelta(minutes=76)) == []  # five minutes of slack


def test_to_dict_names_the_events():
    events = [ev(1, K.IMPACT_STARTED), ev(2, K.MITIGATED, 5), ev(3, K.ALERT_FIRED, hours=14)]
    warning = check(events)[0]
    assert warning.to_dict() == {
        "rule": IMPLAUSIBLE_ORDER,
        "message": warning.message,
        "suggestion": warning.suggestion,
        "event_ids": [2, 3],
    }


def test_a_stored_timeline_is_warned_about_as_its_sanity_events_are():
    """``stored_timeline_warnings``, what the page and the API call: the rows they hold
    (objects with the model's attribute names, or named value rows) give the warnings their
    sanity events give, each naming its event by ``pk``."""
    from collections import namedtuple
    from types import SimpleNamespace

    from kintsugi.core.timeline_sanity import stored_timeline_warnings

    events = [*QUIET_HOUR[:4], ev(5, K.MITIGATED, days=365, text="Rolled back the deploy")]
    Row = namedtuple("Row", "pk kind occurred_at text")
    rows = [Row(e.ref * 10, e.kind.value, e.at, e.text) for e in events]
    objects = [SimpleNamespace(pk=r.pk, kind=r.kind, occurred_at=r.occurred_at, text=r.text,
                               version=1) for r in rows]  # fmt: skip
    incident = SimpleNamespace(started_at=T0, ended_at=None)
    later = T0 + timedelta(days=400)
    expected = check([SanityEvent(e.ref * 10, e.kind, e.at, e.text) for e in events], now=later)
    assert set(rules(expected)) == {OUTLIER_EVENT, LONG_DOWNTIME}
    assert stored_timeline_warnings(rows, incident, now=later) == expected
    assert stored_timeline_warnings(objects, incident, now=later) == expected
    assert [w.refs for w in expected if w.rule == LONG_DOWNTIME] == [(50,)]


def test_a_stored_timeline_without_its_incident_weighs_no_start_or_end():
    from kintsugi.core.timeline_sanity import stored_timeline_warnings

    lone = [SanityEvent(7, K.ALERT_FIRED, T0 + timedelta(days=30))]
    stored = [type("Row", (), {"pk": 7, "kind": "alert_fired", "occurred_at": lone[0].at,
                               "text": ""})()]  # fmt: skip
    assert stored_timeline_warnings(stored, None, now=NOW) == check_timeline_sanity(lone, now=NOW)
    assert stored_timeline_warnings(stored, None, now=NOW) == []
    started = type("Incident", (), {"started_at": T0, "ended_at": None})()
    assert rules(stored_timeline_warnings(stored, started, now=NOW)) == [OUTLIER_EVENT]


# After review6: lead-up and epilogue, investigations, the author's order.

from kintsugi.core.timeline_sanity import (  # noqa: E402
    OUT_OF_ORDER,
    is_investigation,
    listed_out_of_order,
    outage_window,
)


def test_lead_up_and_epilogue_are_set_apart_from_the_outage():
    lead_up = [ev(1, K.NOTE, days=-26, text="Database upgraded"), ev(2, K.NOTE, days=-5)]
    epilogue = [ev(9, K.NOTE, days=2, text="Follow-up call"), ev(10, K.NOTE, days=14)]
    events = [*lead_up, *QUIET_HOUR, *epilogue]
    core, context = outage_window(events)
    assert [e.ref for e in core] == [1, 2, 3, 4, 5, 6] and core == QUIET_HOUR
    assert [e.ref for e in context] == [1, 2, 9, 10]
    assert check(core) == []  # what lint checks: no outlier, no gap, no 26-day downtime
    assert OUTLIER_EVENT in rules(check(events))  # unchanged for the editor's own check


def test_a_quiet_stretch_between_two_marked_stretches_stays_in_the_window():
    events = [*QUIET_HOUR[:3], ev(7, K.NOTE, days=2), ev(8, K.MITIGATED, days=4)]
    core, context = outage_window(events)
    assert context == [] and len(core) == 5


def test_a_mistyped_key_event_far_away_stays_and_is_still_an_outlier():
    events = [*QUIET_HOUR[:5], ev(6, K.FULLY_RECOVERED, days=365)]
    core, context = outage_window(events)
    assert context == [] and 6 in [e.ref for e in core]
    assert OUTLIER_EVENT in rules(check(core))


def test_a_timeline_without_an_outage_event_is_an_investigation_and_keeps_everything():
    steps = [ev(i, K.INVESTIGATION if i % 2 else K.NOTE, days=i * 3) for i in range(8)]
    core, context = outage_window(steps)
    assert context == [] and is_investigation(core)
    assert not is_investigation(QUIET_HOUR)


def test_the_outlier_message_says_before_anything_else_only_when_it_is_true():
    events = [*QUIET_HOUR, ev(7, K.NOTE, days=10), ev(8, K.NOTE, days=10, hours=1)]
    events += [ev(9, K.NOTE, days=20 + i) for i in range(1)]
    events += [ev(10 + i, K.NOTE, days=30, minutes=i) for i in range(12)]
    middle = [w for w in check(events) if w.refs in ((7,), (8,))]
    assert middle and all("anything else" not in w.message for w in middle)
    assert all("nearest other part" in w.message for w in middle)


def test_an_entry_listed_out_of_order_is_named_the_late_one_or_the_early_one():
    def listed(*minutes):
        return [ev(i, K.NOTE, m) for i, m in enumerate(minutes)]

    late = listed(0, 3, 381, 242, 557, 600)  # 06:21 listed before 04:02
    found = listed_out_of_order(late)
    assert rules(found) == [OUT_OF_ORDER] and found[0].refs == (2,)
    assert "listed before" in found[0].message
    early = listed(0, 3, 100, 50, 120, 130)  # 00:50 fits after 00:03; 01:40 does not
    assert listed_out_of_order(early)[0].refs == (2,)  # 01:40 is the one out of place
    early2 = listed(0, 30, 60, 5, 90, 120)  # 00:05 cannot be where it is
    assert listed_out_of_order(early2)[0].refs == (3,)


def test_in_order_newest_first_or_unordered_lists_say_nothing():
    def listed(*minutes):
        return [ev(i, K.NOTE, m) for i, m in enumerate(minutes)]

    assert listed_out_of_order(listed(0, 1, 1, 2, 30)) == []
    assert listed_out_of_order(listed(90, 60, 30, 10, 0)) == []  # newest first
    assert rules(listed_out_of_order(listed(90, 60, 75, 10, 0))) == [OUT_OF_ORDER]
    assert listed_out_of_order(listed(0, 50, 10, 60, 20, 70, 30)) == []  # by topic
    assert listed_out_of_order(listed(5, 1)) == []  # too short to tell
