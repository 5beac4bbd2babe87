"""Checking a document built in code (by the app or a test) with the import's rules."""

from __future__ import annotations

from datetime import datetime

import pytest

from kintsugi.core.document import ActionItemEntry, PostmortemDocument
from kintsugi.core.markdown import ProblemList, normalise_document, validate_document
from kintsugi.core.vocabulary import Priority


def test_it_returns_the_normal_form():
    doc = PostmortemDocument(
        title="  Pool ",
        summary="\r\nDown.\r\n",
        action_items=[ActionItemEntry("Later", Priority.P3), ActionItemEntry("First", Priority.P0)],
    )
    normal = normalise_document(doc)
    assert (normal.title, normal.summary) == ("Pool", "Down.")
    assert [item.title for item in normal.action_items] == ["First", "Later"]


def test_it_names_every_bad_field_by_its_path():
    doc = PostmortemDocument(
        title="",
        started_at=datetime(2024, 3, 1, 14, 0),  # naive
        action_items=[ActionItemEntry("Fix", ticket_url="javascript:alert(1)", addresses=2)],
    )
    with pytest.raises(ProblemList) as caught:
        validate_document(doc)
    assert {problem.field for problem in caught.value.problems} == {
        "title",
        "started_at",
        "action_items[0].ticket_url",
        "action_items[0].addresses",
    }
