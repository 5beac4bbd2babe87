from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from kintsugi.core.debt.policy import (
    DEFAULT_WINDOWS,
    DueException,
    OrganisationPolicy,
    PolicySource,
    TeamOverride,
    change_priority,
    check_due_date,
    check_policies,
    clean_at_risk_days,
    clean_window_days,
    default_due_on,
    effective_policy,
)
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.vocabulary import Priority

STARTED = datetime(2026, 11, 2, 14, 5, tzinfo=UTC)


def test_it_has_the_documented_defaults() -> None:
    policy = effective_policy(OrganisationPolicy(), None)
    assert {p: policy.window_days(p) for p in Priority} == {
        Priority.P0: 14,
        Priority.P1: 14,
        Priority.P2: 30,
        Priority.P3: 60,
    }
    assert policy.at_risk_days == 3
    assert policy.describe(Priority.P1) == "14 days (organisation default)"


def test_it_lets_a_team_override_only_p1() -> None:
    org = OrganisationPolicy(windows={**DEFAULT_WINDOWS, Priority.P2: 21})
    policy = effective_policy(org, TeamOverride("Platform", windows={Priority.P1: 7}))
    assert policy.describe(Priority.P1) == "7 days (team Platform)"
    assert policy.windows[Priority.P1].source is PolicySource.TEAM
    assert policy.describe(Priority.P0) == "14 days (organisation default)"
    assert policy.describe(Priority.P2) == "21 days (organisation default)"
    assert policy.at_risk.label == "3 days (organisation default)"


def test_it_lets_a_team_override_the_at_risk_threshold() -> None:
    policy = effective_policy(OrganisationPolicy(), TeamOverride("Data", at_risk_days=5))
    assert policy.at_risk_days == 5
    assert policy.at_risk.label == "5 days (team Data)"


def test_it_says_one_day_in_the_singular() -> None:
    org = OrganisationPolicy(windows={**DEFAULT_WINDOWS, Priority.P0: 1}, at_risk_days=0)
    assert effective_policy(org, None).describe(Priority.P0) == "1 day (organisation default)"


def test_it_accepts_priority_names_as_text_in_overrides() -> None:
    override = TeamOverride("Platform", windows={"p1": "10"})  # type: ignore[dict-item]
    assert override.windows == {Priority.P1: 10}


def test_it_refuses_an_unknown_priority() -> None:
    with pytest.raises(ValidationProblem, match="Unknown priority 'P9'"):
        TeamOverride("Platform", windows={"P9": 3})  # type: ignore[dict-item]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0, "at least 1 day"),
        (-3, "at least 1 day"),
        ("-1", "at least 1 day"),
        (3651, "longest allowed is 3,650"),
        (1.5, "whole number"),
        ("1.5", "whole number"),
        ("two weeks", "whole number"),
        (True, "whole number"),
        (None, "whole number"),
        ("", "whole number"),
    ],
)
def test_it_refuses_bad_windows(value: object, message: str) -> None:
    with pytest.raises(ValidationProblem, match=message) as caught:
        clean_window_days(value, priority=Priority.P1)
    assert caught.value.field == "window_p1"


def test_it_accepts_windows_at_the_bounds() -> None:
    assert clean_window_days(1, priority=Priority.P0) == 1
    assert clean_window_days(" 3650 ", priority=Priority.P0) == 3650


def test_it_refuses_bad_windows_in_an_organisation_policy() -> None:
    with pytest.raises(ValidationProblem, match="P2 window must be at least 1 day"):
        OrganisationPolicy(windows={**DEFAULT_WINDOWS, Priority.P2: 0})
    with pytest.raises(ValidationProblem, match="needs a window for P3"):
        OrganisationPolicy(windows={Priority.P0: 1, Priority.P1: 1, Priority.P2: 1})


def test_it_refuses_bad_windows_in_a_team_override() -> None:
    with pytest.raises(ValidationProblem, match="P1 window must be at least 1 day"):
        TeamOverride("Platform", windows={Priority.P1: -7})


def test_it_bounds_the_at_risk_threshold() -> None:
    assert clean_at_risk_days(0, shortest_window=14) == 0
    assert clean_at_risk_days(13, shortest_window=14) == 13
    with pytest.raises(ValidationProblem, match="cannot be negative"):
        clean_at_risk_days(-1, shortest_window=14)
    with pytest.raises(ValidationProblem, match="shorter than the shortest due window"):
        clean_at_risk_days(14, shortest_window=14)
    with pytest.raises(ValidationProblem, match="cannot be negative"):
        TeamOverride("Platform", at_risk_days=-2)
    with pytest.raises(ValidationProblem, match="shorter than the shortest"):
        OrganisationPolicy(at_risk_days=14)


def test_it_refuses_a_team_window_shorter_than_the_threshold() -> None:
    with pytest.raises(ValidationProblem, match=r"\(3 days\) must be shorter than .* \(2 days\)"):
        effective_policy(OrganisationPolicy(), TeamOverride("Platform", windows={Priority.P0: 2}))


