"""A whole post-mortem as one document: export as Markdown, HTML or JSON; import Markdown.

The renderers and the parser live in the pure core (kintsugi.core.markdown) and are shared
with ``kintsugi export`` and ``kintsugi import``, so the API, the CLI and the web app produce
and accept exactly the same files.
"""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from kintsugi.api.auth import current_user
from kintsugi.api.concurrency import set_etag
from kintsugi.api.errors import ApiError, error_response
from kintsugi.api.openapi import ERROR_REF
from kintsugi.api.routers.incidents import reload_incident
from kintsugi.api.schemas.common import ERRORS
from kintsugi.api.schemas.incidents import IncidentDetail
from kintsugi.core.markdown.exporting import ExportUnavailable
from kintsugi.core.markdown.html import export_policy
from kintsugi.core.markdown.pdf_process import PdfBusy, PdfStopped, PdfTooLarge
from kintsugi.core.markdown.sources import read_source
from kintsugi.documents.exports import postmortem_export
from kintsugi.documents.imports import ImportConflict, import_document
from kintsugi.postmortems import access

router = Router(tags=["documents"])

# The exported HTML holds user text (escaped by the renderer); this header makes sure that
# even a rendering bug could not run a script in the reader's browser.
_HTML_POLICY = export_policy()


@router.get(
    "/incidents/{int:incident_id}/export",
    # 200 is documented once, below (its content types), not also here: a status declared
    # in both places was serialised twice and the Swagger page could not render it.
    response=ERRORS,
    openapi_extra={
        "responses": {
            "200": {
                "description": "The post-mortem in the requested format.",
                "content": {
                    "text/markdown": {"schema": {"type": "string"}},
                    "text/html": {"schema": {"type": "string"}},
                    "application/json": {"schema": {"type": "object"}},
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                },
            },
            "422": {
                "description": "An unknown format ('validation_error'), or a post-mortem "
                "over the PDF size limits ('export_too_large': the message names the count, "
                "the limit and the setting; export HTML instead).",
                "content": {"application/json": {"schema": {"$ref": ERROR_REF}}},
            },
            "503": {
                "description": "The PDF cannot be made now: every render slot is busy "
                "('export_busy', with Retry-After), the render passed its time or memory "
                "limit ('export_stopped'), or this installation lacks WeasyPrint or Pango "
                "('export_unavailable'); or the database is unavailable "
                "('database_unavailable').",
                "content": {"application/json": {"schema": {"$ref": ERROR_REF}}},
            },
        }
    },
)
def export_postmortem(
    request: HttpRequest, incident_id: int, format: Literal["md", "html", "json", "pdf"] = "md"
) -> HttpResponse:
    """Markdown with YAML front matter (what ``kintsugi import`` reads back), a standalone
    print-friendly HTML page, the same document as JSON, or that page printed to PDF. A PDF
    is served from a cache while the post-mortem is unchanged; a large one may be refused
    (422) or stopped (503): see docs/operations.md, "PDF export"."""
    try:
        export = postmortem_export(user=current_user(request), pk=incident_id, fmt=format)
    except PdfTooLarge as problem:
        raise ApiError(
            422, problem.message, code="export_too_large", fields={"format": [problem.message]}
        ) from None
    except ExportUnavailable as problem:
        code = (
            "export_busy"
            if isinstance(problem, PdfBusy)
            else "export_stopped"
            if isinstance(problem, PdfStopped)
            else "export_unavailable"
        )
        refusal = error_response(503, problem.message, code=code)
        if code == "export_busy":  # only then does trying again help
            refusal["Retry-After"] = "60"
        return refusal
    response = HttpResponse(export.body, content_type=export.format.content_type)
    if format == "html":
        response["Content-Security-Policy"] = _HTML_POLICY
    response["Content-Disposition"] = f'inline; filename="INC-{incident_id}.{format}"'
    return response


@router.post(
    "/incidents/import",
    response={200: IncidentDetail, 201: IncidentDetail, **ERRORS},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/markdown": {"schema": {"type": "string"}},
                "text/html": {"schema": {"type": "string"}},
            },
            "description": "A post-mortem in Markdown (ours or as teams write them) or a wiki "
            "HTML export (UTF-8, at most 1 MiB).",
        }
    },
)
def import_postmortem(
    request: HttpRequest, response: HttpResponse, strict: bool = False, name: str = ""
) -> Status:
    """Import a post-mortem; all or nothing. Best effort by default: every assumption the
    import made is listed in ``warnings`` (and stays on the post-mortem until confirmed);
    ``strict=true`` refuses instead, naming the lines. A file with the ``id:`` of a
    post-mortem you may edit, or the same ``name`` as an earlier import, updates it (200)
    unless it was edited since (409); otherwise a new one is created (201)."""
    user = current_user(request)
    if not access.can_create(user):
        raise ApiError(403, "Your role may read incidents but not import them.")
    data = request.body
    if not data.strip():
        raise ApiError(422, "Send the document as the request body.")
    if len(name) > 255:
        raise ApiError(422, "The name is longer than 255 characters.")
    content_type = request.content_type or ""
    file_name = name or ("request.html" if content_type == "text/html" else "request.md")
    # read_source refuses binary and non-UTF-8 input, naming the line; the 1 MiB limit is
    # also enforced by the transport before the body is read.
    read = read_source(data, name=file_name, source="request body", strict=strict)
    try:
        outcome = import_document(
            user=user,
            document=read.document,
            report=read.report,
            strict=strict,
            source_key=f"api:{name}" if name else "",
        )
    except ImportConflict as conflict:
        raise ApiError(409, conflict.message, code="conflict") from None
    assert outcome.incident is not None
    fresh = reload_incident(request, outcome.incident.pk)
    fresh.warnings = [  # type: ignore[attr-defined]
        f"{note.kind}: " + (f"line {note.line}: " if note.line else "") + note.message
        for note in outcome.report.notes
    ]
    set_etag(response, fresh)
    response["Location"] = request.build_absolute_uri(f"/api/v1/incidents/{fresh.pk}")
    return Status(201 if outcome.action == "created" else 200, fresh)
