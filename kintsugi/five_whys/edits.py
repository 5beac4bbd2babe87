"""Whole requests on the why-tree: one call, one transaction, one version check.

An API ``PATCH`` of a step may change its text, move it, mark it as the root cause and
link it, all at once. Done as a chain of separate services, each step would bump the
tree's version and the next would have to read the new one, silently skipping the check
against the version the client sent (issue 14, item 8); a failure half-way would leave the
first changes saved. Here the client's versions are checked once, up front, under the
write lock, every change is applied in the same transaction and any refusal (a conflict,
an unknown id, a cycle) rolls all of it back.

PATCH semantics: a field left as ``None`` (``KEEP`` for the parent, where ``None`` means
"top level") is unchanged; an empty list clears.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import TypeVar

from django.db import transaction

from kintsugi.accounts.models import User
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.five_whys import Evidence, NodeRecord, WhyTree
from kintsugi.five_whys import services
from kintsugi.five_whys.models import WhyNode
from kintsugi.five_whys.selectors import analysis_view
from kintsugi.postmortems.models import ActionItem, Factor, Incident
from kintsugi.postmortems.services.guards import require_edit
from kintsugi.postmortems.services.versioning import save_versioned

Linked = TypeVar("Linked", Factor, ActionItem)


class Keep(Enum):
    """The "leave it as it is" value for a field whose ``None`` means something."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True)
class StepChange:
    """What one request changes on one step; ``None`` (or ``KEEP``) is "unchanged"."""

    question: str | None = None
    answer: str | None = None
    branch_title: str | None = None
    trigger: str | None = None
    evidence: Sequence[Evidence] | None = None
    parent: int | None | Keep = KEEP  # a step id; None is the top level
    starts_branch: bool | None = None
    position: int | None = None
    move: str | None = None
    move_branch: str | None = None
    is_root_cause: bool | None = None
    factor_ids: Sequence[int] | None = None
    action_item_ids: Sequence[int] | None = None

    @property
    def changes_text(self) -> bool:
        texts = (self.question, self.answer, self.branch_title, self.trigger, self.evidence)
        return any(value is not None for value in texts)

    @property
    def changes_place(self) -> bool:
        return (
            self.parent is not KEEP or self.starts_branch is not None or self.position is not None
        )

    @property
    def changes_links(self) -> bool:
        return self.factor_ids is not None or self.action_item_ids is not None

    @property
    def structural(self) -> bool:
        """Whether the change reshapes the tree (and so names the tree's version)."""
        return (
            self.changes_place
            or self.changes_links
            or self.move is not None
            or self.move_branch is not None
            or self.is_root_cause is not None
        )


@transaction.atomic
def step_change(
    *,
    user: User | None,
    node: WhyNode,
    version: int | None,
    tree_version: int | None,
    change: StepChange,
) -> WhyNode:
    """Apply ``change`` to ``node`` as one use case.

    ``version`` is the step's own version (needed for text changes), ``tree_version`` the
    tree's (needed for everything else). Both are checked against what the client sent
    before anything is written; a stale one is a ConflictError and nothing changes.
    Unknown parent, factor or action item ids are a ValidationProblem naming the id.
    """
    incident = node.incident
    require_edit(user, incident)
    if change.structural and tree_version is None:
        raise ValidationProblem(
            "Send the tree's version (tree_version) with structural changes.",
            field="tree_version",
        )
    if change.changes_text and version is None:
        raise ValidationProblem(
            "Send this step's version (version) with changes to its text.", field="version"
        )
    if change.structural:
        services.claim_version(incident, tree_version)  # the check and the claim: one UPDATE
    # Read again under the write lock: the row the caller looked up may be older.
    node = services.step_of(incident, node.pk, field="id")
    parent = (
        services.step_of(incident, change.parent, field="parent")
        if isinstance(change.parent, int)
        else None
    )
    factors = _rows(Factor, incident, change.factor_ids, "factor")
    action_items = _rows(ActionItem, incident, change.action_item_ids, "action item")

    if change.changes_text:
        fields = services.text_fields(
            node,
            question=change.question,
            answer=change.answer,
            branch_title=change.branch_title,
            trigger=change.trigger,
            evidence=change.evidence,
        )
        node = save_versioned(node, version=version, fields=fields)
        node.incident = incident
        if not change.structural:
            services.touch_tree(incident)  # the tree as a whole is newer too
        services.settle_tree(incident)
    if change.changes_place:
        services.place_step(
            node,
            parent=parent if change.parent is not KEEP else node.parent,
            starts_branch=(
                change.starts_branch if change.starts_branch is not None else node.starts_branch
            ),
            position=change.position,
        )
        services.settle_tree(incident)
    if change.move is not None:
        services.move_step(node, change.move)
        services.settle_tree(incident)
        node = services.step_of(incident, node.pk, field="id")
    if change.move_branch is not None:
        services.move_branch(node, change.move_branch)
        services.settle_tree(incident)
        node = services.step_of(incident, node.pk, field="id")
    if change.is_root_cause is not None:
        services.mark_root_cause(node, change.is_root_cause)
        services.settle_tree(incident)
    if change.changes_links:
        services.link_root_cause(node, factors=factors, action_items=action_items)
        services.settle_tree(incident)
    return services.step_of(incident, node.pk, field="id")


def _rows(
    model: type[Linked], incident: Incident, ids: Sequence[int] | None, what: str
) -> list[Linked] | None:
    """The rows ``ids`` name, in this incident; an id that names none is refused by name
    (never silently dropped from the links)."""
    if ids is None:
        return None
    rows = {row.pk: row for row in model.objects.filter(incident=incident, pk__in=set(ids))}
    unknown = [pk for pk in ids if pk not in rows]
    if unknown:
        field = f"{what.replace(' ', '_')}_ids"
        raise ValidationProblem(f"There is no {what} with id {unknown[0]} in this incident.",
                                field=field)  # fmt: skip
    return [rows[pk] for pk in dict.fromkeys(ids)]


@transaction.atomic
def tree_put(
    *,
    user: User | None,
    incident: Incident,
    version: int | None,
    records: Sequence[NodeRecord],
    links: Mapping[object, tuple[Sequence[int], Sequence[int]]],
) -> WhyTree:
    """Replace the whole tree, its links given as factor and action item ids per record id
    (as the API sends them), turned into the core's F/A numbers in this transaction, so
    the numbering cannot change between reading it and writing with it."""
    require_edit(user, incident)
    numbering = analysis_view(incident=incident).numbering
    numbered = []
    for record in records:
        factor_ids, action_ids = links.get(record.id, ((), ()))
        numbered.append(
            replace(
                record,
                factors=_numbers(record.id, factor_ids, numbering.factors, "factor"),
                actions=_numbers(record.id, action_ids, numbering.actions, "action item"),
            )
        )
    return services.tree_replace(
        user=user, incident=incident, version=version, records=numbered, numbering=numbering
    )


def _numbers(
    record_id: object, ids: Sequence[int], known: Mapping[int, int], what: str
) -> tuple[int, ...]:
    unknown = [pk for pk in ids if pk not in known]
    if unknown:
        raise ValidationProblem(
            f"Step {record_id!r} links {what} id {unknown[0]}, but there is no {what} with "
            "that id in this incident.",
            field=f"{what.replace(' ', '_')}_ids",
        )
    return tuple(sorted({known[pk] for pk in ids}))
