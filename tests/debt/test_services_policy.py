"""The policy applied to action items, and the settings refusing bad input with a clear error."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import PermissionDenied

from kintsugi.core.errors import ValidationProblem
from kintsugi.debt.models import TeamDebtSettings
from kintsugi.debt.services import settings as debt_settings
from kintsugi.postmortems import services
from tests.debt.conftest import NOW


@pytest.fixture
def nov2(make_incident):
    return make_incident("Pool exhausted", date(2026, 11, 2))  # 14:00 UTC


def test_a_new_item_gets_the_policy_date(nov2, owner):
    item = services.action_item_add(user=owner, incident=nov2, title="Cap", priority="P1")
    assert (item.due_on, item.policy_due_on, item.due_reason) == (
        date(2026, 11, 16),
        date(2026, 11, 16),
        "",
    )


def test_a_later_date_needs_a_reason_which_is_recorded(nov2, owner):
    with pytest.raises(ValidationProblem, match="needs a reason") as refused:
        services.action_item_add(
            user=owner, incident=nov2, title="Cap", priority="P1", due_on=date(2026, 11, 30)
        )
    assert refused.value.field == "due_reason"
    item = services.action_item_add(
        user=owner,
        incident=nov2,
        title="Cap",
        priority="P1",
        due_on=date(2026, 11, 30),
        due_reason="Vendor patch ships on the 28th",
    )
    assert item.is_due_exception and item.due_reason == "Vendor patch ships on the 28th"
    assert item.policy_due_on == date(2026, 11, 16)


def test_changing_priority_recomputes_what_the_policy_asks(nov2, owner):
    item = services.action_item_add(user=owner, incident=nov2, title="Cap", priority="P2")
    assert item.due_on == date(2026, 12, 2)
    item = services.action_item_update(user=owner, item=item, version=1, priority="P1")
    assert (item.due_on, item.policy_due_on) == (date(2026, 11, 16), date(2026, 11, 16))
    chosen = services.action_item_add(
        user=owner, incident=nov2, title="Chosen", priority="P2", due_on=date(2026, 11, 25)
    )
    with pytest.raises(ValidationProblem, match="needs a reason"):
        services.action_item_update(user=owner, item=chosen, version=1, priority="P0")
    chosen = services.action_item_update(
        user=owner, item=chosen, version=1, priority="P0", due_reason="Needs a freeze window"
    )
    assert (chosen.due_on, chosen.policy_due_on) == (date(2026, 11, 25), date(2026, 11, 16))


def test_a_team_override_applies_to_its_items(nov2, owner, team):
    debt_settings.team_policy_save(user=owner, team=team, windows={"window_p1": "7"})
    item = services.action_item_add(user=owner, incident=nov2, title="Cap", priority="P1")
    assert item.due_on == date(2026, 11, 9)


def test_wont_do_records_the_closing_time(nov2, owner):
    item = services.action_item_add(user=owner, incident=nov2, title="Cap")
    item = services.action_item_update(
        user=owner, item=item, version=1, status="wont_do", status_reason="Service retired"
    )
    assert item.completed_at is not None
    item = services.action_item_update(user=owner, item=item, version=2, status="open")
    assert item.completed_at is None


def test_estimate_and_sprint_are_checked(nov2, owner):
    with pytest.raises(ValidationProblem, match="more than 0"):
        services.action_item_add(user=owner, incident=nov2, title="Cap", estimate="0")
    with pytest.raises(ValidationProblem, match="sprint number"):
        services.action_item_add(user=owner, incident=nov2, title="Cap", planned_sprint="-1")
    item = services.action_item_add(
        user=owner, incident=nov2, title="Cap", estimate="2,5", planned_sprint="24"
    )
    assert (item.estimate, item.planned_sprint) == (2.5, 24)


@pytest.mark.parametrize(
    ("windows", "at_risk", "message"),
    [
        ({"window_p1": "0"}, 3, "at least 1 day"),
        ({"window_p1": "-5"}, 3, "at least 1 day"),
        ({"window_p1": "1.5"}, 3, "whole number"),
        ({"window_p1": "14"}, -1, "cannot be negative"),
        ({"window_p1": "3"}, 3, "shorter than the shortest due window"),
    ],
)
def test_it_refuses_bad_organisation_windows(admin_user, windows, at_risk, message):
    full = {"window_p0": "14", "window_p1": "14", "window_p2": "30", "window_p3": "60", **windows}
    with pytest.raises(ValidationProblem, match=message):
        debt_settings.organisation_policy_save(user=admin_user, windows=full, at_risk_days=at_risk)


def test_it_refuses_an_organisation_change_that_breaks_a_team(admin_user, team):
    debt_settings.team_policy_save(user=admin_user, team=team, windows={}, at_risk_days="10")
    full = {"window_p0": "7", "window_p1": "14", "window_p2": "30", "window_p3": "60"}
    with pytest.raises(ValidationProblem, match="For team Platform"):
        debt_settings.organisation_policy_save(user=admin_user, windows=full, at_risk_days=3)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone", "Unknown timezone 'Mars/Olympus_Mons'"),
        ({"review_time": "25:00"}, "at", "is not a time of day"),
        ({"sprint_capacity": "0"}, "capacity", "must be more than 0"),
        ({"reserved_percent": "120"}, "reserved_percent", "at most 100"),
        (
            {"sprint_length_days": "0", "sprint_start_on": date(2026, 1, 5)},
            "length_days",
            "between 1 and 365",
        ),
        ({"remind_before_days": "-1"}, "remind_before_days", "0 to 365"),
        # Used to crash with a ValueError: "--3" passed a lstrip("-").isdigit() check.
        ({"remind_before_days": "--3"}, "remind_before_days", "whole number of days"),
        ({"escalate_after_days": "2.5"}, "escalate_after_days", "whole number of days"),
        ({"review_email": "not-an-address"}, "review_email", "not an email address"),
    ],
)
def test_it_refuses_bad_team_settings(owner, team, fields, field, message):
    with pytest.raises(ValidationProblem, match=message) as refused:
        debt_settings.team_settings_save(user=owner, team=team, now=NOW, **fields)
    assert refused.value.field == field
    assert not TeamDebtSettings.objects.filter(team=team, timezone="Mars/Olympus_Mons").exists()


def test_the_settings_page_shows_the_error_next_to_the_field(clock, login, owner):
    response = login(owner).post(
        "/debt/teams/platform/settings/", {"timezone": "Mars/Olympus_Mons", "review_time": "09:30"}
    )
    assert response.status_code == 422
    assert "Unknown timezone &#x27;Mars/Olympus_Mons&#x27;" in response.content.decode()


def test_the_settings_page_saves_and_schedules_the_review(clock, login, owner, team):
    response = login(owner).post(
        "/debt/teams/platform/settings/",
        {
            "timezone": "Europe/Berlin",
            "review_enabled": "on",
            "review_weekday": "0",
            "review_time": "09:30",
            "slack_webhook_url": "https://hooks.slack.com/services/T/B/abcd",
            "sprint_start_on": "2026-01-05",
            "sprint_length_days": "14",
            "sprint_capacity": "40",
            "capacity_unit": "points",
            "reserved_percent": "20",
            "window_p1": "10",
        },
    )
    assert response.status_code == 302
    row = TeamDebtSettings.objects.get(team=team)
    assert row.next_review_at == datetime(2026, 11, 30, 8, 30, tzinfo=UTC)
    page = login(owner).get("/debt/teams/platform/settings/").content.decode()
    assert "hooks.slack.com" not in page and "…abcd" in page  # the secret is never shown


def test_only_leads_change_team_settings(teammate, team):
    with pytest.raises(PermissionDenied):
        debt_settings.team_settings_save(user=teammate, team=team, now=NOW, timezone="UTC")


def test_a_plus_sign_means_the_same_in_team_settings_and_in_the_policy(owner, team, admin_user):
    saved = debt_settings.team_settings_save(
        user=owner, team=team, now=NOW, remind_before_days="+3"
    )
    assert saved.remind_before_days == 3
