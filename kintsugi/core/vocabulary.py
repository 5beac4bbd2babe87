"""The fixed vocabularies of the SRE template: severities, priorities and statuses.

They live here (not in Django models) so that the Markdown format, the linter and the
web app agree on one spelling and one label for each value.
"""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    SEV1 = "SEV1"
    SEV2 = "SEV2"
    SEV3 = "SEV3"
    SEV4 = "SEV4"

    @property
    def label(self) -> str:
        return SEVERITY_LABELS[self]

    @property
    def definition(self) -> str:
        return SEVERITY_DEFINITIONS[self]


SEVERITY_LABELS = {
    Severity.SEV1: "SEV1 - Critical",
    Severity.SEV2: "SEV2 - Major",
    Severity.SEV3: "SEV3 - Minor",
    Severity.SEV4: "SEV4 - Low",
}

SEVERITY_DEFINITIONS = {
    Severity.SEV1: (
        "Critical: the service is down or unusable for most customers, data is lost or "
        "exposed, or revenue stops. All hands until mitigated."
    ),
    Severity.SEV2: (
        "Major: a core feature is unavailable or badly degraded for many customers, or a "
        "region is down. Urgent response, around the clock."
    ),
    Severity.SEV3: (
        "Minor: a non-core feature is degraded or a small share of customers is affected; "
        "a workaround exists. Handled in working hours."
    ),
    Severity.SEV4: (
        "Low: little or no customer impact (internal tooling, a near miss, cosmetic "
        "issues). Worth learning from, not worth waking anyone."
    ),
}


class PostmortemStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"  # by enough reviewers (kintsugi/core/reviews); not yet published
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return {
            "draft": "Draft",
            "in_review": "In review",
            "approved": "Approved",
            "published": "Published",
        }[self.value]


class Priority(StrEnum):
    """P0 is the most urgent; sorting by the value string sorts by urgency."""

    P0 = "P0"
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"

    @property
    def label(self) -> str:
        return {
            "P0": "P0 - Immediate",
            "P1": "P1 - High",
            "P2": "P2 - Medium",
            "P3": "P3 - Low",
        }[self.value]

    @property
    def is_high(self) -> bool:
        return self in (Priority.P0, Priority.P1)


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    WONT_DO = "wont_do"

    @property
    def label(self) -> str:
        return {
            "open": "Open",
            "in_progress": "In progress",
            "done": "Done",
            "wont_do": "Won't do",
        }[self.value]

    @property
    def is_closed(self) -> bool:
        return self in (ActionStatus.DONE, ActionStatus.WONT_DO)


class EvidenceKind(StrEnum):
    GRAPH = "graph"
    QUERY = "query"
    TRACE = "trace"
    LOG = "log"
    DASHBOARD = "dashboard"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class LessonKind(StrEnum):
    WENT_WELL = "went_well"
    WENT_POORLY = "went_poorly"
    GOT_LUCKY = "got_lucky"

    @property
    def label(self) -> str:
        return {
            "went_well": "What went well",
            "went_poorly": "What went poorly",
            "got_lucky": "Where we got lucky",
        }[self.value]


def choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    """(value, label) pairs for forms and model fields."""
    return [(member.value, getattr(member, "label", member.value)) for member in enum]
