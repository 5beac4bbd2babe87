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
from kintsugi.api.errors import ApiError
from kintsugi.api.routers.incidents import reload_incident
from kintsugi.api.schemas.common import ERRORS
from kintsugi.api.schemas.incidents import IncidentDetail
from kintsugi.core.markdown.exporting import FORMATS, ExportUnavailable, export_document
from kintsugi.core.markdown.limits import decode_document
from kintsugi.core.markdown.parse import parse_markdown
from kintsugi.postmortems import access
from kintsugi.postmortems.documents import document_from_incident, postmortem_import

router = Router(tags=["documents"])

# The exported HTML holds user text (escaped by the renderer); this header makes sure that
# even a rendering bug could not run a script in the reader's browser.
_HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@router.get(
    "/incidents/{int:incident_id}/export",
    response={200: None, **ERRORS},
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
            }
        }
    },
)
def export_postmortem(
    request: HttpRequest, incident_id: int, format: Literal["md", "html", "json", "pdf"] = "md"
) -> HttpResponse:
    """Markdown with YAML front matter (what ``kintsugi import`` reads back), a standalone
    print-friendly HTML page, the same document as JSON, or that page printed to PDF."""
    document = document_from_incident(user=current_user(request), pk=incident_id)
    filename = f"INC-{incident_id}.{format}"
    try:
        body = export_document(document, format)
    except ExportUnavailable as problem:
        raise ApiError(503, problem.message, code="export_unavailable") from None
    response = HttpResponse(body, content_type=FORMATS[format].content_type)
    if format == "html":
        response["Content-Security-Policy"] = _HTML_POLICY
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@router.post(
    "/incidents/import",
    response={201: IncidentDetail, **ERRORS},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"text/markdown": {"schema": {"type": "string"}}},
            "description": "A Markdown post-mortem (UTF-8, at most 1 MiB).",
        }
    },
)
def import_postmortem(request: HttpRequest, response: HttpResponse) -> Status:
    """Create a new incident from Markdown; all or nothing. Errors name the line."""
    user = current_user(request)
    if not access.can_create(user):
        raise ApiError(403, "Your role may read incidents but not import them.")
    data = request.body
    if not data.strip():
        raise ApiError(422, "Send the Markdown document as the request body.")
    # decode_document refuses binary and non-UTF-8 input, naming the line; the 1 MiB limit
    # is also enforced by the transport before the body is read.
    document = parse_markdown(decode_document(data), source="request body")
    incident = postmortem_import(user=user, document=document)
    fresh = reload_incident(request, incident.pk)
    set_etag(response, fresh)
    response["Location"] = request.build_absolute_uri(f"/api/v1/incidents/{fresh.pk}")
    return Status(201, fresh)
