"""The review workflow through its services: request, decide, waive, publish, send back,
with the audit log and the email to reviewers over real SMTP on loopback."""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import PermissionDenied

from kintsugi.core.errors import ValidationProblem
from kintsugi.postmortems import services as pm
from kintsugi.reviews.models import AuditEntry, ReviewRequest, TeamReviewSettings
from kintsugi.reviews.selectors import incident_checklist
from kintsugi.reviews.services.comments import thread_resolve, thread_start
from kintsugi.reviews.services.workflow import (
    review_decide,
    review_request,
    team_approvals_set,
    waiver_add,
    waiver_remove,
    workflow_publish,
    workflow_send_back,
)

pytestmark = pytest.mark.django_db


def _wait_for(smtp, count: int) -> None:
    deadline = time.monotonic() + 10
    while len(smtp.messages) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(smtp.messages) >= count, f"{len(smtp.messages)} of {count} emails arrived"


def _actions(incident) -> list[str]:
    return list(
        AuditEntry.objects.filter(incident=incident)
        .order_by("at", "id")
        .values_list("action", flat=True)
    )


def test_it_runs_request_approve_publish_and_mails_the_reviewer(
    smtp, complete, owner, teammate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = review_request(user=owner, incident=complete, people=[teammate])
    assert [r.reviewer for r in created] == [teammate]
    complete.refresh_from_db()
    assert complete.status == "in_review"
    _wait_for(smtp, 1)
    assert smtp.envelopes == [("kintsugi@example.com", ["bob@example.com"])]
    message = smtp.messages[0]
    assert message["Subject"] == f"Review requested: INC-{complete.pk} Checkout outage"
    body = message.get_payload(decode=True).decode()
    assert f"https://postmortems.example.com/incidents/{complete.pk}/#review" in body
    assert "Alice Ng" in body

    approved = review_decide(user=teammate, incident=complete, decision="approved")
    assert approved.status == "approved"
    published = workflow_publish(user=owner, incident=approved)
    assert published.status == "published" and published.published_at is not None
    assert _actions(complete)[-3:] == ["review_request", "review_decision", "publish"]
    entry = AuditEntry.objects.filter(incident=complete, action="publish").get()
    assert entry.actor == owner and entry.detail["via"] == "review"


def test_a_team_setting_asks_for_more_approvals(complete, owner, teammate, carol, team):
    team_approvals_set(user=owner, team=team, approvals_needed="2")
    assert TeamReviewSettings.objects.get(team=team).approvals_needed == 2
    review_request(user=owner, incident=complete, teams=[team])
    assert set(ReviewRequest.objects.values_list("reviewer__username", flat=True)) == {
        "bob",
        "carol",
    }  # the requester is not asked to review their own post-mortem
    after_one = review_decide(user=teammate, incident=complete, decision="approved")
    assert after_one.status == "in_review"
    after_two = review_decide(user=carol, incident=after_one, decision="approved")
    assert after_two.status == "approved"
    # Asking for changes after approval takes it back to review.
    back = review_decide(user=carol, incident=after_two, decision="changes_requested", note="Why?")
    assert back.status == "in_review"


@pytest.mark.parametrize("value", ["0", "11", "two", "", "1.5", None])
def test_the_approvals_setting_refuses_nonsense(owner, team, value):
    with pytest.raises(ValidationProblem):
        team_approvals_set(user=owner, team=team, approvals_needed=value)


def test_only_leads_and_admins_set_the_approvals(teammate, team):
    with pytest.raises(PermissionDenied):
        team_approvals_set(user=teammate, team=team, approvals_needed=2)


def test_asking_for_changes_needs_a_reason_and_blocks_approval(complete, owner, teammate):
    review_request(user=owner, incident=complete, people=[teammate])
    with pytest.raises(ValidationProblem) as refused:
        review_decide(user=teammate, incident=complete, decision="changes_requested")
    assert refused.value.field == "note"
    for bad in ("pending", "maybe", ""):
        with pytest.raises(ValidationProblem):
            review_decide(user=teammate, incident=complete, decision=bad)


def test_a_reviewer_with_open_threads_cannot_approve_until_they_are_resolved(
    complete, owner, teammate
):
    review_request(user=owner, incident=complete, people=[teammate])
    posted = thread_start(
        user=teammate, incident=complete, anchor="section:timeline", text="When did paging start?"
    )
    with pytest.raises(ValidationProblem, match="open comment thread"):
        review_decide(user=teammate, incident=complete, decision="approved")
    thread_resolve(user=owner, thread=posted.comment.thread)
    assert review_decide(user=teammate, incident=complete, decision="approved").status == "approved"


def test_only_asked_reviewers_decide(complete, owner, teammate, carol):
    review_request(user=owner, incident=complete, people=[teammate])
    with pytest.raises(PermissionDenied):
        review_decide(user=carol, incident=complete, decision="approved")


def test_who_may_be_asked(complete, restricted_incident, owner, teammate, outsider, viewer):
    with pytest.raises(ValidationProblem, match="own"):
        review_request(user=owner, incident=complete, people=[owner])
    with pytest.raises(ValidationProblem, match="at least one"):
        review_request(user=owner, incident=complete)
    # A person who may not see a restricted post-mortem is refused, not silently added.
    with pytest.raises(ValidationProblem, match="may not see"):
        review_request(user=owner, incident=restricted_incident, people=[outsider])
    assert not ReviewRequest.objects.exists()
    # Viewers may review (they read and comment) but not ask for a review.
    with pytest.raises(PermissionDenied):
        review_request(user=viewer, incident=complete, people=[teammate])
    review_request(user=owner, incident=complete, people=[viewer])


def test_publishing_needs_approval_and_a_settled_checklist(incident, owner, teammate):
    with pytest.raises(ValidationProblem, match="draft cannot be published"):
        workflow_publish(user=owner, incident=incident)
    review_request(user=owner, incident=incident, people=[teammate])
    approved = review_decide(user=teammate, incident=incident, decision="approved")
    checklist = incident_checklist(approved)
    assert not checklist.passed  # the fixture's incident has only a summary
    with pytest.raises(ValidationProblem, match="open problem"):
        workflow_publish(user=owner, incident=approved)
    for check in checklist.checks:
        for problem in check.problems:
            waiver_add(user=owner, incident=approved, problem_key=problem.key, reason="Seed data.")
    assert incident_checklist(approved).passed
    assert workflow_publish(user=owner, incident=approved).status == "published"
    assert _actions(incident).count("waive") == checklist.open_count


def test_a_waiver_needs_a_reason_and_an_open_problem(incident, owner, viewer):
    problem = incident_checklist(incident).checks[0].problems[0]
    with pytest.raises(ValidationProblem):
        waiver_add(user=owner, incident=incident, problem_key=problem.key, reason="  ")
    with pytest.raises(ValidationProblem, match="not open"):
        waiver_add(user=owner, incident=incident, problem_key="template/nope", reason="x")
    with pytest.raises(PermissionDenied):
        waiver_add(user=viewer, incident=incident, problem_key=problem.key, reason="x")
    waiver = waiver_add(user=owner, incident=incident, problem_key=problem.key, reason="Later.")
    assert waiver.waived_by == owner and waiver.check_key == "template"
    with pytest.raises(ValidationProblem, match="not open"):
        waiver_add(user=owner, incident=incident, problem_key=problem.key, reason="again")
    waiver_remove(user=owner, waiver=waiver)
    assert problem.key in {p.key for c in incident_checklist(incident).checks for p in c.problems}


def test_sending_back_needs_a_reason_and_restarts_the_decisions(complete, owner, teammate):
    review_request(user=owner, incident=complete, people=[teammate])
    approved = review_decide(user=teammate, incident=complete, decision="approved")
    with pytest.raises(ValidationProblem):
        workflow_send_back(user=owner, incident=approved, reason="")
    draft = workflow_send_back(user=owner, incident=approved, reason="The timeline is wrong.")
    assert draft.status == "draft"
    assert ReviewRequest.objects.get().decision == "pending"
    entry = AuditEntry.objects.filter(incident=complete, action="status").latest("id")
    assert entry.detail == {"from": "approved", "to": "draft", "reason": "The timeline is wrong."}
    with pytest.raises(ValidationProblem):
        workflow_send_back(user=owner, incident=draft, reason="again")


def test_a_move_is_decided_on_the_stored_status_not_a_stale_copy(complete, owner, teammate):
    review_request(user=owner, incident=complete, people=[teammate])
    review_decide(user=teammate, incident=complete, decision="approved")
    stale = type(complete).objects.get(pk=complete.pk)  # read as approved by a second page
    workflow_send_back(user=owner, incident=complete, reason="Not yet.")
    with pytest.raises(ValidationProblem, match="draft cannot be published"):
        workflow_publish(user=owner, incident=stale)
    stale.refresh_from_db()
    assert stale.status == "draft"


def test_the_existing_publish_path_keeps_working_and_is_audited(incident, owner, outsider):
    published = pm.incident_update(
        user=owner, incident=incident, version=incident.version, status="published"
    )
    assert published.status == "published"
    restricted = pm.incident_update(
        user=owner,
        incident=published,
        version=published.version,
        is_restricted=True,
        members=[outsider],
    )
    pm.incident_delete(user=owner, incident=restricted)
    entries = list(AuditEntry.objects.order_by("id").values_list("action", "incident_ref"))
    ref = f"INC-{incident.pk}"
    assert entries == [
        ("create", ref),
        ("publish", ref),
        ("restrict", ref),
        ("access", ref),
        ("delete", ref),
    ]
    access = AuditEntry.objects.get(action="access")
    assert access.detail == {"members": {"from": [], "to": ["mallory"]}}
    assert AuditEntry.objects.get(action="delete").incident is None  # kept after the delete
