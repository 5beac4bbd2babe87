"""Every export format from one place."""

from __future__ import annotations

import ast
import importlib.util
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kintsugi.core.document import PostmortemDocument
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown import exporting, pdf_limits, pdf_process
from kintsugi.core.markdown.exporting import FORMATS, export_document

DOC = PostmortemDocument(
    title="Pool exhausted",
    started_at=datetime(2026, 3, 1, 14, tzinfo=UTC),
    summary='See ![graph](http://127.0.0.1:9/leak.png) and <img src="http://127.0.0.1:9/x">',
)


def test_it_exports_every_format():
    assert export_document(DOC, "md").startswith(b"---\n")
    assert json.loads(export_document(DOC, "json"))["title"] == "Pool exhausted"
    assert b"<!doctype html>" in export_document(DOC, "html").lower()
    assert export_document(DOC, "pdf").startswith(b"%PDF-")
    assert set(FORMATS) == {"md", "html", "json", "pdf"}


def test_it_refuses_an_unknown_format():
    with pytest.raises(ValidationProblem, match="Unknown format"):
        export_document(DOC, "docx")


def test_its_html_export_embeds_no_outside_image():
    # Printing fetches nothing either: tests/core/markdown/test_pdf_process.py, with a
    # real server on loopback that must receive no request.
    html = export_document(DOC, "html").decode()
    assert "127.0.0.1:9" not in html or "<img" not in html.split("<body", 1)[1]


def _imported_modules(module: str) -> set[str]:
    """Every module a file imports, at its top or inside a function (as grimp counts them)."""
    source = Path(importlib.util.find_spec(module).origin).read_text()  # type: ignore[union-attr, arg-type]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_printer_and_the_limits_never_import_the_exporter():
    # exporting -> pdf_process -> exporting was a cycle; both now share pdf_limits.
    for module in ("kintsugi.core.markdown.pdf_process", "kintsugi.core.markdown.pdf_limits"):
        assert "kintsugi.core.markdown.exporting" not in _imported_modules(module)
    assert "kintsugi.core.markdown.pdf_process" not in _imported_modules(
        "kintsugi.core.markdown.pdf_limits"
    )
    assert "kintsugi.core.markdown.pdf_limits" in _imported_modules(
        "kintsugi.core.markdown.exporting"
    )
    # Their importers find the same classes where they always did.
    assert exporting.ExportUnavailable is pdf_limits.ExportUnavailable
    assert pdf_process.PdfLimits is pdf_limits.PdfLimits
    assert issubclass(pdf_process.PdfStopped, exporting.ExportUnavailable)
