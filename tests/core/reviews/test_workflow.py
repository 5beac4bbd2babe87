"""The pure workflow rules: allowed moves, approval counting, reasons."""

from __future__ import annotations

import pytest

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.reviews import Action, approval_state, next_status
from kintsugi.core.reviews.workflow import MAX_REASON, clean_reason


@pytest.mark.parametrize(
    ("current", "action", "expected"),
    [
        ("draft", Action.REQUEST_REVIEW, "in_review"),
        ("in_review", Action.REQUEST_REVIEW, "in_review"),
        ("approved", Action.REQUEST_REVIEW, "in_review"),
        ("in_review", Action.APPROVE, "approved"),
        ("approved", Action.PUBLISH, "published"),
        ("in_review", Action.SEND_BACK, "draft"),
        ("approved", Action.SEND_BACK, "draft"),
        ("published", Action.SEND_BACK, "draft"),
    ],
)
def test_it_allows_the_moves_of_the_workflow(current, action, expected):
    assert next_status(current, action) == expected


@pytest.mark.parametrize(
    ("current", "action"),
    [
        ("draft", Action.PUBLISH),
        ("in_review", Action.PUBLISH),
        ("published", Action.PUBLISH),
        ("draft", Action.APPROVE),
        ("published", Action.REQUEST_REVIEW),
        ("draft", Action.SEND_BACK),
    ],
)
def test_it_refuses_other_moves_and_says_from_where_they_are_allowed(current, action):
    with pytest.raises(ValidationProblem) as refused:
        next_status(current, action)
    assert refused.value.field == "status"
    assert "cannot be" in refused.value.message


def test_it_rejects_an_unknown_status():
    with pytest.raises(ValueError):
        next_status("final", Action.PUBLISH)


def test_it_approves_with_enough_approvals_and_nobody_asking_for_changes():
    assert approval_state(["approved"], needed=1).approved
    assert not approval_state(["approved", "pending"], needed=2).approved
    assert approval_state(["approved", "approved", "pending"], needed=2).approved
    blocked = approval_state(["approved", "approved", "changes_requested"], needed=2)
    assert not blocked.approved and blocked.changes_requested == 1
    assert not approval_state([], needed=1).approved


def test_it_needs_at_least_one_approval():
    with pytest.raises(ValidationProblem):
        approval_state(["approved"], needed=0)


def test_a_reason_is_trimmed_bounded_and_required_when_asked():
    assert clean_reason("  because  ", required=True) == "because"
    assert clean_reason(None, required=False) == ""
    for bad in ("", "   ", None):
        with pytest.raises(ValidationProblem):
            clean_reason(bad, required=True)
    with pytest.raises(ValidationProblem, match="limit"):
        clean_reason("x" * (MAX_REASON + 1), required=True)
    with pytest.raises(ValidationProblem):
        clean_reason(["list"], required=False)
    with pytest.raises(ValidationProblem):
        clean_reason("a\x00b", required=True)
