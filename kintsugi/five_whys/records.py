"""Rows <-> the core's NodeRecord, and the walk that numbers branches like the core does.

Links are stored as foreign keys (a factor or action item can be renamed, reordered or
deleted without the tree noticing), while the core speaks 1-based numbers (F2, A1). The
numbers are positions in the incident's own order: factors by position, action items in
the template's order (priority, then target date), the order the Markdown export uses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.five_whys import Evidence, NodeRecord
from kintsugi.core.vocabulary import EvidenceKind
from kintsugi.five_whys.models import WhyNode


@dataclass(frozen=True)
class Numbering:
    """Primary key <-> 1-based number, for the factors and the action items of an incident."""

    factors: dict[int, int]
    actions: dict[int, int]

    @classmethod
    def of(cls, factor_ids: Sequence[int], action_ids: Sequence[int]) -> Numbering:
        return cls(
            {pk: number for number, pk in enumerate(factor_ids, 1)},
            {pk: number for number, pk in enumerate(action_ids, 1)},
        )

    def factor_ids(self, numbers: Sequence[int]) -> list[int]:
        reverse = {number: pk for pk, number in self.factors.items()}
        return [reverse[n] for n in numbers if n in reverse]

    def action_ids(self, numbers: Sequence[int]) -> list[int]:
        reverse = {number: pk for pk, number in self.actions.items()}
        return [reverse[n] for n in numbers if n in reverse]


def evidence_of(raw: object) -> tuple[Evidence, ...]:
    """Stored evidence JSON as core objects; a bad stored value is a bug, said plainly."""
    items = raw if isinstance(raw, list) else []
    try:
        return tuple(Evidence(EvidenceKind(item["kind"]), str(item["content"])) for item in items)
    except (KeyError, TypeError, ValueError) as error:
        raise ValidationProblem(
            f"Stored evidence is malformed: {error}.", field="evidence"
        ) from None


def evidence_json(items: Sequence[Evidence]) -> list[dict[str, str]]:
    return [{"kind": item.kind.value, "content": item.content} for item in items]


def node_record(
    node: WhyNode, numbering: Numbering, factor_ids: Sequence[int], action_ids: Sequence[int]
) -> NodeRecord:
    return NodeRecord(
        id=node.pk,
        parent=node.parent_id,
        question=node.question,
        answer=node.answer,
        position=node.position,
        starts_branch=node.starts_branch,
        branch_title=node.branch_title,
        trigger=node.trigger,
        is_root_cause=node.is_root_cause,
        factors=tuple(
            sorted(numbering.factors[pk] for pk in factor_ids if pk in numbering.factors)
        ),
        actions=tuple(
            sorted(numbering.actions[pk] for pk in action_ids if pk in numbering.actions)
        ),
        evidence=evidence_of(node.evidence),
    )


@dataclass
class BranchView:
    """A branch as the editor shows it: its label, its steps and where each sub-branch forks."""

    path: tuple[int, ...]
    steps: list[StepView] = field(default_factory=list)

    @property
    def label(self) -> str:
        return ".".join(str(part) for part in self.path)

    @property
    def first(self) -> NodeRecord:
        return self.steps[0].record

    @property
    def root_cause_number(self) -> int | None:
        marked = [s.number for s in self.steps if s.record.is_root_cause]
        if marked:
            return marked[0]
        if self.steps and not self.steps[-1].branches:
            return len(self.steps)
        return None


@dataclass
class StepView:
    record: NodeRecord
    number: int
    depth: int  # whys from the top question to this step
    branches: list[BranchView] = field(default_factory=list)


def walk(records: Sequence[NodeRecord]) -> list[BranchView]:
    """The branches in the core's numbering (sub-branches in step order across the parent).

    ``records`` must already form a valid tree (build_tree accepted them).
    """
    children: dict[object, list[NodeRecord]] = defaultdict(list)
    roots = []
    for record in records:
        (roots if record.parent is None else children[record.parent]).append(record)
    for siblings in children.values():
        siblings.sort(key=lambda r: r.position)
    roots.sort(key=lambda r: r.position)

    def branch(first: NodeRecord, path: tuple[int, ...], depth: int) -> BranchView:
        view = BranchView(path)
        current: NodeRecord | None = first
        sub_number = 0
        while current is not None:
            depth += 1
            step = StepView(current, len(view.steps) + 1, depth)
            view.steps.append(step)
            following = None
            for child in children[current.id]:
                if child.starts_branch:
                    sub_number += 1
                    step.branches.append(branch(child, (*path, sub_number), depth))
                else:
                    following = child
            current = following
        return view

    return [branch(root, (number,), 0) for number, root in enumerate(roots, 1)]


def all_steps(branches: Sequence[BranchView]) -> Iterator[tuple[BranchView, StepView]]:
    for view in branches:
        for step in view.steps:
            yield view, step
            yield from all_steps(step.branches)


def relocate_links(records: list[NodeRecord]) -> list[NodeRecord]:
    """Keep root-cause data on the root-cause step after the shape changed.

    Adding a step after the root cause, deleting the last step or forking the last step
    moves "the last answer"; the links (and the explicit mark) follow the root cause
    instead of being left on a step where the core refuses them. When the branch no longer
    has a root cause of its own (its last step now forks), the step that held the links is
    marked explicitly, so nothing the author linked is lost.
    """
    by_id = {r.id: r for r in records}
    for view in walk_unchecked(records):
        ids = [s.record.id for s in view.steps]
        rows = [by_id[i] for i in ids]
        marked = [r for r in rows if r.is_root_cause]
        for extra in marked[1:]:
            by_id[extra.id] = replace(by_id[extra.id], is_root_cause=False)
        holders = [r for r in rows if r.factors or r.actions]
        if not holders:
            continue
        factors = tuple(sorted({n for r in holders for n in r.factors}))
        actions = tuple(sorted({n for r in holders for n in r.actions}))
        if marked:
            cause_id = marked[0].id
        elif not view.steps[-1].branches:
            cause_id = ids[-1]
        else:
            cause_id = holders[-1].id
            by_id[cause_id] = replace(by_id[cause_id], is_root_cause=True)
        for row in holders:
            by_id[row.id] = replace(by_id[row.id], factors=(), actions=())
        by_id[cause_id] = replace(by_id[cause_id], factors=factors, actions=actions)
    return [by_id[r.id] for r in records]


def walk_unchecked(records: Sequence[NodeRecord]) -> list[BranchView]:
    """:func:`walk` for rows not yet validated: rows off the tree (a cycle) are skipped and
    build_tree reports them afterwards."""
    try:
        return walk(records)
    except (KeyError, RecursionError):
        return []
