"""The review workflow: request reviewers, decide, waive checklist problems, publish and
send back. Each move checks who may make it, changes ``Incident.status`` with a
conditional UPDATE (two people moving the same post-mortem at once cannot both win), and
writes the audit log in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from kintsugi.accounts.models import User
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.reviews import Action, Decision, next_status
from kintsugi.core.reviews.workflow import clean_reason
from kintsugi.core.vocabulary import PostmortemStatus
from kintsugi.postmortems import access
from kintsugi.postmortems.models import Incident
from kintsugi.postmortems.services.policies import check_publishing
from kintsugi.reviews.models import ReviewRequest, TeamReviewSettings, Waiver
from kintsugi.reviews.selectors import (
    incident_checklist,
    open_threads_by,
    workflow_state,
)
from kintsugi.reviews.services import notify
from kintsugi.reviews.services.audit import audit_record
from kintsugi.teams.models import Team

MAX_REVIEWERS = 50


def _require_edit(user: User, incident: Incident, what: str) -> None:
    if not access.can_edit(user, incident):
        raise PermissionDenied(f"Only those who may edit this post-mortem can {what}.")


def _locked(incident: Incident) -> Incident:
    """The incident as stored now, locked until the transaction ends: a move is decided on
    the stored status, never on a copy a page read a while ago."""
    return Incident.objects.select_for_update().get(pk=incident.pk)


def _move(incident: Incident, action: Action, **extra: object) -> Incident:
    """Set the status ``action`` leads to, if nobody moved it meanwhile."""
    target = next_status(incident.status, action)
    moved = Incident.objects.filter(pk=incident.pk, status=incident.status).update(
        status=target, version=F("version") + 1, updated_at=timezone.now(), **extra
    )
    if not moved:
        raise ValidationProblem(
            "Someone changed the status of this post-mortem meanwhile; reload the page.",
            field="status",
        )
    return Incident.objects.get(pk=incident.pk)


def reviewers_for(
    *, user: User, incident: Incident, people: Sequence[User] = (), teams: Sequence[Team] = ()
) -> list[tuple[User, Team | None]]:
    """The people a request names, each once: the users named, then each team's members.
    The requester is never their own reviewer; team members who may not see the incident
    are left out, a named person who may not see it is refused (and not told more)."""
    chosen: dict[int, tuple[User, Team | None]] = {}
    for person in people:
        if person.pk == user.pk:
            raise ValidationProblem("You cannot review your own request.", field="reviewers")
        if not person.is_active or not access.can_view(person, incident):
            raise ValidationProblem(
                f"{person.username} may not see this post-mortem; add them to its members "
                "first, or ask someone else.",
                field="reviewers",
            )
        chosen.setdefault(person.pk, (person, None))
    for team in teams:
        for member in User.objects.filter(memberships__team=team, is_active=True):
            if member.pk != user.pk and access.can_view(member, incident):
                chosen.setdefault(member.pk, (member, team))
    if not chosen:
        raise ValidationProblem(
            "Name at least one reviewer (a person or a team with other members).",
            field="reviewers",
        )
    if len(chosen) > MAX_REVIEWERS:
        raise ValidationProblem(
            f"At most {MAX_REVIEWERS} reviewers can be asked at once.", field="reviewers"
        )
    return list(chosen.values())


def review_request(
    *, user: User, incident: Incident, people: Sequence[User] = (), teams: Sequence[Team] = ()
) -> list[ReviewRequest]:
    """Ask reviewers; the post-mortem goes (or stays) in review. Returns the new requests
    (a person already asked keeps their request and decision) and emails their reviewers."""
    _require_edit(user, incident, "ask for a review")
    with transaction.atomic():
        incident = _locked(incident)
        chosen = reviewers_for(user=user, incident=incident, people=people, teams=teams)
        fresh = _move(incident, Action.REQUEST_REVIEW)
        existing = set(
            ReviewRequest.objects.filter(incident=incident).values_list("reviewer_id", flat=True)
        )
        created = ReviewRequest.objects.bulk_create(
            [
                ReviewRequest(incident=incident, reviewer=person, via_team=team, requested_by=user)
                for person, team in chosen
                if person.pk not in existing
            ]
        )
        names = [r.reviewer.username for r in created]
        audit_record(
            user=user,
            incident=fresh,
            action="review_request",
            detail={"from": incident.status, "to": fresh.status, "reviewers": names},
        )
        reviewers = [r.reviewer for r in created]
        transaction.on_commit(lambda: notify.review_requested(fresh, reviewers, user))
    return created


def review_decide(*, user: User, incident: Incident, decision: str, note: str = "") -> Incident:
    """Record the reviewer's decision; when the decisions add up (enough approvals, nobody
    asking for changes) the post-mortem is approved, and asking for changes after that
    takes it back to review. A reviewer with open threads of their own cannot approve."""
    try:
        chosen = Decision(decision)
    except ValueError:
        raise ValidationProblem(
            "Decide “approved” or “changes_requested”.", field="decision"
        ) from None
    if chosen is Decision.PENDING:
        raise ValidationProblem("Decide “approved” or “changes_requested”.", field="decision")
    text = clean_reason(note, required=chosen is Decision.CHANGES_REQUESTED, field="note")
    with transaction.atomic():
        incident = _locked(incident)
        request = (
            ReviewRequest.objects.select_for_update()
            .filter(incident=incident, reviewer=user)
            .first()
        )
        if request is None:
            raise PermissionDenied("You were not asked to review this post-mortem.")
        if incident.status not in (PostmortemStatus.IN_REVIEW, PostmortemStatus.APPROVED):
            raise ValidationProblem(
                "Only a post-mortem in review can be approved or sent back for changes.",
                field="status",
            )
        if chosen is Decision.APPROVED:
            still_open = open_threads_by(incident, user)
            if still_open:
                raise ValidationProblem(
                    f"Resolve your {still_open} open comment thread{'s' if still_open > 1 else ''}"
                    " first (or reopen the review with changes requested).",
                    field="decision",
                )
        request.decision, request.note, request.decided_at = chosen, text, timezone.now()
        request.save(update_fields=["decision", "note", "decided_at"])
        fresh = incident
        approved = workflow_state(incident).approved
        if approved and incident.status == PostmortemStatus.IN_REVIEW:
            fresh = _move(incident, Action.APPROVE)
        elif not approved and incident.status == PostmortemStatus.APPROVED:
            fresh = _move(incident, Action.REQUEST_REVIEW)
        audit_record(
            user=user,
            incident=fresh,
            action="review_decision",
            detail={"decision": chosen.value, "note": text, "status": fresh.status},
        )
    return fresh


def workflow_publish(*, user: User, incident: Incident) -> Incident:
    """Publish an approved post-mortem whose checklist is settled (and that the
    organisation's blameless gate lets through)."""
    _require_edit(user, incident, "publish it")
    with transaction.atomic():
        incident = _locked(incident)
        next_status(incident.status, Action.PUBLISH)
        checklist = incident_checklist(incident)
        if not checklist.passed:
            count = checklist.open_count
            raise ValidationProblem(
                f"The publish checklist has {count} open problem{'s' if count != 1 else ''}: "
                "fix or waive each (with a reason) first.",
                field="status",
            )
        check_publishing(incident=incident, changes={})
        fresh = _move(
            incident, Action.PUBLISH, published_at=incident.published_at or timezone.now()
        )
        audit_record(
            user=user,
            incident=fresh,
            action="publish",
            detail={"from": incident.status, "via": "review"},
        )
    return fresh


def workflow_send_back(*, user: User, incident: Incident, reason: str) -> Incident:
    """Back to draft, with a reason; every reviewer's decision starts over."""
    _require_edit(user, incident, "send it back to draft")
    text = clean_reason(reason, required=True)
    with transaction.atomic():
        incident = _locked(incident)
        fresh = _move(incident, Action.SEND_BACK)
        ReviewRequest.objects.filter(incident=incident).update(
            decision=Decision.PENDING, decided_at=None, note=""
        )
        audit_record(
            user=user,
            incident=fresh,
            action="status",
            detail={"from": incident.status, "to": fresh.status, "reason": text},
        )
    return fresh


def waiver_add(*, user: User, incident: Incident, problem_key: str, reason: str) -> Waiver:
    """Accept one open checklist problem as it is, saying why."""
    _require_edit(user, incident, "waive a checklist problem")
    text = clean_reason(reason, required=True)
    key = problem_key.strip() if isinstance(problem_key, str) else ""
    problem = next(
        (
            p
            for check in incident_checklist(incident).checks
            for p in check.problems
            if p.key == key
        ),
        None,
    )
    if problem is None:
        raise ValidationProblem(
            "That problem is not open on the checklist (fixed or already waived).",
            field="problem",
        )
    with transaction.atomic():
        waiver = Waiver.objects.create(
            incident=incident,
            check_key=problem.check,
            problem_key=problem.key,
            problem_text=problem.text[:2000],
            reason=text,
            waived_by=user,
        )
        audit_record(
            user=user,
            incident=incident,
            action="waive",
            detail={"problem": problem.text[:500], "reason": text},
        )
    return waiver


def waiver_remove(*, user: User, waiver: Waiver) -> None:
    """Withdraw a waiver: its problem is open on the checklist again."""
    incident = waiver.incident
    _require_edit(user, incident, "withdraw a waiver")
    with transaction.atomic():
        audit_record(
            user=user,
            incident=incident,
            action="unwaive",
            detail={"problem": waiver.problem_text[:500]},
        )
        waiver.delete()


def team_approvals_set(*, user: User, team: Team, approvals_needed: object) -> TeamReviewSettings:
    """A team's leads and admins set how many approvals its post-mortems need (1 to 10)."""
    if not access.can_manage_team(user, team):
        raise PermissionDenied("Only admins and the team's leads change its review settings.")
    try:
        count = int(str(approvals_needed).strip())
    except ValueError:
        raise ValidationProblem(
            "The number of approvals must be a whole number.", field="approvals_needed"
        ) from None
    if not 1 <= count <= 10:
        raise ValidationProblem(
            "A post-mortem needs between 1 and 10 approvals.", field="approvals_needed"
        )
    row, _ = TeamReviewSettings.objects.update_or_create(
        team=team, defaults={"approvals_needed": count}
    )
    return row
