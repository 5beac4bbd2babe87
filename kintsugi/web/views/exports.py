"""Downloads of a post-mortem as Markdown, a standalone HTML page, JSON or PDF.

The document is read through ``document_from_incident``, which asks the access module, so a
restricted incident's export is a 404 for anyone who may not see the incident.
"""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse

from kintsugi.core.markdown.exporting import FORMATS, ExportUnavailable, export_document
from kintsugi.postmortems.documents import display_names, document_from_incident


def _filename(document, fmt: str) -> str:  # type: ignore[no-untyped-def]
    slug = re.sub(r"[^a-z0-9]+", "-", document.title.lower()).strip("-")[:60] or "postmortem"
    return f"INC-{document.id}-{slug}.{fmt}"


def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("Unknown export format.")
    document = document_from_incident(user=request.user, pk=pk)
    try:
        names = display_names(document) if fmt in ("html", "pdf") else None
        body = export_document(document, fmt, names)
    except ExportUnavailable as problem:
        return HttpResponse(problem.message, status=503, content_type="text/plain")
    response = HttpResponse(body, content_type=FORMATS[fmt].content_type)
    response["Content-Disposition"] = f'attachment; filename="{_filename(document, fmt)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
