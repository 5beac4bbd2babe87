"""The review workflow's pure rules: which status moves are allowed, when a post-mortem is
approved, what the publish checklist asks, and what a comment may point at and mention.

No Django here: the reviews app (kintsugi/reviews) stores the decisions and calls these.
"""

from kintsugi.core.reviews.checklist import (
    CHECKS,
    Check,
    Checklist,
    Problem,
    SectionCounts,
    build_checklist,
    template_problems,
)
from kintsugi.core.reviews.comments import (
    MAX_COMMENT,
    SECTIONS,
    Anchor,
    mentioned_usernames,
    parse_anchor,
)
from kintsugi.core.reviews.workflow import (
    Action,
    Decision,
    WorkflowState,
    approval_state,
    next_status,
)

__all__ = [
    "CHECKS",
    "MAX_COMMENT",
    "SECTIONS",
    "Action",
    "Anchor",
    "Check",
    "Checklist",
    "Decision",
    "Problem",
    "SectionCounts",
    "WorkflowState",
    "approval_state",
    "build_checklist",
    "mentioned_usernames",
    "next_status",
    "parse_anchor",
    "template_problems",
]
