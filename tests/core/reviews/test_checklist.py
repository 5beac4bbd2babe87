"""The publish checklist: problems under their checks, waivers set aside, template gaps."""

from __future__ import annotations

from kintsugi.core.reviews import CHECKS, Problem, SectionCounts, build_checklist
from kintsugi.core.reviews import template_problems as gaps
from kintsugi.core.reviews.checklist import Waiver

FULL = SectionCounts(
    summary=10, impact=10, timeline=3, factors=1, why_steps=3, lessons=1, action_items=1
)


def test_a_full_template_has_no_gaps_and_each_empty_section_is_one():
    assert gaps(FULL) == []
    empty = SectionCounts(0, 0, 0, 0, 0, 0, 0)
    found = gaps(empty)
    assert len(found) == 7 and {p.check for p in found} == {"template"}
    assert len({p.key for p in found}) == 7


def test_it_passes_only_when_every_problem_is_fixed_or_waived():
    problems = [
        Problem("blameless", "b1", "Summary: “human error”"),
        Problem("action_items", "a1", "“Fix it” has no owner."),
        Problem("blameless", "b1", "Summary: “human error”"),  # the same twice: one problem
    ]
    checklist = build_checklist(problems, {})
    assert not checklist.passed and checklist.open_count == 2
    assert [c.key for c in checklist.checks] == [key for key, _ in CHECKS]
    waiver = Waiver("b1", "Quoted from the customer's ticket.", "alice", "2026-03-01T10:00:00")
    partly = build_checklist(problems, {"b1": waiver})
    states = {c.key: c.state for c in partly.checks}
    assert states["blameless"] == "waived" and states["action_items"] == "failed"
    assert not partly.passed
    done = build_checklist(problems[:1], {"b1": waiver})
    assert done.passed and done.open_count == 0


def test_a_waiver_for_a_problem_no_longer_found_changes_nothing():
    stale = Waiver("gone", "old", "alice", "2026-03-01T10:00:00")
    checklist = build_checklist([Problem("whys", "w1", "Branch 1: too short")], {"gone": stale})
    assert not checklist.passed
    assert all(not c.waived for c in checklist.checks)
