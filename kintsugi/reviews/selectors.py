"""Reads for the review panel: the publish checklist, the reviewers, the threads and the
audit log of one incident. Each reads a fixed number of queries whatever the size of the
post-mortem (tests/reviews/test_query_counts.py)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet

from kintsugi.accounts.models import User
from kintsugi.blameless.publishing import PublishingVerdict, publishing_verdict
from kintsugi.core.five_whys import FindingSeverity
from kintsugi.core.language import Level
from kintsugi.core.reviews import (
    Checklist,
    Problem,
    SectionCounts,
    approval_state,
    build_checklist,
    template_problems,
)
from kintsugi.core.reviews.checklist import Waiver as WaiverRecord
from kintsugi.core.reviews.meeting import FollowUpItem, StillOpen, is_question
from kintsugi.core.reviews.workflow import WorkflowState
from kintsugi.core.vocabulary import ActionStatus
from kintsugi.five_whys.models import WhyNode
from kintsugi.postmortems import access
from kintsugi.postmortems.models import ActionItem, Factor, Incident, Lesson, TimelineEvent
from kintsugi.reviews.models import AuditEntry, Comment, ReviewRequest, TeamReviewSettings, Thread

UNADDRESSED = "whys/root-cause-unaddressed"


def _digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:16]


def section_counts(incident: Incident) -> SectionCounts:
    """One count per section. Separate counts on purpose: counting several relations in one
    query joins them all, rows multiplying (500 events x 60 factors x 60 items)."""
    pk = incident.pk
    return SectionCounts(
        summary=len(incident.summary.strip()),
        impact=len(incident.impact.strip()),
        timeline=TimelineEvent.objects.filter(incident_id=pk).count(),
        factors=Factor.objects.filter(incident_id=pk).count(),
        why_steps=WhyNode.objects.filter(incident_id=pk).count(),
        lessons=Lesson.objects.filter(incident_id=pk).count(),
        action_items=ActionItem.objects.filter(incident_id=pk).count(),
    )


def checklist_problems(incident: Incident, verdict: PublishingVerdict) -> list[Problem]:
    """Every problem the publish checklist lists, before waivers."""
    problems = template_problems(section_counts(incident))
    for found in verdict.findings:
        finding = found.finding
        if finding.severity is Level.INFO:
            continue
        key = f"blameless:{finding.rule}:{_digest(found.field, found.item_id, finding.excerpt)}"
        text = f"{found.label}: “{finding.excerpt}” ({finding.rule}, {finding.severity.value})"
        problems.append(Problem("blameless", key, text, found.anchor))
    for why in verdict.whys:
        if why.severity is FindingSeverity.INFO:
            continue
        check = "root_causes" if why.rule == UNADDRESSED else "whys"
        key = f"{check}:{why.rule}:{_digest(why.location.label, why.message)}"
        text = f"{why.location.label.capitalize()}: {why.message}"
        problems.append(Problem(check, key, text, "analysis"))
    items = ActionItem.objects.filter(incident_id=incident.pk).only(
        "id", "title", "owner_id", "ticket_id", "due_on", "status"
    )
    for item in items:
        missing = item.missing_fields
        if missing and not item.is_closed:
            key = f"action_items:{item.pk}:{'+'.join(missing)}"
            text = f"“{item.title}” has no {', no '.join(missing)}."
            problems.append(Problem("action_items", key, text, f"action-{item.pk}"))
    return problems


def incident_checklist(incident: Incident, verdict: PublishingVerdict | None = None) -> Checklist:
    verdict = verdict or publishing_verdict(incident)
    waivers = {
        w.problem_key: WaiverRecord(
            key=w.problem_key,
            reason=w.reason,
            by=w.waived_by.username if w.waived_by else "",
            at=w.waived_at.isoformat(timespec="seconds"),
            ref=w.pk,
        )
        for w in incident.waivers.select_related("waived_by")
    }
    return build_checklist(checklist_problems(incident, verdict), waivers)


def approvals_needed(incident: Incident) -> int:
    if incident.team_id is None:
        return 1
    row = TeamReviewSettings.objects.filter(team_id=incident.team_id).first()
    return row.approvals_needed if row else 1


def review_requests(incident: Incident) -> list[ReviewRequest]:
    return list(incident.reviews.select_related("reviewer", "via_team", "requested_by"))


def workflow_state(
    incident: Incident, requests: list[ReviewRequest] | None = None
) -> WorkflowState:
    rows = review_requests(incident) if requests is None else requests
    return approval_state([r.decision for r in rows], needed=approvals_needed(incident))


def open_threads_by(incident: Incident, user: User) -> int:
    """Threads ``user`` started on this incident that nobody has resolved yet."""
    return Thread.objects.filter(incident=incident, created_by=user, resolved_at=None).count()


def threads(incident: Incident) -> QuerySet[Thread]:
    """The incident's threads with their comments and authors (three queries)."""
    comments = Comment.objects.select_related("author").order_by("created_at", "id")
    return (
        Thread.objects.filter(incident=incident)
        .select_related("created_by", "resolved_by")
        .prefetch_related(Prefetch("comments", queryset=comments))
        .order_by("resolved_at", "created_at", "id")
    )


