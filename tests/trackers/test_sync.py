"""Create, link, sync both ways and recover from faults against the loopback trackers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kintsugi.core.errors import ValidationProblem
from kintsugi.postmortems.models import ActionItem
from kintsugi.postmortems.services.action_items import action_item_update
from kintsugi.trackers.models import JobState, SyncJob, TicketLink
from kintsugi.trackers.services.tickets import (
    ticket_create,
    ticket_link,
    ticket_retry,
    tickets_create_missing,
)
from tests.trackers.conftest import run_worker


def _fresh(item):
    return ActionItem.objects.get(pk=item.pk)


def _body(fake, issue):
    return issue.get("body") if fake.kind == "github" else issue.get("description")


def test_it_creates_a_ticket_with_a_link_back_and_labels(fake, connection, item, owner):
    ticket_create(user=owner, item=item)
    assert run_worker() == "1 synced, 0 failed"
    issue = fake.issues[1]
    assert issue["title"] == item.title
    assert f"/incidents/{item.incident_id}/" in _body(fake, issue)
    assert "Trip after 5 errors" in _body(fake, issue)
    labels = [x["name"] if isinstance(x, dict) else x for x in issue["labels"]]
    assert labels == ["kintsugi", "priority:P1"]
    if fake.kind == "gitlab":
        assert issue["due_date"] == item.due_on.isoformat()
    else:
        assert f"Target date: {item.due_on.isoformat()}" in issue["body"]
    stored = _fresh(item)
    assert stored.ticket_id == "#1"
    assert stored.ticket_url == issue.get("html_url") or issue.get("web_url")
    link = TicketLink.objects.get(action_item=item)
    assert link.key == "1" and link.sync_error == "" and link.synced_version == stored.version


def test_it_creates_once_when_asked_twice(fake, connection, item, owner):
    ticket_create(user=owner, item=item)
    ticket_create(user=owner, item=item)
    run_worker()
    with pytest.raises(ValidationProblem, match="has a ticket already"):
        ticket_create(user=owner, item=item)
    assert len(fake.issues) == 1


def test_it_finds_a_created_ticket_whose_answer_was_lost(fake, connection, item, owner, settings):
    from kintsugi.trackers import providers

    ticket_create(user=owner, item=item)
    fake.faults.append(("after", 1.5))  # the tracker creates it, the answer comes too late
    original = providers.provider_for
    try:
        providers.provider_for = lambda c, timeout=10.0: original(c, timeout=0.5)
        import kintsugi.trackers.services.sync as sync

        sync.provider_for = providers.provider_for
        assert run_worker() == "0 synced, 1 failed"
        assert len(fake.issues) == 1
        job = SyncJob.objects.get()
        assert job.state == JobState.WAITING and job.attempts == 1
        assert "did not answer" in TicketLink.objects.get().sync_error
        run_worker(timezone.now() + timedelta(minutes=5))
    finally:
        sync.provider_for = original
    assert len(fake.issues) == 1  # found by its marker, not created again
    assert _fresh(item).ticket_id == "#1"


@pytest.mark.parametrize(
    "status,headers",
    [
        (429, {"Retry-After": "120"}),
        (403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "0"}),
        (500, {}),
        (503, {}),
    ],
)
def test_it_waits_and_retries_on_limits_and_outages(fake, connection, item, owner, status, headers):
    ticket_create(user=owner, item=item)
    fake.faults.append((status, headers))
    now = timezone.now()
    assert run_worker(now) == "0 synced, 1 failed"
    job = SyncJob.objects.get()
    assert job.state == JobState.WAITING
    if status == 429:
        assert job.next_attempt_at >= now + timedelta(seconds=120)
    else:
        assert job.next_attempt_at >= now + timedelta(seconds=30)
    assert TicketLink.objects.get().sync_error
    assert run_worker(now + timedelta(seconds=5)) == "0 synced, 0 failed"  # not yet due
    assert run_worker(now + timedelta(hours=1)) == "1 synced, 0 failed"
    assert len(fake.issues) == 1
    assert TicketLink.objects.get().sync_error == ""


def test_it_gives_up_on_a_bad_token_and_retries_on_demand(
    fake, connection, item, owner, monkeypatch
):
    monkeypatch.setenv(connection.token_env, "wrong")
    ticket_create(user=owner, item=item)
    run_worker()
    job = SyncJob.objects.get()
    assert job.state == JobState.FAILED
    link = TicketLink.objects.get()
    assert "401" in link.sync_error
    monkeypatch.setenv(connection.token_env, "fake-token-0123456789")
    assert ticket_retry(user=owner, link=link) == 1
    run_worker()
    assert SyncJob.objects.get().state == JobState.DONE and len(fake.issues) == 1


def test_done_in_the_tracker_is_done_in_kintsugi_by_polling(fake, connection, item, owner):
    ticket_create(user=owner, item=item)
    run_worker()
    fake.change(1, state="closed", title="Circuit breaker on the payment client")
    assert run_worker(timezone.now() + timedelta(minutes=5)) == "0 synced, 0 failed"  # not yet
    before = len(fake.requests)
    result = run_worker(timezone.now() + timedelta(minutes=20))  # the poll, no webhook
    assert result == "0 synced, 0 failed, 1 updated by the poll"
    assert len(fake.requests) == before + 1  # one list request for every linked ticket
    stored = _fresh(item)
    assert stored.status == "done" and stored.completed_at is not None
    assert stored.title == "Circuit breaker on the payment client"


def test_changes_in_kintsugi_reach_the_ticket(fake, connection, item, owner):
    ticket_create(user=owner, item=item)
    run_worker()
    stored = _fresh(item)
    new_due = stored.due_on + timedelta(days=3)
    action_item_update(
        user=owner, item=stored, version=stored.version, title="Renamed", status="done",
        due_on=new_due, due_reason="Waiting for the vendor.",
    )  # fmt: skip
    assert run_worker() == "1 synced, 0 failed"
    issue = fake.issues[1]
    assert issue["title"] == "Renamed"
    assert issue["state"] == "closed"
    if fake.kind == "github":
        assert issue["state_reason"] == "completed"
        assert f"Target date: {new_due.isoformat()}" in issue["body"]
    else:
        assert issue["due_date"] == new_due.isoformat()
    assert run_worker() == "0 synced, 0 failed"  # nothing left to send


def test_a_conflict_keeps_the_trackers_value_and_says_so(fake, connection, item, owner):
    ticket_create(user=owner, item=item)
    run_worker()
    stored = _fresh(item)
    action_item_update(user=owner, item=stored, version=stored.version, title="Ours")
    fake.change(1, title="Theirs")
    run_worker()
    assert _fresh(item).title == "Theirs"
    link = TicketLink.objects.get()
    assert "title changed on both sides" in link.conflict
    assert fake.issues[1]["title"] == "Theirs"


def test_it_links_an_existing_issue_by_url_or_number(fake, connection, item, owner, teammate):
    path = "/repos/acme/ops/issues" if fake.kind == "github" else "/api/v4/projects/acme/ops/issues"
    fake.route("POST", path, {"title": "Existing"})  # made in the tracker by a person
    who = "bobby" if fake.kind == "github" else {"username": "bobby"}
    fake.change(1, assignee=who)
    from kintsugi.trackers.models import AccountMapping

    AccountMapping.objects.create(connection=connection, account="bobby", user=teammate)
    url = (
        f"{fake.web}/acme/ops/issues/1"
        if fake.kind == "github"
        else f"{fake.web}/acme/ops/-/issues/1"
    )
    ticket_link(user=owner, item=item, reference=url)
    stored = _fresh(item)
    assert stored.ticket_id == "#1" and stored.title == "Existing"
    assert stored.owner_id == teammate.pk
    assert TicketLink.objects.get().remote_assignee == "bobby"


@pytest.mark.parametrize(
    "reference",
    [
        "",
        "abc",
        "#0x1",
        "other/repo#1",
        "https://evil.test/acme/ops/issues/1",
        "javascript:alert(1)",
        "1" * 600,
    ],
)
def test_it_refuses_references_outside_the_connection(fake, connection, item, owner, reference):
    with pytest.raises(ValidationProblem):
        ticket_link(user=owner, item=item, reference=reference)
    assert not TicketLink.objects.exists()


def test_it_says_when_the_issue_does_not_exist(fake, connection, item, owner):
    with pytest.raises(ValidationProblem, match="404"):
        ticket_link(user=owner, item=item, reference="#77")


def test_an_unmapped_assignee_is_kept_and_shown(fake, connection, item, owner):
    ticket_create(user=owner, item=item)
    run_worker()
    who = "stranger" if fake.kind == "github" else {"username": "stranger"}
    fake.change(1, assignee=who)
    run_worker(timezone.now() + timedelta(minutes=20))
    assert _fresh(item).owner_id is None
    assert TicketLink.objects.get().remote_assignee == "stranger"


def test_bulk_creates_for_items_without_a_ticket(fake, connection, item, owner, incident):
    from kintsugi.postmortems.services.action_items import action_item_add

    action_item_add(user=owner, incident=incident, title="Has one", ticket_id="OPS-1")
    action_item_add(user=owner, incident=incident, title="Second")
    assert tickets_create_missing(user=owner, incident=incident) == 2
    run_worker()
    assert sorted(i["title"] for i in fake.issues.values()) == [item.title, "Second"]


def test_only_editors_of_the_incident_create_tickets(
    fake, connection, item, owner, outsider, viewer, restricted_incident
):
    from kintsugi.postmortems.services.action_items import action_item_add

    with pytest.raises(PermissionDenied):
        ticket_create(user=viewer, item=item)
    hidden = action_item_add(user=owner, incident=restricted_incident, title="Hidden")
    with pytest.raises(PermissionDenied):
        ticket_create(user=outsider, item=hidden)
    assert not SyncJob.objects.exists()


def test_a_restricted_incident_uses_only_its_teams_tracker(
    fake, token_env, owner, restricted_incident, make_user
):
    from kintsugi.postmortems.services.action_items import action_item_add
    from kintsugi.teams.models import Team
    from tests.trackers.conftest import connect

    other = Team.objects.create(name="Other", slug="other")
    connect(fake, other, token_env)  # another team's tracker: never chosen for this incident
    secret = action_item_add(
        user=owner, incident=restricted_incident, title="Rotate the leaked key"
    )
    with pytest.raises(ValidationProblem, match="no tracker connection"):
        ticket_create(user=owner, item=secret)
    run_worker()
    assert fake.issues == {}


def test_a_due_date_change_in_gitlab_comes_back(fake, connection, item, owner):
    if fake.kind != "gitlab":
        pytest.skip("GitHub issues have no due date field")
    ticket_create(user=owner, item=item)
    run_worker()
    fake.change(1, due_date="2027-01-15")
    run_worker(timezone.now() + timedelta(minutes=20))
    assert _fresh(item).due_on == date(2027, 1, 15)


def test_a_rate_limit_stops_the_connection_for_the_pass(fake, connection, item, owner, incident):
    from kintsugi.postmortems.services.action_items import action_item_add

    for n in range(3):
        ticket_create(
            user=owner, item=action_item_add(user=owner, incident=incident, title=f"I{n}")
        )
    fake.faults.append((429, {"Retry-After": "60"}))
    assert run_worker() == "0 synced, 1 failed"
    assert len(fake.requests) == 1  # the other two jobs did not call a tracker that said wait
    assert SyncJob.objects.filter(state=JobState.WAITING).count() == 3


def test_the_worker_pass_runs_the_sync(fake, connection, item, owner):
    from kintsugi.core.debt.clock import SystemClock
    from kintsugi.debt.services.worker import run_pass

    ticket_create(user=owner, item=item)

    report = run_pass(clock=SystemClock())
    assert report.steps["trackers"] == "1 synced, 0 failed"
    assert len(fake.issues) == 1


def test_linking_by_hand_cancels_a_waiting_create(fake, connection, item, owner):
    path = "/repos/acme/ops/issues" if fake.kind == "github" else "/api/v4/projects/acme/ops/issues"
    fake.route("POST", path, {"title": "Made by hand"})
    ticket_create(user=owner, item=item)
    ticket_link(user=owner, item=item, reference="#1")
    run_worker()
    assert len(fake.issues) == 1
    assert _fresh(item).ticket_id == "#1"


def test_a_change_kintsugi_cannot_take_is_shown_with_the_reason(fake, connection, item, owner):
    ticket_create(user=owner, item=item)
    run_worker()
    fake.change(1, title="T" * 240)
    run_worker(timezone.now() + timedelta(hours=1))  # the poll reads it
    assert "not applied" in TicketLink.objects.get().sync_error
    assert _fresh(item).title == item.title


def test_the_poll_pages_through_many_changes(fake, connection, owner, incident, monkeypatch):
    from kintsugi.postmortems.services.action_items import action_item_add
    from kintsugi.trackers.providers import github, gitlab

    for cls in (github.GitHub, gitlab.GitLab):
        monkeypatch.setattr(cls, "writes_per_minute", 1000)

    for n in range(105):
        ticket_create(
            user=owner, item=action_item_add(user=owner, incident=incident, title=f"I{n}")
        )
    assert run_worker().startswith("105 synced")
    for number in fake.issues:
        fake.change(number, state="closed")
    before = len(fake.requests)
    result = run_worker(timezone.now() + timedelta(minutes=20))
    assert result == "0 synced, 0 failed, 105 updated by the poll"
    assert len(fake.requests) - before == 2  # two pages of 100, not 105 reads
    assert incident.action_items.filter(status="done").count() == 105


def test_a_failed_poll_is_kept_and_tried_again(fake, connection, item, owner):
    from kintsugi.trackers.models import TrackerConnection

    ticket_create(user=owner, item=item)
    run_worker()
    fake.change(1, state="closed")
    fake.faults.append((502, {}))
    later = timezone.now() + timedelta(minutes=20)
    run_worker(later)
    stored = TrackerConnection.objects.get()
    assert "502" in stored.poll_error and stored.last_polled_at < later
    run_worker(later + timedelta(seconds=1))
    assert TrackerConnection.objects.get().poll_error == ""
    assert _fresh(item).status == "done"


def test_bulk_creates_keep_to_the_trackers_write_limits(
    fake, connection, owner, incident, monkeypatch
):
    from kintsugi.postmortems.services.action_items import action_item_add
    from kintsugi.trackers.providers import github, gitlab

    cls = github.GitHub if fake.kind == "github" else gitlab.GitLab
    monkeypatch.setattr(cls, "writes_per_minute", 2)
    monkeypatch.setattr(cls, "writes_per_hour", 4)
    for n in range(5):
        ticket_create(
            user=owner, item=action_item_add(user=owner, incident=incident, title=f"I{n}")
        )
    now = timezone.now()
    assert run_worker(now) == "2 synced, 0 failed"
    assert run_worker(now + timedelta(seconds=30)) == "0 synced, 0 failed"  # the minute is full
    assert run_worker(now + timedelta(seconds=61)) == "2 synced, 0 failed"
    assert run_worker(now + timedelta(minutes=3)) == "0 synced, 0 failed"  # the hour is full
    assert run_worker(now + timedelta(minutes=61)).startswith("1 synced, 0 failed")
    assert len(fake.issues) == 5


def test_a_secondary_limit_with_only_a_message_waits_a_minute(fake, connection, item, owner):
    """GitHub: a secondary limit may answer 403 with its message and no header; wait at
    least one minute, and never take it for a refusal that is given up on."""
    ticket_create(user=owner, item=item)
    message = "You have exceeded a secondary rate limit. Please wait a few minutes."
    fake.faults.append((403, {}, message))
    now = timezone.now()
    assert run_worker(now) == "0 synced, 1 failed"
    job = SyncJob.objects.get()
    assert job.state == JobState.WAITING
    assert job.next_attempt_at >= now + timedelta(seconds=60)
    assert "rate limited" in TicketLink.objects.get().sync_error
    assert run_worker(now + timedelta(seconds=45)) == "0 synced, 0 failed"  # not yet due
    assert run_worker(now + timedelta(hours=1)) == "1 synced, 0 failed"
    assert len(fake.issues) == 1


def test_a_403_refusal_is_not_retried(fake, connection, item, owner):
    ticket_create(user=owner, item=item)
    fake.faults.append((403, {}, "Resource not accessible by personal access token"))
    assert run_worker(timezone.now()) == "0 synced, 1 failed"
    job = SyncJob.objects.get()
    assert job.state != JobState.WAITING
    assert "HTTP 403" in TicketLink.objects.get().sync_error
