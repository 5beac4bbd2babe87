"""The 5 Whys section's template context, computed from one analysis_view (constant queries)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kintsugi.core.five_whys import Evidence, Finding, suggest_next_question
from kintsugi.core.five_whys.evidence_text import evidence_lines
from kintsugi.five_whys.records import BranchView, StepView
from kintsugi.five_whys.selectors import AnalysisView, analysis_view, findings_by_node
from kintsugi.postmortems.models import Incident
from kintsugi.postmortems.selectors import PostmortemView


def move_focus(kind: str, node_pk: int, direction: str) -> str:
    """The ``why_focus`` a move answers with (``kind``: "move" a step, "branch" a branch),
    so that the moved thing's button keeps the keyboard focus after the swap."""
    return f"{kind}-{node_pk}-{direction}"


@dataclass
class StepRow:
    """What the template shows for one step."""

    node: Any
    number: int
    depth: int
    findings: list[Finding]
    is_root_cause: bool
    marked: bool
    factor_numbers: tuple[int, ...]
    action_numbers: tuple[int, ...]
    evidence: Sequence[Evidence] = ()
    branches: list[BranchRow] = field(default_factory=list)

    @property
    def evidence_text(self) -> str:
        """The edit form's evidence box, one piece per line."""
        return evidence_lines(self.evidence)

    @property
    def starts(self) -> bool:
        """The first step of a branch, which holds the branch's title and trigger."""
        return self.node.parent_id is None or bool(self.node.starts_branch)

    @property
    def move_keys(self) -> dict[str, str]:
        """What a move answers with (``why_focus``), so its button keeps the focus."""
        return {way: move_focus("move", self.node.pk, way) for way in ("up", "down")}

    @property
    def slots(self) -> dict[str, str]:
        """Names of this step's forms, matched against a refused draft to reopen it."""
        pk = self.node.pk
        return {"edit": f"edit-{pk}", "fork": f"fork-{pk}", "links": f"links-{pk}"}


@dataclass
class BranchRow:
    path: tuple[int, ...]
    title: str
    trigger: str
    steps: list[StepRow]
    next_question: str
    key: str  # "b-12": the branch's first step, for ids of its add slot
    # Where it stands among the branches that start at the same place (Move up/down).
    first_there: bool = True
    last_there: bool = True

    @property
    def label(self) -> str:
        return ".".join(str(p) for p in self.path)

    @property
    def last(self) -> StepRow:
        return self.steps[-1]

    @property
    def moves(self) -> list[tuple[str, str, bool, str, str]]:
        """Its Move buttons: (direction, arrow, shown, focus keys). A move answers with
        ``why_focus`` = its key, so the button keeps the keyboard focus; the other button
        takes it when the branch went to the top or the bottom."""
        up, down = (move_focus("branch", self.steps[0].node.pk, way) for way in ("up", "down"))
        return [
            ("up", "↑", not self.first_there, up, down if self.last_there else "-"),
            ("down", "↓", not self.last_there, down, up if self.first_there else "-"),
        ]

    @property
    def next_slot(self) -> str:
        return f"next-{self.last.node.pk}"

    @property
    def focus_key(self) -> str:
        return f"after-{self.last.node.pk}"


def five_whys_context(
    incident: Incident,
    *,
    can_edit: bool,
    view: AnalysisView | None = None,
    page: PostmortemView | None = None,
) -> dict[str, Any]:
    """The section's context; ``page`` is the post-mortem page's data when the section is
    part of it, so the factors and action items it already read are not read again."""
    if view is None:
        view = analysis_view(
            incident=incident,
            factors=page.factors if page is not None else None,
            action_items=page.action_items if page is not None else None,
            version=page.why_version if page is not None else None,
        )
    by_node, general = findings_by_node(view)
    nodes = view.node_by_id

    def branch_rows(branches: list[BranchView]) -> list[BranchRow]:
        last = len(branches) - 1
        return [
            branch_row(branch, index == 0, index == last) for index, branch in enumerate(branches)
        ]

    def branch_row(branch: BranchView, first_there: bool, last_there: bool) -> BranchRow:
        cause = branch.root_cause_number
        steps = [step_row(step, cause) for step in branch.steps]
        first = branch.first
        return BranchRow(
            path=branch.path,
            title=first.branch_title,
            trigger=first.trigger,
            steps=steps,
            next_question=suggest_next_question(branch.steps[-1].record.answer),
            key=f"b-{first.id}",
            first_there=first_there,
            last_there=last_there,
        )

    def step_row(step: StepView, cause: int | None) -> StepRow:
        record = step.record
        return StepRow(
            node=nodes[int(record.id)],
            number=step.number,
            depth=step.depth,
            findings=by_node.get(int(record.id), []),
            is_root_cause=step.number == cause,
            marked=record.is_root_cause,
            factor_numbers=record.factors,
            action_numbers=record.actions,
            evidence=record.evidence,
            branches=branch_rows(step.branches),
        )

    branches = branch_rows(view.branches)
    errors = sum(1 for fs in by_node.values() for f in fs if f.severity == "error")
    return {
        "incident": incident,
        "can_edit": can_edit,
        "analysis": view,
        "why_branches": branches,
        "why_general": general,
        "why_errors": errors,
        "why_version": view.version,
    }
