from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kintsugi.core.trackers.payloads import (
    github_hook_ticket,
    gitlab_hook_ticket,
    issue_number,
)


def test_it_reads_a_github_issues_event():
    ticket = github_hook_ticket({
        "action": "closed",
        "issue": {"number": 7, "title": "T", "state": "closed", "state_reason": "not_planned",
                  "assignee": {"login": "octo"}, "html_url": "https://github.com/a/b/issues/7",
                  "body": "Priority: P1 · Target date: 2026-04-01", "closed_at": "2026-03-02T10:00:00Z"},
        "sender": {"login": "hubot"},
    })  # fmt: skip
    assert ticket is not None
    assert (ticket.key, ticket.closed, ticket.not_planned) == ("7", True, True)
    assert ticket.closed_by == "hubot" and ticket.assignee == "octo"
    assert ticket.due_on is not None and ticket.due_on.isoformat() == "2026-04-01"


def test_it_reads_a_gitlab_issue_hook():
    ticket = gitlab_hook_ticket({
        "object_kind": "issue", "user": {"username": "gitty"},
        "object_attributes": {"iid": 3, "title": "T", "state": "closed", "action": "close",
                              "due_date": "2026-05-01", "url": "https://gitlab.com/a/b/-/issues/3"},
        "assignees": [{"username": "ann", "email": "ann@example.com"}],
    })  # fmt: skip
    assert ticket is not None and ticket.key == "3" and ticket.closed
    assert ticket.assignee_email == "ann@example.com" and ticket.closed_by == "gitty"


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=4)))  # fmt: skip
def test_no_payload_crashes_the_readers(payload):
    github_hook_ticket(payload)
    gitlab_hook_ticket(payload)
    gitlab_hook_ticket({"object_kind": "issue", "object_attributes": payload})
    github_hook_ticket({"issue": payload})


@pytest.mark.parametrize(
    "reference,number",
    [
        ("12", "12"),
        ("#12", "12"),
        ("acme/ops#12", "12"),
        ("https://github.com/acme/ops/issues/12", "12"),
        ("https://github.com/acme/ops/-/issues/12", "12"),
        ("https://github.com/other/ops/issues/12", None),
        ("https://evil.com/acme/ops/issues/12", None),
        ("other/ops#12", None),
        ("12a", None),
        ("", None),
        ("#", None),
    ],
)
def test_it_reads_an_issue_reference_only_inside_the_project(reference, number):
    assert issue_number(reference, project="acme/ops", host="github.com") == number
