"""Downloads of a post-mortem as Markdown, a standalone HTML page, JSON or PDF.

Everything goes through ``postmortem_export``, which reads the document through the access
module (a restricted incident's export is a 404 for anyone who may not see it) and bounds
the PDF. A refusal is a small page that says why and what to do instead: the PDF link is a
plain link (not ``download``), so the browser shows that page.
"""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from kintsugi.core.document import PostmortemDocument
from kintsugi.core.markdown.exporting import FORMATS, ExportUnavailable
from kintsugi.core.markdown.html import export_policy
from kintsugi.core.markdown.pdf_process import PdfBusy, PdfTooLarge
from kintsugi.documents.exports import postmortem_export


def _filename(document: PostmortemDocument, fmt: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", document.title.lower()).strip("-")[:60] or "postmortem"
    return f"INC-{document.id}-{slug}.{fmt}"


def _refused(
    request: HttpRequest, pk: int, message: str, status: int, *, busy: bool = False
) -> HttpResponse:
    response = render(
        request,
        "web/postmortems/export_refused.html",
        {"incident_pk": pk, "message": message},
        status=status,
    )
    if busy:  # only then does trying again help
        response["Retry-After"] = "60"
    return response


def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("Unknown export format.")
    try:
        export = postmortem_export(user=request.user, pk=pk, fmt=fmt)
    except PdfTooLarge as problem:
        return _refused(request, pk, problem.message, 422)
    except ExportUnavailable as problem:  # PdfRenderFailed, PdfBusy: try again later
        return _refused(request, pk, problem.message, 503, busy=isinstance(problem, PdfBusy))
    response = HttpResponse(export.body, content_type=export.format.content_type)
    response["Content-Disposition"] = f'attachment; filename="{_filename(export.document, fmt)}"'
    response["X-Content-Type-Options"] = "nosniff"
    if fmt == "html":  # should a browser show it anyway: its own stylesheet, nothing else
        response["Content-Security-Policy"] = export_policy()
    return response
