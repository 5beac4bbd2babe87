"""Reminder planning is incremental (issue 20): a pass plans what changed since the last one.

The invariant that keeps the behaviour identical: after any pass, planning every item
from scratch (``forget_plan``, as a new worker process does) queues nothing more. Each
test changes something a reminder depends on, by raw SQL too (the planner reads rows,
not signals), and checks both what the incremental pass queued and that invariant.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kintsugi.debt.models import Delivery, PersonDebtSettings
from kintsugi.debt.services import reminders
from kintsugi.postmortems.models import ActionItem
from tests.debt.conftest import NOW, TODAY

BASE = "https://pm.example"


@pytest.fixture(autouse=True)
def fresh_plan():
    reminders.forget_plan()
    yield
    reminders.forget_plan()


def _pass(today: date = TODAY) -> int:
    return reminders.enqueue_due_reminders(today=today, now=NOW, base_url=BASE)


def _queued() -> set[tuple[str, str, str]]:
    return set(Delivery.objects.values_list("idempotency_key", "channel", "recipient"))


def _nothing_missed(today: date = TODAY) -> None:
    """What a worker planning everything from scratch would add: nothing."""
    before = _queued()
    reminders.forget_plan()
    assert _pass(today) == 0
    assert _queued() == before


def _items(make_item, owner, count: int) -> list[ActionItem]:
    return [
        make_item(f"Item {n}", owner=owner, due_on=TODAY - timedelta(days=1 + n % 3))
        for n in range(count)
    ]


@pytest.mark.parametrize("count", [3, 30])
def test_a_pass_after_nothing_changed_plans_nothing_in_constant_queries(make_item, teammate, count):
    _items(make_item, teammate, count)
    assert _pass() == count  # one overdue email each
    with CaptureQueriesContext(connection) as queries:
        assert _pass() == 0
    # Team settings, the settings digest (7), deliveries mark (2), signatures: no more.
    assert len(queries) <= 11, [q["sql"] for q in queries.captured_queries]
    assert not any('idempotency_key" IN' in q["sql"] for q in queries.captured_queries)
    _nothing_missed()


def test_only_the_changed_item_is_planned_and_its_new_step_queued(make_item, teammate, owner):
    items = _items(make_item, teammate, 5)
    _pass()
    moved = items[2]
    ActionItem.objects.filter(pk=moved.pk).update(due_on=TODAY - timedelta(days=7))
    with CaptureQueriesContext(connection) as queries:
        assert _pass() == 2  # overdue for a week: the owner, and the lead (escalation)
    keys = [q["sql"] for q in queries.captured_queries if 'idempotency_key" IN' in q["sql"]]
    assert len(keys) == 1  # one batch of one item
    assert (f"debt-reminder:{moved.pk}:overdue:{TODAY - timedelta(days=7)}", "email",
            "bob@example.com") in _queued()  # fmt: skip
    ActionItem.objects.filter(pk=items[0].pk).update(owner=owner)  # a new owner: told too
    assert _pass() == 1
    assert any(r == "alice@example.com" for _k, _c, r in _queued())
    _nothing_missed()


def test_a_new_day_plans_every_item_again(make_item, teammate):
    item = make_item("Soon", owner=teammate, due_on=TODAY + timedelta(days=1))
    assert _pass() == 1  # due soon
    assert _pass() == 0
    tomorrow = TODAY + timedelta(days=2)  # nothing written, but the item is overdue now
    assert _pass(tomorrow) == 1
    assert (f"debt-reminder:{item.pk}:overdue:{item.due_on}", "email", "bob@example.com") in (
        _queued()
    )
    _nothing_missed(tomorrow)


def test_changed_settings_or_an_email_plan_everything_again(make_item, teammate):
    _items(make_item, teammate, 2)
    _pass()
    PersonDebtSettings.objects.create(user=teammate, email_enabled=False)
    assert _pass() == 2  # switched off: recorded as "no recipient", as a full plan does
    assert Delivery.objects.filter(recipient="-").count() == 2
    PersonDebtSettings.objects.filter(user=teammate).update(email_enabled=True)
    type(teammate).objects.filter(pk=teammate.pk).update(email="bob@new.example")
    assert _pass() == 2  # the same steps, to the new address
    _nothing_missed()


def test_a_deleted_delivery_is_queued_again_as_before(make_item, teammate):
    _items(make_item, teammate, 3)
    _pass()
    gone = Delivery.objects.order_by("pk").first()
    assert gone is not None
    gone.delete()
    assert _pass() == 1
    assert Delivery.objects.filter(idempotency_key=gone.idempotency_key).count() == 1


def test_items_are_planned_in_bounded_batches(make_item, teammate, monkeypatch):
    monkeypatch.setattr(reminders, "BATCH", 4)
    _items(make_item, teammate, 10)
    with CaptureQueriesContext(connection) as queries:
        assert _pass() == 10
    lookups = [q["sql"] for q in queries.captured_queries if 'idempotency_key" IN' in q["sql"]]
    assert len(lookups) == 3  # 4 + 4 + 2 items
    _nothing_missed()
