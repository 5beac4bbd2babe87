from __future__ import annotations

import pytest
from hypothesis import given

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.five_whys import (
    MAX_PATH_DEPTH,
    MAX_STEPS,
    NodeRecord,
    WhyTree,
    build_tree,
    tree_to_records,
)

from .strategies import trees


def node(node_id: int | str, parent: int | str | None, **extra: object) -> NodeRecord:
    return NodeRecord(node_id, parent, f"Why {node_id}?", f"Answer {node_id}", **extra)  # type: ignore[arg-type]


def test_it_builds_branches_forks_and_links() -> None:
    tree = build_tree(
        [
            node(1, None, branch_title="Site down", trigger="Deploy 42"),
            node(2, 1),
            node(3, 2, actions=(1, 2), factors=(2,)),
            node(4, 1, starts_branch=True, position=1, branch_title="Detection"),
            node(5, None, position=1),
        ]
    )
    first, second = tree.branches
    assert [s.answer for s in first.steps] == ["Answer 1", "Answer 2", "Answer 3"]
    assert (first.title, first.trigger, first.actions, first.factors) == (
        "Site down",
        "Deploy 42",
        [1, 2],
        [2],
    )
    assert first.steps[0].branches[0].title == "Detection"
    assert [s.answer for s in second.steps] == ["Answer 5"]


def test_it_orders_siblings_by_position_not_by_row_order() -> None:
    tree = build_tree(
        [
            node("b", None, position=2),
            node("a", None, position=1),
            node("x2", "a", starts_branch=True, position=2),
            node("x1", "a", starts_branch=True, position=1),
        ]
    )
    assert [b.steps[0].answer for b in tree.branches] == ["Answer a", "Answer b"]
    subs = tree.branches[0].steps[0].branches
    assert [b.steps[0].answer for b in subs] == ["Answer x1", "Answer x2"]


def test_it_keeps_an_explicit_root_cause_mark() -> None:
    tree = build_tree([node(1, None), node(2, 1, is_root_cause=True, actions=(1,)), node(3, 2)])
    assert tree.branches[0].root_cause_step == 2
    assert tree.branches[0].actions == [1]


def test_it_refuses_a_cycle_with_a_clear_message() -> None:
    with pytest.raises(ValidationProblem) as error:
        build_tree([node(1, None), node(2, 4), node(3, 2), node(4, 3)])
    assert error.value.message == (
        "The steps form a cycle: 2 → 4 → 3 → 2. A step cannot be its own ancestor; break the "
        "loop by changing a parent."
    )


def test_it_refuses_a_step_that_is_its_own_parent() -> None:
    with pytest.raises(ValidationProblem, match="cycle: 'x' → 'x'"):
        build_tree([node("x", "x")])


def test_it_refuses_a_step_hanging_off_a_cycle() -> None:
    with pytest.raises(ValidationProblem, match="cycle: 2 → 3 → 2"):
        build_tree([node(1, None), node(2, 3), node(3, 2), node(9, 2)])


def test_it_refuses_an_orphan() -> None:
    with pytest.raises(ValidationProblem) as error:
        build_tree([node(1, None), node(2, 7)])
    assert "Step 2 points to step 7 as its parent, but there is no such step (an orphan)" in (
        error.value.message
    )
    assert error.value.field == "parent"


def test_it_refuses_duplicate_ids() -> None:
    with pytest.raises(ValidationProblem, match="Two steps have the id 1"):
        build_tree([node(1, None), node(1, None)])


def test_it_refuses_two_next_steps() -> None:
    with pytest.raises(ValidationProblem, match=r"Step 1 has several next steps \(2, 3\)"):
        build_tree([node(1, None), node(2, 1), node(3, 1)])


def test_it_refuses_branch_data_on_the_wrong_step() -> None:
    with pytest.raises(ValidationProblem, match="does not start a branch"):
        build_tree([node(1, None), node(2, 1, branch_title="Late title")])
    with pytest.raises(ValidationProblem, match="marks 2 steps as its root cause"):
        build_tree([node(1, None, is_root_cause=True), node(2, 1, is_root_cause=True)])
    with pytest.raises(ValidationProblem, match="links belong on the root-cause step"):
        build_tree([node(1, None, actions=(1,)), node(2, 1)])


def test_it_refuses_empty_and_whitespace_text() -> None:
    with pytest.raises(ValidationProblem, match="Branch 1, step 2: the answer is empty"):
        build_tree([node(1, None), NodeRecord(2, 1, "Why?", " \n\t ")])


def test_it_refuses_trees_over_the_size_and_depth_limits() -> None:
    too_many = [node(0, None)] + [node(n, None) for n in range(1, MAX_STEPS + 1)]
    with pytest.raises(ValidationProblem, match=f"201 steps; the limit is {MAX_STEPS}"):
        build_tree(too_many)
    deep = [node(0, None)] + [node(n, n - 1) for n in range(1, MAX_PATH_DEPTH + 1)]
    with pytest.raises(ValidationProblem, match=f"21 whys deep; the limit is {MAX_PATH_DEPTH}"):
        build_tree(deep)
    build_tree(deep[:-1])


def test_it_accepts_no_rows_as_an_empty_analysis() -> None:
    assert build_tree([]) == WhyTree([])


@given(trees)
def test_it_round_trips_through_rows(tree: WhyTree) -> None:
    records = tree_to_records(tree)
    assert len({record.id for record in records}) == len(records) == tree.step_count
    assert build_tree(records) == tree
