"""The why-tree as flat rows with parent pointers, the way a database table or an API sends it.

A row is one step. Its parent is the step before it; a step with no parent starts a
top-level branch. A step's children are the next step of the same branch (at most one) and
the first steps of the sub-branches that fork there (``starts_branch=True``). Branch data
lives on a row too: the title and trigger on the branch's first step, the root-cause mark
and its links on the root-cause step.

Rows come from outside (a form post, an API client, a hand-edited table), so
:func:`build_tree` trusts nothing: it refuses duplicate ids, parents that do not exist
(orphans), cycles, two next steps for one step, and trees over the documented limits,
each with a message that names the steps involved.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.five_whys.tree import (
    MAX_PATH_DEPTH,
    MAX_STEPS,
    Branch,
    Evidence,
    WhyStep,
    WhyTree,
    validate_tree,
)

NodeId = int | str


@dataclass(frozen=True)
class NodeRecord:
    """One step as stored: the step itself plus the branch data that starts or ends on it."""

    id: NodeId
    parent: NodeId | None
    question: str
    answer: str
    position: int = 0  # order among the steps that share a parent
    starts_branch: bool = False  # begins a sub-branch forking at its parent
    branch_title: str = ""  # only on the first step of a branch
    trigger: str = ""  # only on the first step of a branch
    is_root_cause: bool = False  # explicit mark; unmarked branches end on their last step
    factors: tuple[int, ...] = ()  # only on the root-cause step
    actions: tuple[int, ...] = ()  # only on the root-cause step
    evidence: tuple[Evidence, ...] = ()


def build_tree(nodes: list[NodeRecord]) -> WhyTree:
    """Assemble and validate a tree from parent-pointer rows; raise ValidationProblem if bad."""
    if len(nodes) > MAX_STEPS:
        raise ValidationProblem(
            f"The analysis has {len(nodes)} steps; the limit is {MAX_STEPS} per post-mortem.",
            field="steps",
        )
    by_id = _index(nodes)
    children: dict[NodeId, list[NodeRecord]] = defaultdict(list)
    roots: list[NodeRecord] = []
    for node in nodes:
        if node.parent is None:
            roots.append(node)
        elif node.parent not in by_id:
            raise ValidationProblem(
                f"Step {node.id!r} points to step {node.parent!r} as its parent, but there is "
                "no such step (an orphan). Attach it to an existing step or make it start a "
                "branch.",
                field="parent",
            )
        else:
            children[node.parent].append(node)
    _refuse_cycles(nodes, by_id, roots, children)
    for siblings in children.values():
        siblings.sort(key=lambda node: node.position)
    roots.sort(key=lambda node: node.position)
    _refuse_too_deep(roots, children)
    tree = WhyTree([_build_branch(root, children) for root in roots])
    validate_tree(tree)
    return tree


def tree_to_records(tree: WhyTree) -> list[NodeRecord]:
    """The rows that :func:`build_tree` turns back into ``tree``; ids are 1, 2, 3... in order."""
    records: list[NodeRecord] = []
    for position, branch in enumerate(tree.branches):
        records.extend(_branch_records(branch, None, position, len(records) + 1))
    return records


def _index(nodes: list[NodeRecord]) -> dict[NodeId, NodeRecord]:
    by_id: dict[NodeId, NodeRecord] = {}
    for node in nodes:
        if node.id in by_id:
            raise ValidationProblem(f"Two steps have the id {node.id!r}.", field="id")
        by_id[node.id] = node
    return by_id


def _refuse_cycles(
    nodes: list[NodeRecord],
    by_id: dict[NodeId, NodeRecord],
    roots: list[NodeRecord],
    children: dict[NodeId, list[NodeRecord]],
) -> None:
    """Every step must be reachable from a branch start; the rest sit on a cycle."""
    reached: set[NodeId] = set()
    stack = [root.id for root in roots]
    while stack:
        current = stack.pop()
        reached.add(current)
        stack.extend(child.id for child in children[current])
    for node in nodes:
        if node.id in reached:
            continue
        cycle: list[NodeId] = [node.id]
        parent = node.parent
        while parent is not None and parent not in cycle:
            cycle.append(parent)
            parent = by_id[parent].parent
        start = cycle.index(parent) if parent is not None else 0
        loop = [*cycle[start:], cycle[start]]
        raise ValidationProblem(
            "The steps form a cycle: "
            + " → ".join(repr(step) for step in loop)
            + ". A step cannot be its own ancestor; break the loop by changing a parent.",
            field="parent",
        )


def _refuse_too_deep(roots: list[NodeRecord], children: dict[NodeId, list[NodeRecord]]) -> None:
    stack = [(root, 1) for root in roots]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_PATH_DEPTH:
            raise ValidationProblem(
                f"Step {node.id!r} is {depth} whys deep; the limit is {MAX_PATH_DEPTH}. Split "
                "the analysis into branches, or stop at the first cause you can act on.",
                field="steps",
            )
        stack.extend((child, depth + 1) for child in children[node.id])


def _build_branch(first: NodeRecord, children: dict[NodeId, list[NodeRecord]]) -> Branch:
    rows: list[NodeRecord] = []
    current: NodeRecord | None = first
    while current is not None:
        rows.append(current)
        following = [child for child in children[current.id] if not child.starts_branch]
        if len(following) > 1:
            names = ", ".join(repr(child.id) for child in following)
            raise ValidationProblem(
                f"Step {current.id!r} has several next steps ({names}); mark all but one as "
                "starting a new branch.",
                field="starts_branch",
            )
        current = following[0] if following else None
    for row in rows[1:]:
        if row.branch_title or row.trigger:
            raise ValidationProblem(
                f"Step {row.id!r} carries a branch title or trigger but does not start a "
                "branch; put them on the branch's first step.",
                field="branch_title",
            )
    steps = [
        WhyStep(
            row.question,
            row.answer,
            list(row.evidence),
            [_build_branch(child, children) for child in children[row.id] if child.starts_branch],
        )
        for row in rows
    ]
    branch = Branch(steps, title=first.branch_title, trigger=first.trigger)
    marked = [number for number, row in enumerate(rows, 1) if row.is_root_cause]
    if len(marked) > 1:
        raise ValidationProblem(
            f"The branch starting at step {first.id!r} marks {len(marked)} steps as its root "
            "cause; a branch has one root cause (fork a sub-branch for another cause).",
            field="is_root_cause",
        )
    branch.root_cause_step = marked[0] if marked else None
    cause = branch.root_cause_number
    for number, row in enumerate(rows, 1):
        if (row.factors or row.actions) and number != cause:
            raise ValidationProblem(
                f"Step {row.id!r} links factors or action items but is not the root cause of "
                "its branch; links belong on the root-cause step.",
                field="actions",
            )
    if cause is not None:
        branch.factors = list(rows[cause - 1].factors)
        branch.actions = list(rows[cause - 1].actions)
    return branch


def _branch_records(
    branch: Branch, parent: NodeId | None, position: int, next_id: int
) -> Iterator[NodeRecord]:
    previous = parent
    cause = branch.root_cause_number
    for number, step in enumerate(branch.steps, 1):
        node_id = next_id
        first = number == 1
        links = number == cause
        yield NodeRecord(
            id=node_id,
            parent=previous,
            question=step.question,
            answer=step.answer,
            position=position if first else 0,
            starts_branch=first and parent is not None,
            branch_title=branch.title if first else "",
            trigger=branch.trigger if first else "",
            is_root_cause=branch.root_cause_step == number,
            factors=tuple(branch.factors) if links else (),
            actions=tuple(branch.actions) if links else (),
            evidence=tuple(step.evidence),
        )
        next_id += 1
        for sub_position, sub in enumerate(step.branches, 1):
            sub_records = list(_branch_records(sub, node_id, sub_position, next_id))
            next_id += len(sub_records)
            yield from sub_records
        previous = node_id
