"""A file as a person hands it over (bytes and a name) -> a read document and its report.

One entry point for the CLI, the API and the browser's Import page, so that the same file
is read the same way everywhere: wiki HTML exports (Confluence, Google Docs) are converted
to Markdown first, then read in best effort or strictly.
"""

from __future__ import annotations

from kintsugi.core.markdown.limits import check_size, decode_document
from kintsugi.core.markdown.parse import parse_markdown, read_markdown
from kintsugi.core.markdown.report import ImportReport, ImportResult

HTML_SUFFIXES = (".html", ".htm")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".txt")
SUFFIXES = MARKDOWN_SUFFIXES + HTML_SUFFIXES


def is_html(name: str, text: str) -> bool:
    """By the name, or by the content when the name says nothing (an upload named
    'export')."""
    if name.lower().endswith(HTML_SUFFIXES):
        return True
    if name.lower().endswith(MARKDOWN_SUFFIXES):
        return False
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html"))


def read_source(
    data: bytes, *, name: str, source: str | None = None, strict: bool = False
) -> ImportResult:
    """Read one file. Raises ValidationProblem (a ProblemList in strict mode) only for
    input that is no text document (too large, binary, not UTF-8) or, in strict mode, for
    anything the reader would have to assume."""
    source = source or name
    check_size(len(data))
    text = decode_document(data)
    report_prefix: list[str] = []
    if is_html(name, text):
        # Imported lazily: markdownify and BeautifulSoup are not needed for Markdown.
        from kintsugi.core.markdown.wiki_html import html_to_markdown

        text = html_to_markdown(text)
        report_prefix.append(
            "The file is HTML (a wiki or blog export): it was converted to Markdown first."
        )
    filename = name.replace("\\", "/").rsplit("/", 1)[-1]
    if strict:
        document = parse_markdown(text, source=source)
        result = ImportResult(document, ImportReport(source=source))
    else:
        result = read_markdown(text, source=source, filename=filename)
    for message in report_prefix:
        result.report.add("assumption", message)
    return result
