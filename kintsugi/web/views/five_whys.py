"""The 5 Whys editor on the post-mortem page: every write answers with the whole section.

The section is small (at most 200 steps) and its numbering, suggested questions and check
findings all depend on the whole tree, so after any change the server re-renders it in one
piece (constant queries) rather than patching rows. A form that fails keeps what was typed:
the section is re-rendered with that form open, its text and the problem (422), or with
the current tree and a notice when someone else changed it first (409).
"""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.five_whys.evidence_text import parse_evidence_lines
from kintsugi.core.validation import MAX_ID
from kintsugi.five_whys import edits, services
from kintsugi.five_whys.models import WhyNode
from kintsugi.five_whys.selectors import analysis_view, draft_findings
from kintsugi.postmortems import access
from kintsugi.postmortems.models import Incident
from kintsugi.postmortems.services import ConflictError
from kintsugi.web.five_whys_context import five_whys_context, move_focus
from kintsugi.web.forms.five_whys import RootCauseLinksForm, WhyStepForm
from kintsugi.web.views.common import back_to_page

TEMPLATE = "web/postmortems/_five_whys.html"
CONFLICT = (
    "Someone else changed this analysis while you were editing it. It is shown as it is "
    "now; your text is kept in the form so you can save it again."
)


def _section(
    request: HttpRequest,
    incident: Incident,
    *,
    status: int = 200,
    draft: dict[str, Any] | None = None,
    focus: str = "",
    notice: str = "",
) -> HttpResponse:
    if not request.htmx:
        return redirect(back_to_page(incident.pk, "five-whys"))
    context = five_whys_context(incident, can_edit=access.can_edit(request.user, incident))
    context.update({"why_draft": draft or {}, "why_focus": focus, "why_notice": notice})
    response = render(request, f"{TEMPLATE}#analysis", context, status=status)
    retarget(response, "#five-whys")
    reswap(response, "outerHTML")
    if status == 200:
        trigger_client_event(response, "kintsugi:saved")
    patch_vary_headers(response, ["HX-Request"])
    return response


def _node(incident: Incident, node_pk: int) -> WhyNode:
    node = get_object_or_404(WhyNode, pk=node_pk, incident=incident)
    node.incident = incident
    return node


def _attempt(request: HttpRequest, incident: Incident, slot: str, data: dict[str, Any], write: Any,
             focus: Any = "") -> HttpResponse:  # fmt: skip
    """Run ``write``; on refusal, the section with the form of ``slot`` open and its text."""
    try:
        write()
    except ConflictError:
        return _section(request, incident, status=409, notice=CONFLICT,
                        draft={**data, "slot": slot, "error": CONFLICT})  # fmt: skip
    except ValidationProblem as problem:
        # A button (move, mark, delete) has no form to show the reason in: the section's
        # notice says it.
        return _section(request, incident, status=422, notice="" if slot else problem.message,
                        draft={**data, "slot": slot, "error": problem.message})  # fmt: skip
    return _section(request, incident, focus=focus() if callable(focus) else focus)


