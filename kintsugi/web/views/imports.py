"""The Import page: upload post-mortems, see what the import would do, then confirm.

Nothing is written until the person has seen, for each file, the report (what was
recognised, every assumption, what needs them) beside a preview of the document as it
would be stored. The preview runs the real import in a transaction that is rolled back,
so it shows the database's decisions too (owners who are not users, unknown teams).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from kintsugi.accounts.models import User
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown import MAX_DOCUMENT_BYTES, render_html
from kintsugi.core.markdown.report import ImportResult
from kintsugi.core.markdown.sources import read_source
from kintsugi.documents.imports import (
    ImportOutcome,
    import_document,
    owners_match,
    unmatched_owners,
)
from kintsugi.documents.imports import import_confirm as notes_confirm
from kintsugi.postmortems import access
from kintsugi.postmortems.models import PendingImport
from kintsugi.web import csp

TEMPLATE = "web/imports/import.html"
MAX_FILES = 20
PENDING_LIFETIME = timedelta(days=1)
ACCEPT = ".md,.markdown,.txt,.html,.htm,text/markdown,text/html,text/plain"


@dataclass
class FileView:
    name: str
    pending_id: int | None = None
    error: str = ""
    title: str = ""
    action: str = ""
    reference: str = ""
    url: str = ""
    recognised: dict[str, int] = field(default_factory=dict)
    notes: list[dict[str, Any]] = field(default_factory=list)
    preview: str = ""  # the stored document as the HTML export shows it (an iframe srcdoc)


def _require_importer(request: HttpRequest) -> None:
    if not access.can_create(request.user):  # type: ignore[arg-type]
        raise PermissionDenied("Your role may read post-mortems but not import them.")


def _page(request: HttpRequest, status: int = 200, **context: Any) -> HttpResponse:
    context.setdefault("files", [])
    response = render(
        request,
        TEMPLATE,
        {"nav": "import", "accept": ACCEPT, "max_files": MAX_FILES, **context},
        status=status,
    )
    response["Cache-Control"] = "no-store"
    # The preview (an iframe srcdoc, under this page's policy) is styled by its own sheet.
    response["Content-Security-Policy"] = csp.policy_allowing_export_style()
    return response


def _source_key(name: str) -> str:
    """Uploads are recognised by their file name: uploading it again updates the same
    post-mortem (if you may see it) instead of making a second one."""
    return f"upload:{name}"


def _import_pending(
    request: HttpRequest, pending: PendingImport, *, dry_run: bool
) -> tuple[ImportResult, ImportOutcome]:
    read = read_source(bytes(pending.data), name=pending.name)
    outcome = import_document(
        user=request.user,  # type: ignore[arg-type]
        document=read.document,
        report=read.report,
        source_key=_source_key(pending.name),
        dry_run=dry_run,
    )
    return read, outcome


def _check(request: HttpRequest, pending: PendingImport) -> FileView:
    view = FileView(name=pending.name, pending_id=pending.pk)
    try:
        read, outcome = _import_pending(request, pending, dry_run=True)
    except ValidationProblem as problem:
        view.error = problem.message
        return view
    except PermissionDenied as denied:
        view.error = str(denied)
        return view
    report = outcome.report.as_dict()
    view.title = read.document.title
    view.recognised = report["recognised"]
    view.notes = report["notes"]
    view.preview = render_html(read.document)
    return view


@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    if request.method == "GET":
        return _page(request)
    uploads = request.FILES.getlist("files")
    if not uploads:
        return _page(request, status=422, error="Choose one or more files to import.")
    if len(uploads) > MAX_FILES:
        return _page(
            request,
            status=422,
            error=f"{len(uploads)} files at once is more than {MAX_FILES}; import them in "
            "smaller groups, or use `kintsugi import FOLDER` on the server.",
        )
    PendingImport.objects.filter(created_at__lt=timezone.now() - PENDING_LIFETIME).delete()
    files = []
    for upload in uploads:
        name = (upload.name or "upload.md")[:255]
        if upload.size is not None and upload.size > MAX_DOCUMENT_BYTES:
            files.append(
                FileView(
                    name=name,
                    error=f"The file is larger than the {MAX_DOCUMENT_BYTES // 1024} KiB limit.",
                )
            )
            continue
        pending = PendingImport.objects.create(owner=request.user, name=name, data=upload.read())
        files.append(_check(request, pending))
    ready = [view for view in files if view.pending_id is not None and not view.error]
    return _page(request, files=files, ready=ready, previewing=True)


@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    wanted = []
    for raw in request.POST.getlist("pending"):
        if raw.isdigit() and len(raw) < 19:
            wanted.append(int(raw))
    pendings = list(PendingImport.objects.filter(owner=request.user, pk__in=wanted).order_by("pk"))
    if not pendings:
        return _page(
            request,
            status=422,
            error="Nothing to import: the preview has expired or was already imported. "
            "Upload the files again.",
        )
    files = []
    for pending in pendings:
        view = FileView(name=pending.name)
        try:
            with transaction.atomic():
                _read, outcome = _import_pending(request, pending, dry_run=False)
                pending.delete()
        except (ValidationProblem, PermissionDenied) as problem:
            view.error = getattr(problem, "message", None) or str(problem)
            files.append(view)
            continue
        incident = outcome.incident
        assert incident is not None
        view.title = incident.title
        view.action = outcome.action
        view.reference = incident.reference
        view.url = f"/incidents/{incident.pk}/"
        view.notes = outcome.report.as_dict()["notes"]
        files.append(view)
    failed = any(view.error for view in files)
    return _page(request, files=files, done=True, status=422 if failed else 200)


@require_POST
def import_notes_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Someone checked what the importer assumed: the post-mortem stops showing it."""
    incident = access.get_incident(request.user, pk, edit=True)
    notes_confirm(user=request.user, incident=incident)  # type: ignore[arg-type]
    return redirect("postmortem-detail", pk=incident.pk)


@require_http_methods(["GET", "POST"])
def owners_page(request: HttpRequest) -> HttpResponse:
    """Owners named in imported files who are not users: match each name to a person once,
    for every action item that names them."""
    _require_importer(request)
    message, error, status = "", "", 200
    if request.method == "POST":
        name = request.POST.get("name", "")[:150]
        username = request.POST.get("user", "")[:150]
        owner = User.objects.filter(username=username, is_active=True).first()
        if not name or owner is None:
            error, status = "Choose a name and the person it means.", 422
        else:
            try:
                changed = owners_match(user=request.user, name=name, owner=owner)  # type: ignore[arg-type]
            except ValidationProblem as problem:
                error, status = problem.message, 422
            else:
                message = f"{name} is now {owner.display_name} on {changed} action item{'s' if changed != 1 else ''}."
    response = render(
        request,
        "web/imports/owners.html",
        {
            "nav": "import",
            "names": unmatched_owners(user=request.user),  # type: ignore[arg-type]
            "people": User.objects.filter(is_active=True).order_by("username"),
            "message": message,
            "error": error,
        },
        status=status,
    )
    return response
