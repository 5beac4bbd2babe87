"""The key event kinds: exactly the kinds the metrics and the order check read.

Callers load only events of ``KEY_KINDS`` (the API, the services, the post-mortem page),
so a kind that moves a metric but is missing from the set would give wrong numbers without
an error; a kind in the set that moves nothing would load rows for nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kintsugi.core.timeline import KEY_KINDS, EventKind, KeyEvent, check_order, compute_metrics

STARTED = datetime(2026, 3, 1, 14, 0, tzinfo=UTC)
OTHER_KINDS = sorted(set(EventKind) - KEY_KINDS)


@pytest.mark.parametrize("kind", sorted(KEY_KINDS))
def test_each_key_kind_moves_a_metric(kind: EventKind) -> None:
    alone = [KeyEvent(kind, STARTED + timedelta(minutes=30))]
    assert compute_metrics(alone, started_at=STARTED) != compute_metrics([], started_at=STARTED)


@pytest.mark.parametrize("kind", OTHER_KINDS)
def test_any_other_kind_moves_no_metric_and_no_order_check(kind: EventKind) -> None:
    before_start = STARTED - timedelta(hours=1)
    key = [KeyEvent(EventKind.ALERT_FIRED, STARTED + timedelta(minutes=5))]
    with_other = [*key, KeyEvent(kind, before_start)]
    assert compute_metrics(with_other, started_at=STARTED) == compute_metrics(
        key, started_at=STARTED
    )
    assert check_order(with_other, started_at=STARTED) == check_order(key, started_at=STARTED)


def test_it_leaves_the_story_kinds_out() -> None:
    assert EventKind.NOTE in OTHER_KINDS
    assert EventKind.INVESTIGATION in OTHER_KINDS
    assert EventKind.COMMUNICATION in OTHER_KINDS


def test_a_stored_kind_as_plain_text_is_a_member() -> None:
    """Rows hold kinds as strings: ``kind in KEY_KINDS`` must work on them unconverted."""
    assert "mitigated" in KEY_KINDS
    assert "workaround_applied" in KEY_KINDS
    assert "note" not in KEY_KINDS


def _at(minutes: int) -> datetime:
    return STARTED + timedelta(minutes=minutes)


def test_people_may_respond_before_the_monitor_alerts() -> None:
    """Hachyderm, 2022-12-13: reported in chat at 18:53, acknowledged on the status page at
    18:58, the uptime monitor's alert at 19:01. A real order: detection is the
    acknowledgement, the time to acknowledge 0 (not negative), and nothing is refused."""
    events = [
        KeyEvent(EventKind.IMPACT_STARTED, _at(0)),
        KeyEvent(EventKind.PAGE_ACKNOWLEDGED, _at(6)),
        KeyEvent(EventKind.MITIGATED, _at(7)),
        KeyEvent(EventKind.ALERT_FIRED, _at(9)),
        KeyEvent(EventKind.FULLY_RECOVERED, _at(30)),
    ]
    assert check_order(events, started_at=STARTED) == []
    metrics = compute_metrics(events, started_at=STARTED)
    assert metrics.detected_at == _at(6)
    assert metrics.time_to_detect == 6 * 60 and metrics.time_to_acknowledge == 0


def test_a_mitigation_before_anyone_knew_is_still_refused() -> None:
    events = [
        KeyEvent(EventKind.MITIGATED, _at(3)),
        KeyEvent(EventKind.PAGE_ACKNOWLEDGED, _at(6)),
        KeyEvent(EventKind.ALERT_FIRED, _at(9)),
    ]
    problems = check_order(events, started_at=STARTED)
    assert len(problems) == 1 and "before 'Page acknowledged'" in problems[0]
    alone = [KeyEvent(EventKind.MITIGATED, _at(3)), KeyEvent(EventKind.ALERT_FIRED, _at(9))]
    assert "before 'Alert fired'" in check_order(alone, started_at=STARTED)[0]


def test_an_acknowledgement_without_an_alert_leaves_detection_unknown() -> None:
    events = [KeyEvent(EventKind.PAGE_ACKNOWLEDGED, _at(6))]
    metrics = compute_metrics(events, started_at=STARTED)
    assert metrics.detected_at is None and metrics.time_to_acknowledge is None
