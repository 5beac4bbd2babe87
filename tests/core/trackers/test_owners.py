"""Which way an owner change travels (kintsugi/core/trackers/owners.py)."""

from __future__ import annotations

from kintsugi.core.trackers.owners import CONFLICT, owner_way

AGREED = {"assignee": "bobby", "owner_id": 2}


def test_a_first_link_reads_the_trackers_assignee():
    way = owner_way(agreed=None, owner_id=5, assignee="x")
    assert way.to_item and not way.to_tracker and not way.conflict


def test_a_change_on_one_side_goes_to_the_other():
    assert owner_way(agreed=AGREED, owner_id=3, assignee="bobby").to_tracker
    way = owner_way(agreed=AGREED, owner_id=2, assignee="carol")
    assert way.to_item and not way.to_tracker
    none = owner_way(agreed=AGREED, owner_id=2, assignee="bobby")
    assert not none.to_item and not none.to_tracker


def test_both_sides_changed_the_tracker_wins_and_says_so():
    way = owner_way(agreed=AGREED, owner_id=3, assignee="carol")
    assert way.to_item and not way.to_tracker and way.conflict == CONFLICT


def test_an_old_snapshot_without_an_owner_pushes_nothing():
    assert not owner_way(agreed={"assignee": ""}, owner_id=3, assignee="").to_tracker
    assert owner_way(agreed={"assignee": "", "owner_id": None}, owner_id=3, assignee="").to_tracker
