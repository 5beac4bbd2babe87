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

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Loaded on first use (PEP 562): ``kintsugi lint`` needs only the headings table of this
# package, and importing the reader, the renderers and markdown-it up front cost it a third
# of its start-up time.
_EXPORTS = {
    "render_html": "html",
    "document_from_dict": "json_codec",
    "document_to_dict": "json_codec",
    "MAX_DOCUMENT_BYTES": "limits",
    "decode_document": "limits",
    "parse_markdown": "parse",
    "read_markdown": "parse",
    "ProblemList": "problems",
    "render_markdown": "render",
    "ImportReport": "report",
    "ImportResult": "report",
    "Note": "report",
    "render_user_markdown": "safe_html",
    "normalise_document": "validate",
    "validate_document": "validate",
}

if TYPE_CHECKING:
    from kintsugi.core.markdown.html import render_html
    from kintsugi.core.markdown.json_codec import document_from_dict, document_to_dict
    from kintsugi.core.markdown.limits import MAX_DOCUMENT_BYTES, decode_document
    from kintsugi.core.markdown.parse import parse_markdown, read_markdown
    from kintsugi.core.markdown.problems import ProblemList
    from kintsugi.core.markdown.render import render_markdown
    from kintsugi.core.markdown.report import ImportReport, ImportResult, Note
    from kintsugi.core.markdown.safe_html import render_user_markdown
    from kintsugi.core.markdown.validate import normalise_document, validate_document


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "ImportReport",
    "ImportResult",
    "MAX_DOCUMENT_BYTES",
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
