"""The 5 Whys over the API: the whole tree, one step at a time, and the check results.

The tree travels as flat rows with parent pointers (``NodeRecord`` in the core), the way a
script builds it. ``PUT`` replaces the whole tree and is validated in full before anything
is written: a cycle, an orphan, a tree deeper or larger than the limits, or an empty or
whitespace-only question or answer is a 422 naming the steps involved. Structural writes
name the tree's ``version`` (409 when someone changed the tree since); editing the text of
one step names that step's own ``version``. Links name factors and action items by id.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status

from kintsugi.analysis import services
from kintsugi.analysis.models import WhyNode
from kintsugi.analysis.records import all_steps, evidence_of
from kintsugi.analysis.selectors import AnalysisView, analysis_view
from kintsugi.api.auth import current_user
from kintsugi.api.errors import ApiError, error_response
from kintsugi.api.lookups import incident_for, incident_part
from kintsugi.api.schemas.common import ErrorOut, Id, Version
from kintsugi.core.analysis import (
    MAX_ANSWER,
    MAX_QUESTION,
    MAX_STEPS,
    MAX_TITLE,
    MAX_TRIGGER,
    NodeRecord,
    suggest_next_question,
)
from kintsugi.core.errors import ValidationProblem
from kintsugi.postmortems.models import ActionItem, Factor, Incident
from kintsugi.postmortems.services import ConflictError

router = Router(tags=["analysis"])

_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class EvidenceSchema(Schema):
    kind: str = "other"
    content: str


class NodeOut(Schema):
    id: int
    parent: int | None
    position: int
    question: str
    answer: str
    starts_branch: bool
    branch_title: str
    trigger: str
    is_root_cause: bool
    factor_ids: list[int]
    action_item_ids: list[int]
    evidence: list[EvidenceSchema]
    version: int
    suggested_question: str = Field(description="The next 'Why ...?' derived from the answer.")


class AnalysisOut(Schema):
    incident_id: int
    version: int = Field(description="The tree's version; send it with structural changes.")
    nodes: list[NodeOut]


# Where a step sits among its siblings: far more than a tree can hold, far less than the
# database's integers (issue 14: 2^63 answered 500).
Position = Annotated[int, Field(ge=0, le=100_000)]


class NodeIn(Schema):
    id: int | str = Field(description="Your own id for this row, unique in the request.")
    parent: int | str | None = None  # your own id of another row, not stored
    position: Position = 0
    question: str = Field(max_length=MAX_QUESTION * 2)
    answer: str = Field(max_length=MAX_ANSWER * 2)
    starts_branch: bool = False
    branch_title: str = Field("", max_length=MAX_TITLE * 2)
    trigger: str = Field("", max_length=MAX_TRIGGER * 2)
    is_root_cause: bool = False
    factor_ids: list[Id] = []
    action_item_ids: list[Id] = []
    evidence: list[EvidenceSchema] = []


class TreeIn(Schema):
    version: Version | None = None
    nodes: list[NodeIn] = Field(max_length=MAX_STEPS * 5)


class NodeCreate(Schema):
    version: Version | None = Field(None, description="The tree's version.")
    parent: Id | None = None
    starts_branch: bool = False
    question: str
    answer: str
    branch_title: str = ""
    trigger: str = ""
    evidence: list[EvidenceSchema] = []


class NodePatch(Schema):
    version: Version | None = Field(None, description="This step's version, for text changes.")
    tree_version: Version | None = Field(None, description="The tree's version, for the rest.")
    question: str | None = None
    answer: str | None = None
    branch_title: str | None = None
    trigger: str | None = None
    evidence: list[EvidenceSchema] | None = None
    parent: Id | None = None
    starts_branch: bool | None = None
    position: Position | None = None
    move: str | None = Field(None, description="'up' or 'down' within its branch.")
    move_branch: str | None = Field(
        None,
        description="'up' or 'down': the branch this step starts, among the branches that "
        "start at the same place (the top level, or the same step).",
    )
    is_root_cause: bool | None = None
    factor_ids: list[Id] | None = None
    action_item_ids: list[Id] | None = None


class FindingOut(Schema):
    rule: str
    severity: str
    message: str
    next_question: str
    branch: list[int] | None
    step: int | None
    action: int | None
    node_id: int | None


class ChecksOut(Schema):
    incident_id: int
    findings: list[FindingOut]


def _out(view: AnalysisView) -> dict[str, Any]:
    links = {int(r.id): r for r in view.records}
    nodes = []
    for node in view.nodes:
        record = links[node.pk]
        nodes.append(
            {
                "id": node.pk,
                "parent": node.parent_id,
                "position": node.position,
                "question": node.question,
                "answer": node.answer,
                "starts_branch": node.starts_branch,
                "branch_title": node.branch_title,
                "trigger": node.trigger,
                "is_root_cause": node.is_root_cause,
                "factor_ids": view.numbering.factor_ids(record.factors),
                "action_item_ids": view.numbering.action_ids(record.actions),
                "evidence": [{"kind": e.kind.value, "content": e.content} for e in record.evidence],
                "version": node.version,
                "suggested_question": suggest_next_question(node.answer),
            }
        )
    return {"incident_id": view.incident.pk, "version": view.version, "nodes": nodes}


def _conflict(request: HttpRequest, incident: Incident, error: ConflictError) -> HttpResponse:
    """409 with the current tree, so the client can merge (the generic handler only knows
    the post-mortem's own rows)."""
    return error_response(
        409,
        error.message,
        fields={"version": [error.message]},
        current=_json(_out(analysis_view(incident=incident))),
    )


def _json(data: dict[str, Any]) -> dict[str, Any]:
    return AnalysisOut(**data).model_dump(mode="json")


def _node(request: HttpRequest, node_id: int, *, edit: bool = False) -> WhyNode:
    return incident_part(request, WhyNode.objects.all(), node_id, label="step", edit=edit)


def _parent_step(incident: Incident, pk: int) -> WhyNode:
    parent = WhyNode.objects.filter(pk=pk, incident=incident).first()
    if parent is None:
        raise ValidationProblem("There is no such step in this incident.", field="parent")
    return parent


def _ids_to_numbers(ids: list[int], known: dict[int, int], what: str) -> tuple[int, ...]:
    unknown = [pk for pk in ids if pk not in known]
    if unknown:
        raise ValidationProblem(
            f"No {what} with id {unknown[0]} in this incident.",
            field=f"{what.replace(' ', '_')}_ids",
        )
    return tuple(sorted(known[pk] for pk in ids))


def _evidence(items: list[EvidenceSchema]) -> tuple[Any, ...]:
    return evidence_of([{"kind": item.kind, "content": item.content} for item in items])


@router.get("/incidents/{int:incident_id}/analysis", response={200: AnalysisOut, **_ERRORS})
def get_analysis(request: HttpRequest, incident_id: int) -> dict[str, Any]:
    incident = incident_for(request, incident_id)
    return _out(analysis_view(incident=incident))


@router.put("/incidents/{int:incident_id}/analysis", response={200: AnalysisOut, **_ERRORS})
def put_analysis(request: HttpRequest, incident_id: int, payload: TreeIn) -> Any:
    """Replace the whole tree. Send ``version`` from GET (0 when there is no analysis yet)."""
    incident = incident_for(request, incident_id, edit=True)
    if payload.version is None:
        raise ApiError(
            422,
            "version: Send the tree's version from GET.",
            fields={"version": ["Send the tree's version from GET."]},
        )
    numbering = analysis_view(incident=incident).numbering
    records = [
        NodeRecord(
            id=node.id,
            parent=node.parent,
            question=node.question,
            answer=node.answer,
            position=node.position,
            starts_branch=node.starts_branch,
            branch_title=node.branch_title,
            trigger=node.trigger,
            is_root_cause=node.is_root_cause,
            factors=_ids_to_numbers(node.factor_ids, numbering.factors, "factor"),
            actions=_ids_to_numbers(node.action_item_ids, numbering.actions, "action item"),
            evidence=_evidence(node.evidence),
        )
        for node in payload.nodes
    ]
    try:
        services.tree_replace(
            user=current_user(request),
            incident=incident,
            version=payload.version,
            records=records,
            numbering=numbering,
        )
    except ConflictError as error:
        return _conflict(request, incident, error)
    return _out(analysis_view(incident=incident))


@router.post("/incidents/{int:incident_id}/analysis/nodes", response={201: NodeOut, **_ERRORS})
def add_node(request: HttpRequest, incident_id: int, payload: NodeCreate) -> Any:
    """Start a branch (no parent), add the next step after ``parent`` (inserted before the
    step that followed it), or fork a sub-branch at ``parent`` (``starts_branch``)."""
    incident = incident_for(request, incident_id, edit=True)
    parent = _parent_step(incident, payload.parent) if payload.parent is not None else None
    try:
        node = services.step_add(
            user=current_user(request),
            incident=incident,
            version=payload.version,
            question=payload.question,
            answer=payload.answer,
            parent=parent,
            starts_branch=payload.starts_branch,
            branch_title=payload.branch_title,
            trigger=payload.trigger,
            evidence=_evidence(payload.evidence),
        )
    except ConflictError as error:
        return _conflict(request, incident, error)
    return Status(201, _node_out(incident, node.pk))


def _node_out(incident: Incident, node_id: int) -> dict[str, Any]:
    data = _out(analysis_view(incident=incident))
    return next(node for node in data["nodes"] if node["id"] == node_id)


@router.patch("/analysis/nodes/{int:node_id}", response={200: NodeOut, **_ERRORS})
def update_node(request: HttpRequest, node_id: int, payload: NodePatch) -> Any:
    """Text changes name the step's ``version``; moving, re-parenting, marking the root
    cause and linking name the tree's ``tree_version``."""
    node = _node(request, node_id, edit=True)
    incident = node.incident
    user = current_user(request)
    fields = payload.model_dump(exclude_unset=True)
    text = {k: fields[k] for k in ("question", "answer", "branch_title", "trigger") if k in fields}
    try:
        if text or "evidence" in fields:
            node = services.step_update(
                user=user,
                node=node,
                version=payload.version,
                evidence=_evidence(payload.evidence) if payload.evidence is not None else None,
                **text,
            )
            node.incident = incident
        structural = {"parent", "starts_branch", "position", "move", "move_branch",
                      "is_root_cause", "factor_ids", "action_item_ids"} & set(fields)  # fmt: skip
        if structural and payload.tree_version is None:
            message = "Send the tree's version (tree_version) with structural changes."
            raise ApiError(422, f"tree_version: {message}", fields={"tree_version": [message]})
        version = payload.tree_version
        if text or "evidence" in fields:
            version = analysis_view(incident=incident).version if structural else version
        if "parent" in fields or "starts_branch" in fields or "position" in fields:
            parent = None
            if payload.parent is not None:
                parent = _parent_step(incident, payload.parent)
            elif "parent" not in fields:
                parent = node.parent
            services.step_reparent(
                user=user,
                node=node,
                version=version,
                parent=parent,
                starts_branch=bool(
                    payload.starts_branch if "starts_branch" in fields else node.starts_branch
                ),
                position=payload.position,
            )
            version = analysis_view(incident=incident).version
        if payload.move is not None:
            services.step_move(user=user, node=node, version=version, direction=payload.move)
            version = analysis_view(incident=incident).version
        if payload.move_branch is not None:
            services.branch_move(
                user=user, node=node, version=version, direction=payload.move_branch
            )
            version = analysis_view(incident=incident).version
        if payload.is_root_cause is not None:
            services.root_cause_mark(
                user=user, node=node, version=version, marked=payload.is_root_cause
            )
            version = analysis_view(incident=incident).version
        if payload.factor_ids is not None or payload.action_item_ids is not None:
            services.root_cause_link(
                user=user,
                node=node,
                version=version,
                factors=list(
                    Factor.objects.filter(pk__in=payload.factor_ids or [], incident=incident)
                ),
                action_items=list(
                    ActionItem.objects.filter(
                        pk__in=payload.action_item_ids or [], incident=incident
                    )
                ),
            )
    except ConflictError as error:
        return _conflict(request, incident, error)
    return _node_out(incident, node.pk)


@router.delete("/analysis/nodes/{int:node_id}", response={204: None, **_ERRORS})
def delete_node(request: HttpRequest, node_id: int, version: int | None = None) -> Any:
    """Deletes the step and everything below it; ``?version=`` is the tree's version."""
    node = _node(request, node_id, edit=True)
    try:
        services.step_delete(user=current_user(request), node=node, version=version)
    except ConflictError as error:
        return _conflict(request, node.incident, error)
    return Status(204, None)


@router.get("/incidents/{int:incident_id}/analysis/checks", response={200: ChecksOut, **_ERRORS})
def get_checks(request: HttpRequest, incident_id: int) -> dict[str, Any]:
    """The 5 Whys quality checks (with the blameless-language checker on every answer)."""
    incident = incident_for(request, incident_id)
    view = analysis_view(incident=incident)
    places = {(b.path, s.number): int(s.record.id) for b, s in all_steps(view.branches)}
    findings = []
    for finding in view.findings():
        data = finding.to_dict()
        location = finding.location
        data["node_id"] = places.get((location.branch or (), location.step or 0))
        findings.append(data)
    return {"incident_id": incident.pk, "findings": findings}
