"""One post-mortem document in every export format: Markdown, HTML, JSON and PDF.

The CLI, the web download and the API all export through :func:`export_document`, so the
formats cannot drift apart. PDF is the HTML page printed by WeasyPrint in a child process
with a memory cap and a deadline (pdf_process.py; the limits are pdf_limits.py's); the page
carries no external assets, and the URL fetcher refuses every fetch anyway, so a hostile
link in a post-mortem can never make the server request anything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kintsugi.core.document import PostmortemDocument
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown.pdf_limits import ExportUnavailable, PdfLimits, check_printable

if TYPE_CHECKING:
    from kintsugi.core.markdown.html import DisplayNames

# ExportUnavailable lives in pdf_limits.py (the printer raises it too, and must not import
# this module); importers have long found it here.
__all__ = ["FORMATS", "ExportFormat", "ExportUnavailable", "export_document", "pdf_page"]


@dataclass(frozen=True)
class ExportFormat:
    extension: str
    content_type: str
    label: str


FORMATS: dict[str, ExportFormat] = {
    "md": ExportFormat("md", "text/markdown; charset=utf-8", "Markdown"),
    "html": ExportFormat("html", "text/html; charset=utf-8", "HTML page"),
    "json": ExportFormat("json", "application/json", "JSON"),
    "pdf": ExportFormat("pdf", "application/pdf", "PDF"),
}


def export_document(
    document: PostmortemDocument,
    fmt: str,
    names: DisplayNames | None = None,
    *,
    pdf_limits: PdfLimits | None = None,
) -> bytes:
    """``names`` (people's, teams' and services' names) are for the pages people read, HTML
    and PDF; Markdown and JSON keep the slugs and usernames that import resolves. A PDF is
    refused (PdfTooLarge) or stopped (PdfRenderFailed) beyond ``pdf_limits``."""
    if fmt not in FORMATS:
        allowed = ", ".join(FORMATS)
        raise ValidationProblem(f"Unknown format {fmt!r}; use one of: {allowed}.", field="format")
    if fmt == "md":
        from kintsugi.core.markdown.render import render_markdown

        return render_markdown(document).encode()
    if fmt == "json":
        from kintsugi.core.markdown.json_codec import document_to_dict

        return (
            json.dumps(document_to_dict(document), indent=2, ensure_ascii=False) + "\n"
        ).encode()
    from kintsugi.core.markdown.html import render_html

    if fmt == "html":
        return render_html(document, names).encode()
    from kintsugi.core.markdown.pdf_process import print_pdf

    limits = pdf_limits or PdfLimits()
    return print_pdf(pdf_page(document, names, limits), limits).pdf


def pdf_page(document: PostmortemDocument, names: DisplayNames | None, limits: PdfLimits) -> str:
    """The HTML page the PDF is printed from; PdfTooLarge, before any rendering, for a
    document over the limits (the counts are checked before the page is even built)."""
    from kintsugi.core.markdown.html import render_html

    events, items = len(document.timeline), len(document.action_items)
    check_printable(events=events, action_items=items, page_bytes=0, limits=limits)
    page = render_html(document, names, for_pdf=True)
    check_printable(events=events, action_items=items, page_bytes=len(page.encode()), limits=limits)
    return page
