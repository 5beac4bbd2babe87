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