def visible_threads(user: User) -> QuerySet[Thread]:
    """Threads on incidents ``user`` may see: the API and exports read through this."""
    return Thread.objects.filter(incident__in=access.visible_incidents(user))


def audit_log(incident: Incident, *, limit: int = 100) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(incident=incident).select_related("actor")[:limit])


def audit_visible_to(user: User) -> QuerySet[AuditEntry]:
    """Entries of incidents the user may see; a deleted incident's entries for admins only
    (its access rules went with it)."""
    if access.is_admin(user):
        return AuditEntry.objects.all()
    return AuditEntry.objects.filter(
        Q(incident__in=access.visible_incidents(user))
        | Q(incident=None, action="delete", actor_id=user.pk, was_restricted=False)
    )


@dataclass(frozen=True)
class ReviewPanel:
    incident: Incident
    requests: list[ReviewRequest]
    state: WorkflowState
    checklist: Checklist
    verdict: PublishingVerdict
    mine: ReviewRequest | None
    my_open_threads: int
    can_edit: bool


def review_panel(incident: Incident, user: User) -> ReviewPanel:
    verdict = publishing_verdict(incident)
    requests = review_requests(incident)
    mine = next((r for r in requests if r.reviewer_id == user.pk), None)
    return ReviewPanel(
        incident=incident,
        requests=requests,
        state=workflow_state(incident, requests),
        checklist=incident_checklist(incident, verdict),
        verdict=verdict,
        mine=mine,
        my_open_threads=open_threads_by(incident, user) if mine else 0,
        can_edit=access.can_edit(user, incident),
    )


@dataclass(frozen=True)
class Agenda:
    """What a review meeting goes through, each part in the order it is discussed."""

    questions: list[Thread]  # unresolved threads that ask something
    discussions: list[Thread]  # the other unresolved threads
    proposed: list[ActionItem]  # action items not started yet
    problems: list[Problem]  # publish-checklist problems neither resolved nor waived

    def still_open(self) -> StillOpen:
        """The agenda's part of the follow-up mail (``core.reviews.meeting.follow_up_body``)."""
        return StillOpen(
            questions=[t.comments.all()[0].text[:300] for t in self.questions],
            threads=len(self.questions) + len(self.discussions),
            action_items=[
                FollowUpItem(
                    title=item.title,
                    owner=item.owner.display_name if item.owner else item.owner_name,
                    due=item.due_on.isoformat() if item.due_on else "",
                    status=item.get_status_display(),
                )
                for item in self.proposed
            ],
            problems=len(self.problems),
        )


def meeting_agenda(incident: Incident) -> Agenda:
    """A fixed number of queries: threads (three), action items (one), the checklist's."""
    open_threads = [thread for thread in threads(incident) if not thread.is_resolved]
    questions, discussions = [], []
    for thread in open_threads:
        first = thread.comments.all()[:1]
        asks = bool(first) and is_question(first[0].text)
        (questions if asks else discussions).append(thread)
    proposed = list(
        ActionItem.objects.filter(incident_id=incident.pk, status=ActionStatus.OPEN)
        .select_related("owner")
        .order_by("priority", F("due_on").asc(nulls_last=True), "id")
    )
    problems = [p for check in incident_checklist(incident).checks for p in check.problems]
    return Agenda(questions, discussions, proposed, problems)
