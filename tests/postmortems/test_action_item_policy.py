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


def _recorded_late_item(incident, owner):
    """An item dated beyond the policy without a reason, as the import records it."""
    return services.action_item_add(
        user=None, incident=incident, title="Cap", priority="P1", owner=owner,
        due_on=date(2026, 5, 1),
    )  # fmt: skip


def test_an_unrelated_change_of_a_recorded_late_item_asks_no_reason(incident, owner):
    """Issue 20: a form posts every field, an empty reason too; a status change is not a date."""
    item = _recorded_late_item(incident, owner)
    item = services.action_item_update(
        user=owner, item=item, version=1, status="done", priority="P1",
        due_on=date(2026, 5, 1), due_reason="",
    )  # fmt: skip
    assert (item.status, item.due_on, item.due_reason) == ("done", date(2026, 5, 1), "")


def test_a_new_date_beyond_the_policy_still_needs_a_reason(incident, owner):
    item = _recorded_late_item(incident, owner)
    with pytest.raises(ValidationProblem, match="needs a reason"):
        services.action_item_update(
            user=owner, item=item, version=1, due_on=date(2026, 4, 20), due_reason=""
        )
    with pytest.raises(ValidationProblem, match="needs a reason"):
        services.action_item_update(user=owner, item=item, version=1, priority="P0", due_reason="")


def test_clearing_the_reason_of_a_late_date_is_refused(incident, owner):
    """The recorded reason is not lost by an empty field: a change of reason is checked."""
    item = services.action_item_add(
        user=owner, incident=incident, title="Cap", priority="P1", due_on=date(2026, 4, 1),
        due_reason="Vendor patch",
    )  # fmt: skip
    with pytest.raises(ValidationProblem, match="needs a reason"):
        services.action_item_update(user=owner, item=item, version=1, due_reason="")
    item = services.action_item_update(user=owner, item=item, version=1, due_reason="Vendor fix")
    assert item.due_reason == "Vendor fix"


def test_a_new_priority_with_an_empty_reason_keeps_the_recorded_one(incident, owner):
    item = services.action_item_add(
        user=owner, incident=incident, title="Cap", priority="P2", due_on=date(2026, 4, 20),
        due_reason="Freeze until April",
    )  # fmt: skip
    item = services.action_item_update(
        user=owner, item=item, version=1, priority="P1", due_reason=""
    )
    assert (item.due_on, item.due_reason) == (date(2026, 4, 20), "Freeze until April")