def test_it_names_the_team_an_organisation_change_would_break() -> None:
    overrides = [TeamOverride("Platform"), TeamOverride("Data", at_risk_days=10)]
    check_policies(OrganisationPolicy(), overrides)
    shorter = OrganisationPolicy(windows={**DEFAULT_WINDOWS, Priority.P0: 7})
    with pytest.raises(ValidationProblem, match="^For team Data: "):
        check_policies(shorter, overrides)


def test_it_counts_the_due_date_from_the_incident_start_in_utc() -> None:
    policy = effective_policy(OrganisationPolicy(), None)
    assert default_due_on(STARTED, Priority.P0, policy) == date(2026, 11, 16)
    assert default_due_on(STARTED, Priority.P2, policy) == date(2026, 12, 2)
    assert default_due_on(STARTED, Priority.P3, policy) == date(2027, 1, 1)
    # 00:30 in UTC+02:00 is still the previous day in UTC.
    late_evening = datetime(2026, 11, 3, 0, 30, tzinfo=timezone(timedelta(hours=2)))
    assert default_due_on(late_evening, Priority.P1, policy) == date(2026, 11, 16)


def test_it_crosses_a_leap_day() -> None:
    policy = effective_policy(OrganisationPolicy(), None)
    started = datetime(2028, 2, 20, 8, tzinfo=UTC)
    assert default_due_on(started, Priority.P1, policy) == date(2028, 3, 5)
    assert default_due_on(datetime(2027, 2, 20, 8, tzinfo=UTC), Priority.P1, policy) == date(
        2027, 3, 6
    )


def test_it_refuses_a_naive_incident_start() -> None:
    with pytest.raises(ValidationProblem, match="timezone"):
        default_due_on(
            datetime(2026, 11, 2), Priority.P1, effective_policy(OrganisationPolicy(), None)
        )


def test_it_needs_no_reason_for_a_date_on_or_before_the_policy() -> None:
    policy_due = date(2026, 11, 16)
    assert check_due_date(policy_due, policy_due, None) is None
    assert check_due_date(date(2026, 11, 10), policy_due, "") is None
    assert check_due_date(None, policy_due, None) is None


def test_it_needs_a_reason_for_a_later_date() -> None:
    with pytest.raises(ValidationProblem, match="6 days later .* needs a reason") as caught:
        check_due_date(date(2026, 11, 22), date(2026, 11, 16), "   ")
    assert caught.value.field == "due_reason"


def test_it_records_the_exception_with_its_reason() -> None:
    exception = check_due_date(date(2026, 11, 22), date(2026, 11, 16), "  Vendor fix ships 11-20 ")
    assert exception == DueException(
        due_on=date(2026, 11, 22), policy_due_on=date(2026, 11, 16), reason="Vendor fix ships 11-20"
    )
    assert exception.days_beyond_policy == 6


def test_it_refuses_an_overlong_reason() -> None:
    with pytest.raises(ValidationProblem, match="limit is 2,000"):
        check_due_date(date(2026, 11, 22), date(2026, 11, 16), "x" * 2001)


def test_it_moves_a_policy_date_with_the_priority() -> None:
    policy = effective_policy(OrganisationPolicy(), None)
    change = change_priority(
        incident_started_at=STARTED,
        old_priority=Priority.P2,
        new_priority=Priority.P1,
        due_on=date(2026, 12, 2),
        policy=policy,
    )
    assert change.policy_due_on == date(2026, 11, 16)
    assert change.due_on == date(2026, 11, 16)
    assert change.follows_policy
    assert not change.is_exception


def test_it_keeps_a_chosen_date_and_flags_the_new_exception() -> None:
    policy = effective_policy(OrganisationPolicy(), None)
    change = change_priority(
        incident_started_at=STARTED,
        old_priority=Priority.P3,
        new_priority=Priority.P0,
        due_on=date(2026, 12, 10),
        policy=policy,
    )
    assert change.policy_due_on == date(2026, 11, 16)
    assert change.due_on == date(2026, 12, 10)
    assert not change.follows_policy
    assert change.is_exception


def test_it_keeps_an_earlier_chosen_date_when_priority_drops() -> None:
    policy = effective_policy(OrganisationPolicy(), None)
    change = change_priority(
        incident_started_at=STARTED,
        old_priority=Priority.P1,
        new_priority=Priority.P3,
        due_on=date(2026, 11, 9),
        policy=policy,
    )
    assert change.due_on == date(2026, 11, 9)
    assert change.policy_due_on == date(2027, 1, 1)
    assert not change.is_exception


def test_it_gives_an_undated_item_the_new_policy_date() -> None:
    change = change_priority(
        incident_started_at=STARTED,
        old_priority=Priority.P2,
        new_priority=Priority.P2,
        due_on=None,
        policy=effective_policy(OrganisationPolicy(), TeamOverride("Platform", {Priority.P2: 20})),
    )
    assert change.due_on == date(2026, 11, 22)
    assert change.follows_policy
