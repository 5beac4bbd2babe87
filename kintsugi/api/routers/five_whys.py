"""The 5 Whys over the API: the whole tree, one step at a time, and the check results.

The paths are ``/incidents/{id}/five-whys...`` and ``/five-whys/nodes/{id}``. Until issue 15
they were ``.../analysis...``: every handler also answers there, unchanged and under its old
operation id, marked deprecated in the OpenAPI schema, so existing scripts and generated
clients keep working (docs/api.md says until when).

The tree travels as flat rows with parent pointers (``NodeRecord`` in the core), the way a
script builds it. ``PUT`` replaces the whole tree and is validated in full before anything
is written: a cycle, an orphan, a tree deeper or larger than the limits, or an empty or
whitespace-only question or answer is a 422 naming the steps involved. Structural writes
name the tree's ``version`` (409 when someone changed the tree since); editing the text of
one step names that step's own ``version``. Links name factors and action items by id.

Each request is one service call, one transaction and one version check
(kintsugi.five_whys.edits): a PATCH that edits text, moves, marks and links at once is
refused whole (409 or 422) or saved whole, and a field left out of a PATCH is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from kintsugi.api.auth import current_user
from kintsugi.api.errors import ApiError, error_response
from kintsugi.api.lookups import incident_for, incident_part
from kintsugi.api.schemas.common import ErrorOut, Id, Version, document_version_as_required
from kintsugi.core.five_whys import (
    MAX_ANSWER,
    MAX_QUESTION,
    MAX_STEPS,
    MAX_TITLE,
    MAX_TRIGGER,
    Evidence,
    NodeRecord,
    suggest_next_question,
)
from kintsugi.core.markdown.fields import parse_evidence_kind
from kintsugi.five_whys import edits, services
from kintsugi.five_whys.models import WhyNode
from kintsugi.five_whys.records import all_steps
from kintsugi.five_whys.selectors import AnalysisView, analysis_view
from kintsugi.postmortems.models import Incident
from kintsugi.postmortems.services import ConflictError

router = Router(tags=["five-whys"])

_Handler = TypeVar("_Handler", bound=Callable[..., Any])
_PATH = "/five-whys"
_OLD_PATH = "/analysis"  # before issue 15


def _route(
    method: str, path: str, *, old_id: str, **options: Any
) -> Callable[[_Handler], _Handler]:
    """Register a handler at its ``/five-whys`` path and again at the old ``/analysis`` one.

    The old path keeps its old operation id (and URL name), so a client generated from an
    earlier schema still finds its methods, and is marked deprecated in the schema; it runs
    the same handler, so access control, limits and answers cannot drift apart."""
    register = getattr(router, method)

    def decorate(handler: _Handler) -> _Handler:
        register(path, **options)(handler)
        old_path = path.replace(_PATH, _OLD_PATH, 1)
        register(old_path, deprecated=True, operation_id=old_id, url_name=old_id, **options)(
            handler
        )
        return handler

    return decorate


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


class FiveWhysOut(Schema):
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
    # Required (422 without it), though typed optional so that the refusal is ours.
    model_config = ConfigDict(json_schema_extra=document_version_as_required)

    version: Version | None = Field(None, description="The tree's version (0: none yet).")
    nodes: list[NodeIn] = Field(max_length=MAX_STEPS * 5)


class NodeCreate(Schema):
    model_config = ConfigDict(json_schema_extra=document_version_as_required)

    version: Version | None = Field(None, description="The tree's version (0: none yet).")
    parent: Id | None = None
    starts_branch: bool = False
    question: str
    answer: str
    branch_title: str = ""
    trigger: str = ""
    evidence: list[EvidenceSchema] = []


class NodePatch(Schema):
    version: Version | None = Field(
        None, description="This step's version; required when the text fields change."
    )
    tree_version: Version | None = Field(
        None,
        description="The tree's version; required when moving, re-parenting, marking the "
        "root cause or linking.",
    )
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
    return FiveWhysOut(**data).model_dump(mode="json")


def _node(request: HttpRequest, node_id: int, *, edit: bool = False) -> WhyNode:
    return incident_part(request, WhyNode.objects.all(), node_id, label="step", edit=edit)


def _evidence(items: list[EvidenceSchema]) -> tuple[Evidence, ...]:
    """The kinds read as the Markdown importer reads them, with its words on a bad one."""
    return tuple(
        Evidence(parse_evidence_kind(item.kind, field="evidence"), item.content) for item in items
    )


@_route(
    "get",
    "/incidents/{int:incident_id}/five-whys",
    old_id="get_analysis",
    response={200: FiveWhysOut, **_ERRORS},
)
def get_five_whys(request: HttpRequest, incident_id: int) -> dict[str, Any]:
    incident = incident_for(request, incident_id)
    return _out(analysis_view(incident=incident))


@_route(
    "put",
    "/incidents/{int:incident_id}/five-whys",
    old_id="put_analysis",
    response={200: FiveWhysOut, **_ERRORS},
)
def put_five_whys(request: HttpRequest, incident_id: int, payload: TreeIn) -> Any:
    """Replace the whole tree. Send ``version`` from GET (0 when there is no analysis yet).

    One transaction: a stale ``version`` is a 409, an unknown factor or action item id a
    422 naming it, and in either case nothing is written."""
    incident = incident_for(request, incident_id, edit=True)
    if payload.version is None:
        raise ApiError(
            422,
            "version: Send the tree's version from GET.",
            fields={"version": ["Send the tree's version from GET."]},
        )
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
            evidence=_evidence(node.evidence),
        )
        for node in payload.nodes
    ]
    links = {node.id: (node.factor_ids, node.action_item_ids) for node in payload.nodes}
    try:
        edits.tree_put(
            user=current_user(request),
            incident=incident,
            version=payload.version,
            records=records,
            links=links,
        )
    except ConflictError as error:
        return _conflict(request, incident, error)
    return _out(analysis_view(incident=incident))


@_route(
    "post",
    "/incidents/{int:incident_id}/five-whys/nodes",
    old_id="add_node",
    response={201: NodeOut, **_ERRORS},
)
def add_five_whys_node(request: HttpRequest, incident_id: int, payload: NodeCreate) -> Any:
    """Start a branch (no parent), add the next step after ``parent`` (inserted before the
    step that followed it), or fork a sub-branch at ``parent`` (``starts_branch``).

    ``version`` is the tree's (409 when stale); a ``parent`` that is not a step of this
    incident is a 422 naming the id."""
    incident = incident_for(request, incident_id, edit=True)
    try:
        node = services.step_add(
            user=current_user(request),
            incident=incident,
            version=payload.version,
            question=payload.question,
            answer=payload.answer,
            parent=payload.parent,
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


@_route(
    "patch",
    "/five-whys/nodes/{int:node_id}",
    old_id="update_node",
    response={200: NodeOut, **_ERRORS},
)
def update_five_whys_node(request: HttpRequest, node_id: int, payload: NodePatch) -> Any:
    """Change one step: a field you leave out is unchanged (an empty list clears).

    Text changes (``question``, ``answer``, ``branch_title``, ``trigger``, ``evidence``)
    name the step's ``version``; moving, re-parenting, marking the root cause and linking
    name the tree's ``tree_version``. Everything in the body is applied in one transaction
    after both versions are checked: a stale one is a 409 and nothing changes; an unknown
    parent, factor or action item id is a 422 naming it and nothing changes."""
    node = _node(request, node_id, edit=True)
    incident = node.incident
    sent = payload.model_dump(exclude_unset=True)
    change = edits.StepChange(
        question=payload.question,
        answer=payload.answer,
        branch_title=payload.branch_title,
        trigger=payload.trigger,
        evidence=_evidence(payload.evidence) if payload.evidence is not None else None,
        parent=payload.parent if "parent" in sent else edits.KEEP,
        starts_branch=payload.starts_branch,
        position=payload.position,
        move=payload.move,
        move_branch=payload.move_branch,
        is_root_cause=payload.is_root_cause,
        factor_ids=payload.factor_ids,
        action_item_ids=payload.action_item_ids,
    )
    try:
        edits.step_change(
            user=current_user(request),
            node=node,
            version=payload.version,
            tree_version=payload.tree_version,
            change=change,
        )
    except ConflictError as error:
        return _conflict(request, incident, error)
    return _node_out(incident, node.pk)


@_route(
    "delete",
    "/five-whys/nodes/{int:node_id}",
    old_id="delete_node",
    response={204: None, **_ERRORS},
)
def delete_five_whys_node(
    request: HttpRequest, node_id: int, version: Version | None = None
) -> Any:
    """Deletes the step and everything below it; ``?version=`` is the tree's version."""
    node = _node(request, node_id, edit=True)
    try:
        services.step_delete(user=current_user(request), node=node, version=version)
    except ConflictError as error:
        return _conflict(request, node.incident, error)
    return Status(204, None)


@_route(
    "get",
    "/incidents/{int:incident_id}/five-whys/checks",
    old_id="get_checks",
    response={200: ChecksOut, **_ERRORS},
)
def get_five_whys_checks(request: HttpRequest, incident_id: int) -> dict[str, Any]:
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
