"""Status moves of a post-mortem under review: draft -> in review -> approved -> published,
and back to draft (or from approved back to in review) with a reason.

The status itself is ``Incident.status`` (``PostmortemStatus``); this module only says
which move is allowed from which status, so the web page, the API and the CLI agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.vocabulary import PostmortemStatus

MAX_REASON = 2000


class Action(StrEnum):
    REQUEST_REVIEW = "request_review"
    APPROVE = "approve"  # reached by reviewers' decisions, never asked for directly
    PUBLISH = "publish"
    SEND_BACK = "send_back"  # back to draft, with a reason


class Decision(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"

    @property
    def label(self) -> str:
        return {
            "pending": "Waiting",
            "approved": "Approved",
            "changes_requested": "Changes requested",
        }[self.value]


_D, _R, _A, _P = (
    PostmortemStatus.DRAFT,
    PostmortemStatus.IN_REVIEW,
    PostmortemStatus.APPROVED,
    PostmortemStatus.PUBLISHED,
)
_MOVES: dict[Action, tuple[frozenset[PostmortemStatus], PostmortemStatus]] = {
    # Asking more people while in review (or after approval) keeps it in review.
    Action.REQUEST_REVIEW: (frozenset({_D, _R, _A}), _R),
    Action.APPROVE: (frozenset({_R}), _A),
    Action.PUBLISH: (frozenset({_A}), _P),
    Action.SEND_BACK: (frozenset({_R, _A, _P}), _D),
}


def next_status(current: str, action: Action) -> PostmortemStatus:
    """The status after ``action``, or a ``ValidationProblem`` saying why it is not allowed."""
    allowed, target = _MOVES[action]
    status = PostmortemStatus(current)
    if status not in allowed:
        names = ", ".join(sorted(s.label.lower() for s in allowed))
        raise ValidationProblem(
            f"A post-mortem that is {status.label.lower()} cannot be "
            f"{_VERBS[action]}; it must be {names}.",
            field="status",
        )
    return target


_VERBS = {
    Action.REQUEST_REVIEW: "sent for review",
    Action.APPROVE: "approved",
    Action.PUBLISH: "published through the review",
    Action.SEND_BACK: "sent back to draft",
}


@dataclass(frozen=True)
class WorkflowState:
    """What the reviewers' decisions add up to."""

    approvals: int
    needed: int
    changes_requested: int

    @property
    def approved(self) -> bool:
        """Enough approvals and nobody still asking for changes."""
        return self.approvals >= self.needed and self.changes_requested == 0


def approval_state(decisions: Iterable[str], *, needed: int) -> WorkflowState:
    """Counts the reviewers' current decisions (one per reviewer)."""
    if needed < 1:
        raise ValidationProblem("At least one approval is needed.", field="approvals_needed")
    listed = [Decision(d) for d in decisions]
    return WorkflowState(
        approvals=sum(d is Decision.APPROVED for d in listed),
        needed=needed,
        changes_requested=sum(d is Decision.CHANGES_REQUESTED for d in listed),
    )


def clean_reason(reason: object, *, required: bool, field: str = "reason") -> str:
    """A reason as typed: trimmed, bounded, and present when the move needs one."""
    text = reason.strip() if isinstance(reason, str) else ""
    if reason is not None and not isinstance(reason, str):
        raise ValidationProblem("The reason must be text.", field=field)
    if required and not text:
        raise ValidationProblem("Say why (a reason is required).", field=field)
    if len(text) > MAX_REASON:
        raise ValidationProblem(
            f"The reason is {len(text)} characters long; the limit is {MAX_REASON}.", field=field
        )
    if "\x00" in text:
        raise ValidationProblem("The reason contains a NUL character.", field=field)
    return text
