"""Downloads of a post-mortem as Markdown, a standalone HTML page, or JSON.

The document is read through ``document_from_incident``, which asks the access module, so a
restricted incident's export is a 404 for anyone who may not see the incident.
"""

from __future__ import annotations

import json
import re

from django.http import Http404, HttpRequest, HttpResponse

from kintsugi.postmortems.documents import document_from_incident

FORMATS = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
}


def _render(document, fmt: str) -> str:  # type: ignore[no-untyped-def]
    if fmt == "md":
        from kintsugi.core.markdown.render import render_markdown

        return render_markdown(document)
    if fmt == "html":
        from kintsugi.core.markdown.html import render_html

        return render_html(document)
    from kintsugi.core.markdown.json_codec import document_to_dict

    return json.dumps(document_to_dict(document), indent=2, ensure_ascii=False)


def _filename(document, fmt: str) -> str:  # type: ignore[no-untyped-def]
    slug = re.sub(r"[^a-z0-9]+", "-", document.title.lower()).strip("-")[:60] or "postmortem"
    return f"INC-{document.id}-{slug}.{fmt}"


def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("Unknown export format.")
    document = document_from_incident(user=request.user, pk=pk)
    try:
        body = _render(document, fmt)
    except ImportError:  # the Markdown package is not installed in this checkout yet
        return HttpResponse(
            "Export is not available in this installation.", status=503, content_type="text/plain"
        )
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{_filename(document, fmt)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
