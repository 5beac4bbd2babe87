"""The grace period shared by capture sources and tracker webhooks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.rotation import (
    grace_from_hours,
    previous_still_valid,
    previous_valid_until,
)

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def test_the_old_secret_counts_until_the_deadline_and_not_at_it():
    until = previous_valid_until(NOW, timedelta(hours=2))
    assert until == NOW + timedelta(hours=2)
    assert previous_still_valid(until, NOW + timedelta(hours=1, minutes=59))
    assert not previous_still_valid(until, until)


def test_zero_grace_revokes_at_once():
    assert previous_valid_until(NOW, timedelta(0)) is None
    assert not previous_still_valid(None, NOW)


@pytest.mark.parametrize("hours", [-1, 721, 10**9])
def test_a_grace_out_of_bounds_is_refused(hours):
    with pytest.raises(ValidationProblem, match=r"0 to 720 hours"):
        grace_from_hours(hours)
    with pytest.raises(ValidationProblem, match="0 to 30 days"):
        previous_valid_until(NOW, timedelta(hours=hours))
