"""Changing an incident's why-tree: every write goes through here.

Each use case is atomic and follows one recipe: check the permission (guards.require_edit,
which asks access.py), check the version, make the change, then rebuild the whole tree with
the core's build_tree. If the result is not a valid tree (a cycle, too deep, too many
steps, an empty answer...), the ValidationProblem rolls the transaction back, so the rules
live in one place (kintsugi.core.five_whys) and no change can leave a broken tree behind.

Versions: structural changes name the tree's version (``Analysis.version``); editing the
text of one step names that step's version. Every write bumps the tree's version.

The public helpers without a permission or version check (``move_step``, ``place_step``,
``mark_root_cause``, ``link_root_cause``, ``text_fields``, ``claim_version``,
``settle_tree``) are the parts kintsugi.five_whys.edits combines into one request-sized use
case under one version check; nothing else should call them. The tree's version and the
check after each change live in tree_version.py, the whole-tree writes (``tree_replace``,
``tree_import``) in whole_tree.py; both are re-exported here (``__all__``).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import Max

from kintsugi.accounts.models import User
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.five_whys import Evidence
from kintsugi.five_whys.models import WhyNode
from kintsugi.five_whys.records import BranchView, all_steps, evidence_json
from kintsugi.five_whys.selectors import AnalysisView, analysis_view
from kintsugi.five_whys.tree_version import claim_version, settle_tree, touch_tree
from kintsugi.five_whys.whole_tree import tree_import, tree_replace
from kintsugi.postmortems.models import ActionItem, Factor, Incident
from kintsugi.postmortems.services.guards import require_edit
from kintsugi.postmortems.services.versioning import ConflictError, save_versioned


def _same_incident(node: WhyNode | None, incident: Incident, label: str) -> None:
    if node is not None and node.incident_id != incident.pk:
        raise ValidationProblem(f"That {label} belongs to another incident.", field="parent")


def _following(node: WhyNode) -> WhyNode | None:
    return WhyNode.objects.filter(parent=node, starts_branch=False).first()


@transaction.atomic
def step_add(
    *,
    user: User | None,
    incident: Incident,
    version: int | None,
    question: str,
    answer: str,
    parent: WhyNode | int | None = None,
    starts_branch: bool = False,
    branch_title: str = "",
    trigger: str = "",
    evidence: Sequence[Evidence] = (),
) -> WhyNode:
    """Add a why: a new top-level branch (no parent), the next step after ``parent``
    (inserted before the step that followed it, if any), or the first step of a sub-branch
    forking at ``parent``.

    ``parent`` may be a step's id (as the API and the forms send it): it is looked up in
    this transaction, and an id that is not a step of this incident is a ValidationProblem
    naming it.
    """
    require_edit(user, incident)
    if isinstance(parent, int):
        parent = step_of(incident, parent, field="parent")
    _same_incident(parent, incident, "step")
    claim_version(incident, version)
    fork = parent is not None and starts_branch
    following = _following(parent) if parent is not None and not fork else None
    if parent is None or fork:
        last = WhyNode.objects.filter(incident=incident, parent=parent).aggregate(
            last=Max("position")
        )["last"]
        position = (last or 0) + 1
    else:
        position = 0
    starts = parent is None or fork
    node = WhyNode.objects.create(
        incident=incident,
        parent=parent,
        position=position,
        question=question,
        answer=answer,
        starts_branch=fork,
        branch_title=branch_title if starts else "",
        trigger=trigger if starts else "",
        evidence=evidence_json(evidence),
    )
    if following is not None:
        following.parent = node
        following.save(update_fields=["parent"])
    settle_tree(incident)
    node.refresh_from_db()
    return node


@transaction.atomic
def step_update(
    *,
    user: User | None,
    node: WhyNode,
    version: int | None,
    question: str | None = None,
    answer: str | None = None,
    branch_title: str | None = None,
    trigger: str | None = None,
    evidence: Sequence[Evidence] | None = None,
) -> WhyNode:
    """Edit the text of one step; ``version`` is the step's own version."""
    incident = node.incident
    require_edit(user, incident)
    fields = text_fields(
        node,
        question=question,
        answer=answer,
        branch_title=branch_title,
        trigger=trigger,
        evidence=evidence,
    )
    fresh = save_versioned(node, version=version, fields=fields)
    touch_tree(incident)
    settle_tree(incident)
    return fresh


