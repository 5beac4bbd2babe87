"""Every export format from one place."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from kintsugi.core.document import PostmortemDocument
from kintsugi.core.errors import ValidationProblem
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
