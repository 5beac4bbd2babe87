from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from kintsugi.core.trackers.mapping import MARKER, Side, draft_for_item, reconcile

BASE = Side("Fix it", closed=False, due_on=date(2026, 4, 1))


def test_a_change_on_one_side_goes_to_the_other():
    item = Side("Fix it now", closed=False, due_on=date(2026, 4, 1))
    plan = reconcile(snapshot=BASE, item=item, remote=BASE)
    assert plan.to_tracker == {"title": "Fix it now"} and not plan.to_item
    remote = Side("Fix it", closed=True, due_on=date(2026, 4, 1))
    plan = reconcile(snapshot=BASE, item=BASE, remote=remote)
    assert plan.to_item == {"status": "done"} and not plan.to_tracker


def test_both_sides_changed_the_tracker_wins_and_it_is_recorded():
    plan = reconcile(snapshot=BASE, item=Side("Ours", False, due_on=BASE.due_on),
                     remote=Side("Theirs", False, due_on=BASE.due_on))  # fmt: skip
    assert plan.to_item == {"title": "Theirs"} and plan.conflicts
    assert not plan.to_tracker


def test_not_planned_is_wont_do():
    remote = Side("Fix it", closed=True, not_planned=True, due_on=BASE.due_on)
    assert reconcile(snapshot=BASE, item=BASE, remote=remote).to_item == {"status": "wont_do"}


def test_a_new_ticket_says_where_it_came_from_and_carries_its_key():
    draft = draft_for_item(
        key="create:1:2", title="T" * 400, description="x" * 100_000, priority="P0",
        status="open", due_on=date(2026, 5, 1), postmortem_title="Outage",
        postmortem_url="https://k.example/incidents/2/",
    )  # fmt: skip
    assert len(draft.title) == 250 and len(draft.body) <= 60_000
    assert MARKER.format(key="create:1:2") in draft.body
    assert "https://k.example/incidents/2/" in draft.body
    assert draft.labels == ("kintsugi", "priority:P0")


sides = st.builds(
    Side,
    title=st.sampled_from(["a", "b"]),
    closed=st.booleans(),
    not_planned=st.booleans(),
    due_on=st.sampled_from([None, date(2026, 1, 1)]),
)


@settings(deadline=None)  # a busy shared machine is not a failure of the rule
@given(sides, sides, sides)
def test_applying_the_plan_makes_both_sides_agree(base, item, remote):
    plan = reconcile(snapshot=base, item=item, remote=remote)
    assert not (set(plan.to_item) & set(plan.to_tracker))
    again = reconcile(snapshot=base, item=item, remote=item)
    assert not again.to_item  # nothing comes back when the tracker already agrees
