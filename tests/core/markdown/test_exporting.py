"""Every export format from one place; PDF printing fetches nothing from outside."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from kintsugi.core.document import PostmortemDocument
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.markdown import exporting
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


def test_it_never_fetches_anything_while_printing(monkeypatch):
    fetched: list[str] = []

    def spy(url, *args, **kwargs):
        fetched.append(url)
        return exporting._refuse_fetch(url)

    monkeypatch.setattr(exporting, "_refuse_fetch", spy)
    html = export_document(DOC, "html").decode()
    assert "127.0.0.1:9" not in html or "<img" not in html.split("<body", 1)[1]
    export_document(DOC, "pdf")
    assert fetched == []
