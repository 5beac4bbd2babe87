"""The post-mortem as a file: Markdown (our format and common variants), JSON and HTML.

Public API (pure Python, no Django):

- ``render_markdown(doc) -> str`` and ``parse_markdown(text, *, source=...) -> doc``
  (strict: our format), ``read_markdown(text, ...) -> ImportResult`` (best effort, with
  an :class:`ImportReport` of every assumption)
- ``decode_document(data: bytes) -> str`` and ``MAX_DOCUMENT_BYTES``
- ``document_to_dict(doc)`` and ``document_from_dict(data)``
- ``render_html(doc) -> str`` and ``render_user_markdown(text) -> str``
- ``normalise_document(doc)`` / ``validate_document(doc)``

Every import error is a :class:`ValidationProblem` (a :class:`ProblemList` carrying all
of them, each with ``line`` or ``field``). The format: docs/markdown-format.md.
"""

from kintsugi.core.markdown.html import render_html
from kintsugi.core.markdown.json_codec import document_from_dict, document_to_dict
from kintsugi.core.markdown.limits import MAX_DOCUMENT_BYTES, decode_document
from kintsugi.core.markdown.parse import parse_markdown, read_markdown
from kintsugi.core.markdown.problems import ProblemList
from kintsugi.core.markdown.render import render_markdown
from kintsugi.core.markdown.report import ImportReport, ImportResult, Note
from kintsugi.core.markdown.safe_html import render_user_markdown
from kintsugi.core.markdown.validate import normalise_document, validate_document

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "ImportReport",
    "ImportResult",
    "Note",
    "ProblemList",
    "decode_document",
    "document_from_dict",
    "document_to_dict",
    "normalise_document",
    "parse_markdown",
    "read_markdown",
    "render_html",
    "render_markdown",
    "render_user_markdown",
    "validate_document",
]
