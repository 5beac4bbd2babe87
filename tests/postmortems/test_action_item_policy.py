"""The named steps that apply the debt policy to an action item's target date.

The incident fixture starts on 2026-03-01; the default policy asks P1 items within 14 days
(2026-03-15) and P2 items within 30 days (2026-03-31).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kintsugi.core.errors import ValidationProblem
from kintsugi.debt.services import settings as debt_settings
from kintsugi.postmortems import services

P1_DUE, P2_DUE = date(2026, 3, 15), date(2026, 3, 31)


def test_a_recorded_item_without_a_date_keeps_none(incident):
    item = services.action_item_add(user=None, incident=incident, title="Cap", priority="P1")
    assert (item.due_on, item.policy_due_on, item.due_reason) == (None, P1_DUE, "")


def test_a_recorded_later_date_is_kept_without_a_reason(incident):
    item = services.action_item_add(
        user=None, incident=incident, title="Cap", priority="P1", due_on=date(2026, 5, 1)
    )
    assert (item.due_on, item.policy_due_on, item.due_reason) == (date(2026, 5, 1), P1_DUE, "")


def test_a_new_priority_keeps_a_chosen_date_and_its_reason(incident, owner):
    item = services.action_item_add(
        user=owner,
        incident=incident,
        title="Cap",
        priority="P2",
        due_on=date(2026, 4, 20),
        due_reason="Freeze until April",
    )
    item = services.action_item_update(user=owner, item=item, version=1, priority="P1")
    assert (item.due_on, item.policy_due_on, item.due_reason) == (
        date(2026, 4, 20),
        P1_DUE,
        "Freeze until April",
    )


def test_a_new_priority_with_a_new_date_checks_that_date(incident, owner):
    item = services.action_item_add(user=owner, incident=incident, title="Cap", priority="P2")
    assert item.due_on == P2_DUE
    item = services.action_item_update(
        user=owner, item=item, version=1, priority="P1", due_on=date(2026, 3, 10)
    )
    assert (item.due_on, item.policy_due_on, item.due_reason) == (date(2026, 3, 10), P1_DUE, "")
    with pytest.raises(ValidationProblem, match="needs a reason"):
        services.action_item_update(
            user=owner, item=item, version=2, priority="P0", due_on=date(2026, 6, 1)
        )


def test_an_edit_that_leaves_date_and_priority_alone_keeps_the_policy_record(incident, owner, team):
    item = services.action_item_add(user=owner, incident=incident, title="Cap", priority="P1")
    debt_settings.team_policy_save(user=owner, team=team, windows={"window_p1": "7"})
    item = services.action_item_update(user=owner, item=item, version=1, title="Cap the pool")
    assert (item.due_on, item.policy_due_on) == (P1_DUE, P1_DUE)


def test_a_new_date_is_measured_against_the_date_the_policy_asked(incident, owner, team):
    item = services.action_item_add(user=owner, incident=incident, title="Cap", priority="P1")
    debt_settings.team_policy_save(user=owner, team=team, windows={"window_p1": "7"})
    with pytest.raises(ValidationProblem, match="needs a reason"):
        services.action_item_update(user=owner, item=item, version=1, due_on=date(2026, 3, 20))
    item = services.action_item_update(
        user=owner, item=item, version=1, due_on=date(2026, 3, 20), due_reason="Vendor patch"
    )
    assert (item.due_on, item.policy_due_on, item.due_reason) == (
        date(2026, 3, 20),
        P1_DUE,
        "Vendor patch",
    )


def test_closing_keeps_a_given_completion_time(incident, owner):
    done_at = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
    item = services.action_item_add(
        user=owner, incident=incident, title="Cap", status="done", completed_at=done_at
    )
    assert item.completed_at == done_at
    item = services.action_item_update(user=owner, item=item, version=1, status="open")
    assert item.completed_at is None
