"""Writing a why-tree at once: replaced through the API, or stored with an imported
document. Validated in full before anything is written. Re-exported by services.py."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from kintsugi.accounts.models import User
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.five_whys import NodeRecord, WhyTree, build_tree, tree_to_records
from kintsugi.five_whys.models import Analysis, WhyNode
from kintsugi.five_whys.records import Numbering, evidence_json
from kintsugi.five_whys.selectors import analysis_view
from kintsugi.five_whys.tree_version import claim_version, settle_tree
from kintsugi.postmortems.models import ActionItem, Factor, Incident
from kintsugi.postmortems.services.guards import require_edit


@transaction.atomic
def tree_replace(
    *,
    user: User | None,
    incident: Incident,
    version: int | None,
    records: Sequence[NodeRecord],
    numbering: Numbering | None = None,
) -> WhyTree:
    """Replace the whole tree with ``records`` (ids are the client's own; links are numbers
    in ``numbering``, by default the incident's factors and action items in order).

    Validated in full before anything is written: cycles, orphans, depth, size, empty text.
    """
    require_edit(user, incident)
    tree = build_tree(list(records))
    claim_version(incident, version)
    if numbering is None:
        numbering = analysis_view(incident=incident).numbering
    _check_link_numbers(records, numbering)
    WhyNode.objects.filter(incident=incident).delete()
    created: dict[object, WhyNode] = {}
    pending = list(records)
    while pending:  # parents before children; build_tree proved there is no cycle
        ready = [r for r in pending if r.parent is None or r.parent in created]
        for record in ready:
            node = WhyNode.objects.create(
                incident=incident,
                parent=created[record.parent] if record.parent is not None else None,
                position=record.position,
                question=" ".join(record.question.split()),
                answer=" ".join(record.answer.split()),
                starts_branch=record.starts_branch,
                branch_title=" ".join(record.branch_title.split()),
                trigger=" ".join(record.trigger.split()),
                is_root_cause=record.is_root_cause,
                evidence=evidence_json(record.evidence),
            )
            if record.factors:
                node.factors.set(numbering.factor_ids(record.factors))
            if record.actions:
                node.action_items.set(numbering.action_ids(record.actions))
            created[record.id] = node
        pending = [r for r in pending if r.id not in created]
    settle_tree(incident)
    return tree


def _check_link_numbers(records: Sequence[NodeRecord], numbering: Numbering) -> None:
    for record in records:
        for prefix, numbers, known, what in (
            ("F", record.factors, len(numbering.factors), "contributing factor"),
            ("A", record.actions, len(numbering.actions), "action item"),
        ):
            for number in numbers:
                if number > known:
                    raise ValidationProblem(
                        f"Step {record.id!r} links {prefix}{number}, but there is no {what} "
                        f"{prefix}{number} (this incident has {known}).",
                        field="factors" if prefix == "F" else "actions",
                    )


def tree_import(
    *,
    user: User | None,
    incident: Incident,
    tree: WhyTree,
    factors: Sequence[Factor],
    action_items: Sequence[ActionItem],
) -> None:
    """Store a document's tree on a new incident; F/A numbers name the rows just created."""
    if not tree.branches:
        return
    numbering = Numbering.of([f.pk for f in factors], [a.pk for a in action_items])
    version = Analysis.objects.filter(pk=incident.pk).values_list("version", flat=True).first()
    tree_replace(
        user=user,
        incident=incident,
        version=version or 0,
        records=tree_to_records(tree),
        numbering=numbering,
    )
