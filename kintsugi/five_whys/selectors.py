"""Reading an incident's why-tree: the rows, the tree, the check results.

Constant query counts whatever the size of the tree: the rows and their links to factors
and action items (2 queries, compiled once per process; 1 when there are no rows), the
factor and action item ids that number the links (2, or none when the caller already
loaded them), the version (1, or none when the caller read it with the incident).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from django.db import router
from django.db.models import CharField, QuerySet, Value

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.five_whys import (
    AnswerNote,
    Finding,
    NodeRecord,
    WhyTree,
    build_tree,
    check_tree,
)
from kintsugi.core.language import Linter
from kintsugi.django_internals import PreparedRead, attnames
from kintsugi.five_whys.answer_language import answer_linter
from kintsugi.five_whys.models import Analysis, WhyNode
from kintsugi.five_whys.records import BranchView, Numbering, all_steps, node_record, walk
from kintsugi.postmortems.models import ActionItem, Factor, Incident

_NODE_FIELDS = attnames(WhyNode)
_NODES = PreparedRead(
    lambda incident_id: (
        WhyNode.objects.filter(incident_id=incident_id)
        .order_by("position", "id")
        .values_list(*_NODE_FIELDS)
    )
)


def _links(incident_id: int) -> QuerySet[WhyNode]:
    """Which factors and action items each step links to (the root causes' links)."""
    factors = WhyNode.factors.through.objects.filter(whynode__incident_id=incident_id)
    actions = WhyNode.action_items.through.objects.filter(whynode__incident_id=incident_id)
    label = CharField()
    return factors.values_list(  # type: ignore[return-value]
        Value("factor", output_field=label), "whynode_id", "factor_id"
    ).union(
        actions.values_list(Value("action", output_field=label), "whynode_id", "actionitem_id"),
        all=True,
    )


_LINKS = PreparedRead(_links)


@dataclass
class AnalysisView:
    incident: Incident
    nodes: list[WhyNode]
    records: list[NodeRecord]
    numbering: Numbering
    factors: list[Factor]
    action_items: list[ActionItem]
    version: int

    @cached_property
    def tree(self) -> WhyTree:
        return build_tree(self.records)

    @cached_property
    def branches(self) -> list[BranchView]:
        return walk(self.records)

    @property
    def node_by_id(self) -> dict[int, WhyNode]:
        return {node.pk: node for node in self.nodes}

    def findings(self) -> list[Finding]:
        return analysis_findings(self.tree, [item.title for item in self.action_items])


def analysis_view(
    *,
    incident: Incident,
    factors: Sequence[Factor] | None = None,
    action_items: Sequence[ActionItem] | None = None,
    version: int | None = None,
) -> AnalysisView:
    """The stored tree of ``incident``; access was decided by the caller (access.py).

    The post-mortem page has already read the incident's factors and action items (in
    their model order, which numbers them F1.. and A1..); passing them in saves two
    queries. Either list must then be complete and in that order. It also read the tree's
    version with the incident, before the nodes: a version read first can only be older
    than the nodes, never newer, so a race costs a refused save (the conflict is shown),
    never a silent overwrite.
    """
    if factors is None:
        factors = Factor.objects.filter(incident=incident).order_by("position", "id")
    if action_items is None:
        action_items = ActionItem.objects.filter(incident=incident)  # the template's order
    factors = list(factors)
    items = list(action_items)
    db = router.db_for_read(WhyNode)
    nodes = [WhyNode.from_db(db, _NODE_FIELDS, row) for row in _NODES.rows(incident.pk)]
    numbering = Numbering.of([f.pk for f in factors], [a.pk for a in items])
    linked: dict[tuple[str, int], list[int]] = {}
    for kind, node_id, target_id in _LINKS.rows(incident.pk) if nodes else ():
        linked.setdefault((kind, node_id), []).append(target_id)
    # In the order the lists number them (F1, F2, ...; A1, A2, ...), as the links show.
    factor_order = {factor.pk: index for index, factor in enumerate(factors)}
    item_order = {item.pk: index for index, item in enumerate(items)}
    records = [
        node_record(
            node,
            numbering,
            sorted(linked.get(("factor", node.pk), ()), key=lambda pk: factor_order.get(pk, -1)),
            sorted(linked.get(("action", node.pk), ()), key=lambda pk: item_order.get(pk, -1)),
        )
        for node in nodes
    ]
    if version is None:
        stored = Analysis.objects.filter(incident=incident).values_list("version", flat=True)
        version = stored.first() or 0
    return AnalysisView(incident, nodes, records, numbering, factors, items, version)


def analysis_findings(tree: WhyTree, action_titles: Sequence[str] | None) -> list[Finding]:
    """The quality checks with the blameless-language checker on every answer, using the
    organisation's language settings and people, like every other text field."""
    linter: Linter | None = None

    def lint_answer(text: str) -> Sequence[AnswerNote]:
        # Fetched on the first answer and only then: knowing the linter is current costs a
        # query, which a post-mortem without a 5 Whys analysis (most of them) need not pay.
        nonlocal linter
        if linter is None:
            linter = answer_linter()
        return linter.lint_text(text)

    def is_person(word: str) -> bool:
        # The same people the publish gate knows: a root cause that ends on a user by name
        # is flagged in the editor as it is refused at publishing.
        nonlocal linter
        if linter is None:
            linter = answer_linter()
        return linter.lexicon.is_name(word)

    return check_tree(
        tree, action_items=action_titles, extra_answer_checks=(lint_answer,), people=is_person
    )


def findings_by_node(view: AnalysisView) -> tuple[dict[int, list[Finding]], list[Finding]]:
    """Findings keyed by the step they concern, and those about no step (unlinked actions)."""
    places = {
        (branch.path, step.number): step.record.id for branch, step in all_steps(view.branches)
    }
    by_node: dict[int, list[Finding]] = {}
    general: list[Finding] = []
    for finding in view.findings():
        location = finding.location
        node_id = places.get((location.branch or (), location.step or 0))
        if node_id is None:
            general.append(finding)
        else:
            by_node.setdefault(int(node_id), []).append(finding)
    return by_node, general


def draft_findings(
    view: AnalysisView,
    *,
    question: str,
    answer: str,
    node_id: int | None = None,
    parent_id: int | None = None,
    starts_branch: bool = False,
) -> list[Finding]:
    """What the checks would say about a step being typed, before it is saved.

    The draft is checked in place (an edit) or where it would go (a new step), so depth,
    circularity and root-cause rules see the real chain. A draft that does not form a valid
    tree yet (an empty field) has no findings: saving it will say what is missing.
    """
    records = list(view.records)
    if node_id is not None:
        records = [
            replace(r, question=question, answer=answer) if r.id == node_id else r for r in records
        ]
        target: object = node_id
    else:
        target = "draft"
        records.append(
            NodeRecord(
                id=target,
                parent=parent_id,
                question=question,
                answer=answer,
                position=10**6,
                starts_branch=starts_branch and parent_id is not None,
            )
        )
    try:
        tree = build_tree(records)
    except ValidationProblem:
        return []
    place = next(
        ((b.path, s.number) for b, s in all_steps(walk(records)) if s.record.id == target), None
    )
    return [
        finding
        for finding in analysis_findings(tree, [item.title for item in view.action_items])
        if place is not None and (finding.location.branch, finding.location.step) == place
    ]