def text_fields(
    node: WhyNode,
    *,
    question: str | None = None,
    answer: str | None = None,
    branch_title: str | None = None,
    trigger: str | None = None,
    evidence: Sequence[Evidence] | None = None,
) -> dict[str, object]:
    """The columns a text edit writes (None means "unchanged"), whitespace normalised."""
    fields: dict[str, object] = {}
    for name, value in (("question", question), ("answer", answer)):
        if value is not None:
            fields[name] = " ".join(value.split())
    starts = node.parent_id is None or node.starts_branch
    for name, value in (("branch_title", branch_title), ("trigger", trigger)):
        if value is not None:
            if not starts and value.strip():
                raise ValidationProblem(
                    "A title or trigger belongs on the first step of a branch.", field=name
                )
            fields[name] = " ".join(value.split())
    if evidence is not None:
        fields["evidence"] = evidence_json(evidence)
    return fields


@transaction.atomic
def step_delete(*, user: User | None, node: WhyNode, version: int | None) -> int:
    """Delete a step with everything below it (the rest of its chain and its forks).

    Returns how many steps were deleted, so the page can say so.
    """
    incident = node.incident
    require_edit(user, incident)
    claim_version(incident, version)
    deleted = _descendant_count(node) + 1
    node.delete()  # the parent key cascades to every descendant
    settle_tree(incident)
    return deleted


def _descendant_count(node: WhyNode) -> int:
    count, frontier = 0, [node.pk]
    while frontier:
        frontier = list(WhyNode.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        count += len(frontier)
    return count


@transaction.atomic
def step_move(*, user: User | None, node: WhyNode, version: int | None, direction: str) -> None:
    """Swap a step with the one before ("up") or after ("down") it in its branch.

    A step keeps its sub-branches (they fork at what it says); the branch keeps its title,
    trigger and place, which stay on whichever step is now first.
    """
    incident = node.incident
    require_edit(user, incident)
    claim_version(incident, version)
    move_step(node, direction)
    settle_tree(incident)


def move_step(node: WhyNode, direction: str) -> None:
    """The swap of :func:`step_move`, for a caller that has checked the permission and the
    version in its own transaction (and settles the tree afterwards)."""
    if direction == "up":
        starts = node.parent_id is None or node.starts_branch
        if starts:
            raise ValidationProblem("This is already the first step of its branch.", field="move")
        first, second = WhyNode.objects.get(pk=node.parent_id), node
    elif direction == "down":
        following = _following(node)
        if following is None:
            raise ValidationProblem("This is already the last step of its branch.", field="move")
        first, second = node, following
    else:
        raise ValidationProblem("Move a step 'up' or 'down'.", field="move")
    after = _following(second)
    second.parent_id, second.starts_branch, second.position = (
        first.parent_id,
        first.starts_branch,
        first.position,
    )
    second.branch_title, second.trigger = first.branch_title, first.trigger
    first.branch_title = first.trigger = ""
    first.parent_id, first.starts_branch, first.position = None, False, 0
    first.save(update_fields=["parent", "starts_branch", "position", "branch_title", "trigger"])
    second.save(update_fields=["parent", "starts_branch", "position", "branch_title", "trigger"])
    first.parent_id = second.pk
    first.save(update_fields=["parent"])
    if after is not None:
        after.parent_id = first.pk
        after.save(update_fields=["parent"])


@transaction.atomic
def branch_move(*, user: User | None, node: WhyNode, version: int | None, direction: str) -> None:
    """Swap the branch that ``node`` starts with the one before ("up") or after ("down") it
    among the branches that start at the same place: the top level, or the same step.

    Branches forking at different steps are numbered in step order; moving one to another
    step is a reparent, not a swap.
    """
    incident = node.incident
    require_edit(user, incident)
    _check_branch_move(node, direction)
    claim_version(incident, version)
    move_branch(node, direction)
    settle_tree(incident)


def _check_branch_move(node: WhyNode, direction: str) -> None:
    if node.parent_id is not None and not node.starts_branch:
        raise ValidationProblem("Only the first step of a branch moves the branch.", field="move")
    if direction not in ("up", "down"):
        raise ValidationProblem("Move a branch 'up' or 'down'.", field="move")


def move_branch(node: WhyNode, direction: str) -> None:
    """The swap of :func:`branch_move`, inside a caller's checked transaction."""
    _check_branch_move(node, direction)
    siblings = WhyNode.objects.filter(incident_id=node.incident_id, parent_id=node.parent_id)
    if node.parent_id is not None:
        siblings = siblings.filter(starts_branch=True)
    order = list(siblings.order_by("position", "id"))
    index = next(number for number, sibling in enumerate(order) if sibling.pk == node.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(order):
        where = "at this step" if node.parent_id is not None else "of the analysis"
        place = "first" if direction == "up" else "last"
        raise ValidationProblem(f"This is already the {place} branch {where}.", field="move")
    order[index], order[other] = order[other], order[index]
    # Positions from 1: a step's own continuation (position 0) stays before its forks.
    for position, sibling in enumerate(order, start=1):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])


