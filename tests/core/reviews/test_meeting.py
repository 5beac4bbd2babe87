"""The review meeting's pure rules: notes, questions, and the follow-up's text."""

from __future__ import annotations

import pytest

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.reviews.meeting import (
    MAX_NOTES,
    FollowUpItem,
    StillOpen,
    clean_notes,
    follow_up_body,
    is_question,
)


def test_notes_are_trimmed_and_may_be_empty():
    assert clean_notes("  Agreed: raise the pool.\r\n ") == "Agreed: raise the pool."
    assert clean_notes("") == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "must be text"),
        (["a"], "must be text"),
        ("x" * (MAX_NOTES + 1), "the limit is 20000"),
        ("a\x00b", "NUL"),
    ],
)
def test_bad_notes_are_refused_with_the_reason(text, message):
    with pytest.raises(ValidationProblem, match=message) as refused:
        clean_notes(text)
    assert refused.value.field == "notes"


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("When did the first page go out?", True),
        ("Why did the pool fill? The graph shows 14:05.", True),
        ("The graph is at https://grafana.example.com/d/1?from=now-1h", False),
        ("See `GET /api?x=1` for the call.", False),
        ("Looks good to me.", False),
        ("", False),
    ],
)
def test_a_thread_that_asks_something_is_a_question(text, asks):
    assert is_question(text) is asks


def test_the_follow_up_lists_notes_and_what_is_still_open():
    body = follow_up_body(
        reference="INC-7",
        title="Checkout outage",
        url="https://pm.example.com/incidents/7/",
        sender="Alice Ng",
        notes="Agreed to size the pool from load tests.",
        still_open=StillOpen(
            questions=["When did the\npage go out?"],
            threads=3,
            action_items=[FollowUpItem("Size the pool", "Bob Diaz", "2026-03-20", "Open")],
            problems=2,
        ),
    )
    assert body.startswith("Alice Ng sends the notes of the review meeting for INC-7")
    assert "Agreed to size the pool from load tests." in body
    assert "  - When did the page go out?" in body  # one line per question
    assert "Unresolved comment threads: 3" in body
    assert "resolved or waived: 2" in body
    assert "  - Size the pool (owner: Bob Diaz; target: 2026-03-20; Open)" in body
    assert body.rstrip().endswith("https://pm.example.com/incidents/7/")


def test_a_follow_up_without_notes_says_so():
    body = follow_up_body(
        reference="INC-7",
        title="t",
        url="u",
        sender="s",
        notes="",
        still_open=StillOpen(questions=[], threads=0, action_items=[], problems=0),
    )
    assert "(no notes were taken)" in body and "Open questions" not in body