def analysis_section(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.get_incident(request.user, pk)
    return _section(request, incident)


@require_POST
def why_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A new step after ``parent``, a sub-branch at ``parent`` or a new top-level branch."""
    incident = access.get_incident(request.user, pk, edit=True)
    form = WhyStepForm(request.POST)
    slot = request.POST.get("slot", "new")[:40]
    if not form.is_valid():
        return _section(request, incident, status=422,
                        draft={**request.POST.dict(), "slot": slot, "error": _errors(form)})  # fmt: skip
    data = form.cleaned_data
    created: dict[str, WhyNode] = {}

    def write() -> None:
        created["node"] = services.step_add(
            user=request.user,
            incident=incident,
            version=data["version"],
            question=data["question"],
            answer=data["answer"],
            parent=data["parent"],  # an id: looked up (and checked) in the transaction
            starts_branch=data["starts_branch"],
            branch_title=data["branch_title"],
            trigger=data["trigger"],
        )

    # Keep going down the chain: the next why after the new step gets the cursor.
    return _attempt(request, incident, slot, data, write,
                    focus=lambda: f"after-{created['node'].pk}")  # fmt: skip


@require_POST
def why_edit(request: HttpRequest, pk: int, node_pk: int) -> HttpResponse:
    incident = access.get_incident(request.user, pk, edit=True)
    node = _node(incident, node_pk)
    form = WhyStepForm(request.POST)
    slot = f"edit-{node.pk}"
    if not form.is_valid():
        return _section(request, incident, status=422,
                        draft={**request.POST.dict(), "slot": slot, "error": _errors(form)})  # fmt: skip
    data = form.cleaned_data
    starts = node.parent_id is None or node.starts_branch

    def sent(name: str) -> bool:
        # A field the form did not carry is left as it is: an edit never clears what it
        # did not show (a trigger, evidence from an import or the API).
        return name in request.POST

    def write() -> None:
        services.step_update(
            user=request.user,
            node=node,
            version=data["version"],
            question=data["question"],
            answer=data["answer"],
            branch_title=data["branch_title"] if starts and sent("branch_title") else None,
            trigger=data["trigger"] if starts and sent("trigger") else None,
            evidence=parse_evidence_lines(data["evidence"]) if sent("evidence") else None,
        )

    return _attempt(request, incident, slot, data, write)


@require_POST
def why_delete(request: HttpRequest, pk: int, node_pk: int) -> HttpResponse:
    incident = access.get_incident(request.user, pk, edit=True)
    node = _node(incident, node_pk)
    return _attempt(request, incident, "", {}, lambda: services.step_delete(
        user=request.user, node=node, version=_number(request, "version")))  # fmt: skip


@require_POST
def why_move(request: HttpRequest, pk: int, node_pk: int, direction: str) -> HttpResponse:
    """A step up or down in its branch."""
    return _move(request, pk, node_pk, direction, services.step_move, focus="move")


@require_POST
def why_branch_move(request: HttpRequest, pk: int, node_pk: int, direction: str) -> HttpResponse:
    """The branch a step starts, up or down among those starting at the same place."""
    return _move(request, pk, node_pk, direction, services.branch_move, focus="branch")


def _move(
    request: HttpRequest, pk: int, node_pk: int, direction: str, move: Any, *, focus: str
) -> HttpResponse:
    """The moved step's (or branch's) button keeps the keyboard focus after the swap."""
    incident = access.get_incident(request.user, pk, edit=True)
    node = _node(incident, node_pk)
    return _attempt(request, incident, "", {}, lambda: move(
        user=request.user, node=node, version=_number(request, "version"), direction=direction),
        focus=move_focus(focus, node.pk, direction))  # fmt: skip


@require_POST
def why_root_cause(request: HttpRequest, pk: int, node_pk: int) -> HttpResponse:
    incident = access.get_incident(request.user, pk, edit=True)
    node = _node(incident, node_pk)
    marked = request.POST.get("marked", "1") == "1"
    return _attempt(request, incident, "", {}, lambda: services.root_cause_mark(
        user=request.user, node=node, version=_number(request, "version"), marked=marked))  # fmt: skip


@require_POST
def why_links(request: HttpRequest, pk: int, node_pk: int) -> HttpResponse:
    incident = access.get_incident(request.user, pk, edit=True)
    node = _node(incident, node_pk)
    view = analysis_view(incident=incident)
    form = RootCauseLinksForm(request.POST, factors=view.factors, action_items=view.action_items)
    slot = f"links-{node.pk}"
    if not form.is_valid():
        return _section(request, incident, status=422,
                        draft={"slot": slot, "error": _errors(form)})  # fmt: skip
    data = form.cleaned_data

    def write() -> None:
        # One use case: the links are looked up, checked and set under the tree's version.
        edits.step_change(
            user=request.user,
            node=node,
            version=None,
            tree_version=data["version"],
            change=edits.StepChange(
                factor_ids=[int(pk) for pk in data["factors"]],
                action_item_ids=[int(pk) for pk in data["action_items"]],
            ),
        )

    return _attempt(request, incident, slot, {}, write)


@require_POST
def why_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Findings for the step being typed (debounced from the textarea), before it is saved."""
    incident = access.get_incident(request.user, pk, edit=True)
    try:
        node_id = _number(request, "node")
        parent_id = _number(request, "parent")
    except ValidationProblem as problem:
        return HttpResponse(problem.message, status=422, content_type="text/plain")
    view = analysis_view(incident=incident)
    known = {node.pk for node in view.nodes}
    findings = draft_findings(
        view,
        question=request.POST.get("question", "")[:2000],
        answer=request.POST.get("answer", "")[:4000],
        node_id=node_id if node_id in known else None,
        parent_id=parent_id if parent_id in known else None,
        starts_branch=request.POST.get("starts_branch") in ("1", "True", "true", "on"),
    )
    response = render(request, f"{TEMPLATE}#findings", {"findings": findings, "live": True})
    patch_vary_headers(response, ["HX-Request"])
    return response


_WHOLE_NUMBER = re.compile(r"[0-9]{1,19}")


def _number(request: HttpRequest, name: str) -> int | None:
    """A whole number a button posts (a version, a step id); None when it is absent.

    Anything else, or a number beyond the database's integers, is a ValidationProblem
    naming the field: a 422 saying what was wrong, never a 500 from the database.
    """
    text = request.POST.get(name, "").strip()
    if not text:
        return None
    if not _WHOLE_NUMBER.fullmatch(text) or int(text) > MAX_ID:
        raise ValidationProblem(
            f"The {name} sent with this button ({text[:24]!r}) is not a whole number from 0 "
            f"to {MAX_ID}; reload the page and try again.",
            field=name,
        )
    return int(text)


def _errors(form: Any) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)