@transaction.atomic
def step_reparent(
    *,
    user: User | None,
    node: WhyNode,
    version: int | None,
    parent: WhyNode | None,
    starts_branch: bool,
    position: int | None = None,
) -> WhyNode:
    """Attach a step (and what follows it) elsewhere; a cycle or an over-deep result is
    refused by the rebuild, and nothing changes."""
    incident = node.incident
    require_edit(user, incident)
    _same_incident(parent, incident, "parent step")
    claim_version(incident, version)
    place_step(node, parent=parent, starts_branch=starts_branch, position=position)
    settle_tree(incident)
    node.refresh_from_db()
    return node


def place_step(
    node: WhyNode, *, parent: WhyNode | None, starts_branch: bool, position: int | None
) -> None:
    """The move of :func:`step_reparent`, inside a caller's checked transaction."""
    node.parent = parent
    node.starts_branch = parent is not None and starts_branch
    if position is not None:
        node.position = position
    node.save(update_fields=["parent", "starts_branch", "position"])


@transaction.atomic
def root_cause_mark(
    *, user: User | None, node: WhyNode, version: int | None, marked: bool = True
) -> None:
    """Mark a step as its branch's root cause (its links follow), or clear the mark."""
    incident = node.incident
    require_edit(user, incident)
    claim_version(incident, version)
    mark_root_cause(node, marked)
    settle_tree(incident)


def mark_root_cause(node: WhyNode, marked: bool) -> None:
    """The mark of :func:`root_cause_mark`, inside a caller's checked transaction."""
    view = analysis_view(incident=node.incident)
    branch = _branch_of(view, node.pk)
    ids = [int(step.record.id) for step in branch.steps]
    WhyNode.objects.filter(pk__in=ids).update(is_root_cause=False)
    if marked:
        WhyNode.objects.filter(pk=node.pk).update(is_root_cause=True)


def _branch_of(view: AnalysisView, node_id: int) -> BranchView:
    for branch, step in all_steps(view.branches):
        if step.record.id == node_id:
            return branch
    raise ValidationProblem("That step is not part of the analysis.", field="step")


@transaction.atomic
def root_cause_link(
    *,
    user: User | None,
    node: WhyNode,
    version: int | None,
    factors: Sequence[Factor] | None,
    action_items: Sequence[ActionItem] | None,
) -> None:
    """Link a root cause to the factors behind it and the action items that address it.

    ``None`` leaves that list as it is (a PATCH naming only the action items keeps the
    factors); an empty list clears it.
    """
    incident = node.incident
    require_edit(user, incident)
    rows: list[Factor | ActionItem] = [*(factors or ()), *(action_items or ())]
    for row in rows:
        if row.incident_id != incident.pk:
            raise ValidationProblem(
                "You can link only factors and action items of this incident.", field="links"
            )
    claim_version(incident, version)
    link_root_cause(node, factors=factors, action_items=action_items)
    settle_tree(incident)


def link_root_cause(
    node: WhyNode,
    *,
    factors: Sequence[Factor] | None,
    action_items: Sequence[ActionItem] | None,
) -> None:
    """The links of :func:`root_cause_link`, inside a caller's checked transaction."""
    view = analysis_view(incident=node.incident)
    branch = _branch_of(view, node.pk)
    number = next(s.number for s in branch.steps if s.record.id == node.pk)
    if branch.root_cause_number != number:
        raise ValidationProblem(
            "Only a root cause can be linked: mark this step as the root cause first.",
            field="links",
        )
    if factors is not None:
        node.factors.set(factors)
    if action_items is not None:
        node.action_items.set(action_items)


def step_of(incident: Incident, pk: int, *, field: str) -> WhyNode:
    """A step of ``incident`` by id, or a ValidationProblem naming the id (a 422: the id
    came in a request body, not in the address)."""
    node = WhyNode.objects.filter(pk=pk, incident=incident).first()
    if node is None:
        raise ValidationProblem(f"There is no step with id {pk} in this incident.", field=field)
    node.incident = incident
    return node


__all__ = [
    "ConflictError",
    "branch_move",
    "claim_version",
    "link_root_cause",
    "mark_root_cause",
    "move_branch",
    "move_step",
    "place_step",
    "settle_tree",
    "step_of",
    "text_fields",
    "touch_tree",
    "root_cause_link",
    "root_cause_mark",
    "step_add",
    "step_delete",
    "step_move",
    "step_reparent",
    "step_update",
    "tree_import",
    "tree_replace",
]
