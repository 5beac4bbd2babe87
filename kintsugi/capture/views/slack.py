"""An incident's "Import from Slack" page and the picker of its timeline candidates.

Every view asks ``access.get_incident(..., edit=True)`` first: candidates are unreviewed
chat, so only those who may edit the incident see them (404 for those who may not see it,
403 for those who may only read it). htmx requests get a row back; others a redirect.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from kintsugi.capture.forms import CandidateForm, ChooseForm, SlackImportForm
from kintsugi.capture.models import (
    CandidateState,
    SlackImport,
    SlackImportStatus,
    TimelineCandidate,
)
from kintsugi.capture.services.slack import (
    candidate_choose,
    candidate_edit,
    candidates_add_to_timeline,
    candidates_for,
    slack_import,
)
from kintsugi.core.capture.upload_zip import MAX_ZIP_BYTES
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.timeparse import format_utc
from kintsugi.postmortems import access
from kintsugi.postmortems.models import Incident

IMPORT_TEMPLATE = "capture/slack_import.html"
PICKER_TEMPLATE = "capture/slack_candidates.html"
ROW_TEMPLATE = "capture/slack_candidates.html#row"
EDIT_TEMPLATE = "capture/slack_candidates.html#edit-row"
# Candidates per picker page: an incident channel's busy hour fits on one.
PAGE_SIZE = 200


def _initial(incident: Incident, imports: list[SlackImport]) -> dict[str, Any]:
    """The last import's choices, else the incident's own hours."""
    if imports:
        last = imports[0]
        return {
            "channel": last.channel,
            "start": last.window_start,
            "end": last.window_end,
            "workspace_url": last.workspace_url,
            "reactions": last.reactions,
        }
    # Talk often starts before the declared start and goes on after the end.
    start = incident.started_at - timedelta(hours=1)
    end = (incident.ended_at or incident.started_at + timedelta(hours=11)) + timedelta(hours=1)
    return {"start": start, "end": end}


def _uploads(incident: Incident) -> tuple[list[SlackImport], list[tuple[int, str]]]:
    """The incident's last uploads (for the table) and those whose export is stored (to
    read again), in one query."""
    imports = list(
        SlackImport.objects.filter(incident=incident)
        .defer("body")
        .order_by("-received_at", "-id")[:20]
    )
    stored = [
        (record.pk, f"{format_utc(record.received_at)} · {record.file_name} · #{record.channel}")
        for record in imports
        if record.reread_of_id is None and 0 < record.body_size <= MAX_ZIP_BYTES
    ]
    return imports, stored


@require_http_methods(["GET", "POST"])
def slack_import_page(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.get_incident(request.user, pk, edit=True)
    imports, stored = _uploads(incident)
    status = 200
    problem = ""
    if request.method == "POST":
        form = SlackImportForm(request.POST, request.FILES, uploads=stored)
        if form.is_valid():
            data = form.cleaned_data
            upload = data.get("export")
            choices = {
                "channel": data["channel"],
                "start": data["start"],
                "end": data["end"],
                "workspace_url": data["workspace_url"],
                "reactions": data["reactions"],
            }
            if upload is not None:
                size = upload.size or 0
                # An upload beyond the reader's limit is recorded by name and size only.
                body = upload.read(MAX_ZIP_BYTES + 1) if size <= MAX_ZIP_BYTES else None
                record = slack_import(
                    user=request.user,  # type: ignore[arg-type]
                    incident=incident,
                    file_name=upload.name or "",
                    body=body,
                    body_size=size,
                    **choices,
                )
            else:
                size = 0
                earlier = get_object_or_404(SlackImport, pk=data["earlier"], incident=incident)
                record = slack_import(
                    user=request.user,  # type: ignore[arg-type]
                    incident=incident,
                    earlier=earlier,
                    **choices,
                )
            if record.status != SlackImportStatus.REJECTED:
                messages.success(
                    request,
                    f"{record.candidates_added} new message(s) from #{record.channel}. "
                    + (record.reason or "Keep, edit or drop each."),
                )
                return redirect("slack-candidates", pk=incident.pk)
            problem = record.reason
            status = 413 if size > MAX_ZIP_BYTES else 422
            imports, _ = _uploads(incident)
        else:
            status = 422
    else:
        form = SlackImportForm(initial=_initial(incident, imports), uploads=stored)
    response = render(
        request,
        IMPORT_TEMPLATE,
        {"incident": incident, "form": form, "problem": problem, "imports": imports},
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


def _page_number(text: str | None, pages: int) -> int:
    """The page asked for, within 1..pages; anything else is the first page."""
    try:
        number = int(text or "1")
    except ValueError:
        return 1
    return min(max(number, 1), pages)


def _picker(request: HttpRequest, incident: Incident, status: int = 200) -> HttpResponse:
    """One page of candidates, in four queries whatever their number."""
    counts = TimelineCandidate.objects.filter(incident=incident).aggregate(
        total=Count("pk"),
        kept=Count("pk", filter=Q(state=CandidateState.KEPT)),
        added=Count("pk", filter=Q(state=CandidateState.ADDED)),
    )
    pages = max(1, -(-counts["total"] // PAGE_SIZE))
    number = _page_number(request.GET.get("page"), pages)
    start = (number - 1) * PAGE_SIZE
    candidates = list(candidates_for(incident)[start : start + PAGE_SIZE])
    context = {
        "incident": incident,
        "candidates": candidates,
        "counts": counts,
        "page": {
            "number": number,
            "pages": pages,
            "first": start + 1,
            "last": start + len(candidates),
        },
    }
    response = render(request, PICKER_TEMPLATE, context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def slack_candidates(request: HttpRequest, pk: int) -> HttpResponse:
    """The picker; POST adds every kept candidate to the timeline."""
    incident = access.get_incident(request.user, pk, edit=True)
    if request.method == "POST":
        try:
            events = candidates_add_to_timeline(user=request.user, incident=incident)  # type: ignore[arg-type]
        except ValidationProblem as problem:
            messages.error(request, problem.message)
            return _picker(request, incident, status=422)
        if events:
            messages.success(request, f"{len(events)} event(s) added to the timeline.")
            return redirect(reverse("postmortem-detail", kwargs={"pk": incident.pk}) + "#timeline")
        messages.info(request, "Nothing is kept: keep a message first.")
        return redirect("slack-candidates", pk=incident.pk)
    return _picker(request, incident)


def _candidate(request: HttpRequest, pk: int, candidate_pk: int) -> TimelineCandidate:
    incident = access.get_incident(request.user, pk, edit=True)
    candidate = get_object_or_404(TimelineCandidate, pk=candidate_pk, incident=incident)
    candidate.incident = incident
    return candidate


def _row(request: HttpRequest, candidate: TimelineCandidate, status: int = 200) -> HttpResponse:
    if not request.htmx:  # type: ignore[attr-defined]
        # Back to the page that shows the row.
        before = (
            candidates_for(candidate.incident)
            .filter(
                Q(occurred_at__lt=candidate.occurred_at)
                | Q(occurred_at=candidate.occurred_at, pk__lt=candidate.pk)
            )
            .count()
        )
        url = reverse("slack-candidates", kwargs={"pk": candidate.incident_id})
        return redirect(f"{url}?page={before // PAGE_SIZE + 1}#candidate-{candidate.pk}")
    context = {"incident": candidate.incident, "candidate": candidate}
    return render(request, ROW_TEMPLATE, context, status=status)


def _refused(
    request: HttpRequest, candidate: TimelineCandidate, problem: str, status: int
) -> HttpResponse:
    """htmx swaps 409 and 422 answers in: the row comes back as it was, with the reason."""
    if not request.htmx:  # type: ignore[attr-defined]
        return HttpResponse(problem, status=status, content_type="text/plain; charset=utf-8")
    candidate.refresh_from_db()
    context = {"incident": candidate.incident, "candidate": candidate, "problem": problem}
    return render(request, ROW_TEMPLATE, context, status=status)


@require_http_methods(["GET", "POST"])
def slack_candidate(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    """GET: the row (Cancel of the edit form); POST: keep, drop or undecide it."""
    candidate = _candidate(request, pk, candidate_pk)
    if request.method == "GET":
        return render(
            request, ROW_TEMPLATE, {"incident": candidate.incident, "candidate": candidate}
        )
    form = ChooseForm(request.POST)
    if not form.is_valid():
        return _refused(request, candidate, "Choose keep, drop or undecided.", 422)
    try:
        candidate_choose(user=request.user, candidate=candidate, state=form.cleaned_data["state"])  # type: ignore[arg-type]
    except ValidationProblem as problem:
        return _refused(request, candidate, problem.message, 409)
    return _row(request, candidate)


@require_http_methods(["GET", "POST"])
def slack_candidate_edit(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    candidate = _candidate(request, pk, candidate_pk)
    status = 200
    if request.method == "POST":
        form = CandidateForm(request.POST, auto_id=f"candidate-{candidate.pk}-%s")
        if form.is_valid():
            try:
                candidate_edit(user=request.user, candidate=candidate, **form.cleaned_data)  # type: ignore[arg-type]
            except ValidationProblem as problem:
                form.add_error(
                    problem.field if problem.field in form.fields else None, problem.message
                )
            else:
                return _row(request, candidate)
        status = 422
    else:
        form = CandidateForm(
            initial={"occurred_at": candidate.occurred_at, "text": candidate.text},
            auto_id=f"candidate-{candidate.pk}-%s",
        )
    context = {"incident": candidate.incident, "candidate": candidate, "form": form}
    template = EDIT_TEMPLATE if request.htmx else "capture/slack_candidate_edit.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=status)
