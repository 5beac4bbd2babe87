"""One post-mortem document in every export format: Markdown, HTML, JSON and PDF.

The CLI, the web download and the API all export through :func:`export_document`, so the
formats cannot drift apart. PDF is the HTML page printed by WeasyPrint; the page carries no
external assets, and the URL fetcher refuses every fetch anyway, so a hostile link in a
post-mortem can never make the server request anything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn

from kintsugi.core.document import PostmortemDocument
from kintsugi.core.errors import ValidationProblem

if TYPE_CHECKING:
    from kintsugi.core.markdown.html import DisplayNames


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


class ExportUnavailable(ValidationProblem):
    """The format needs a library or system package this installation lacks."""


def export_document(
    document: PostmortemDocument, fmt: str, names: DisplayNames | None = None
) -> bytes:
    """``names`` (people's, teams' and services' names) are for the pages people read, HTML
    and PDF; Markdown and JSON keep the slugs and usernames that import resolves."""
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

    html = render_html(document, names)
    if fmt == "html":
        return html.encode()
    return _print_pdf(html)


def _refuse_fetch(url: str, *args: object, **kwargs: object) -> NoReturn:
    raise ValueError(f"Kintsugi's PDF export loads nothing from outside ({url[:80]}).")


def _print_pdf(html: str) -> bytes:
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: Pango/HarfBuzz libraries missing
        raise ExportUnavailable(
            "PDF export needs WeasyPrint and the Pango library "
            f"(apt-get install libpango-1.0-0 libpangoft2-1.0-0): {error}",
            field="format",
        ) from None
    pdf = weasyprint.HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
    return bytes(pdf or b"")
