"""An owner changed in Kintsugi becomes the ticket's assignee, in every tracker; the
tracker's assignee still wins a conflict, and an owner the tracker does not know is shown."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kintsugi.postmortems.models import ActionItem
from kintsugi.postmortems.services.action_items import action_item_update
from kintsugi.trackers.models import AccountMapping, TicketLink
from kintsugi.trackers.services.tickets import ticket_create
from tests.trackers.conftest import run_worker
from tests.trackers.fake_jira import EMAIL, FakeJira
from tests.trackers.fakes import TOKEN, FakeGitHub, FakeGitLab

ENV = "KINTSUGI_TEST_OWNER_TOKEN"


@pytest.fixture(params=["github", "gitlab", "jira_cloud", "jira_dc"])
def tracker(request, monkeypatch, team):
    from kintsugi.trackers.services.connections import connection_create

    kind = request.param
    monkeypatch.setenv(ENV, f"{EMAIL}:{TOKEN}" if kind == "jira_cloud" else TOKEN)
    server = {"github": FakeGitHub, "gitlab": FakeGitLab}.get(kind)
    fake = server() if server else FakeJira(cloud=kind == "jira_cloud")
    with fake:
        fake.kind = kind
        api = {"gitlab": fake.url + "/api/v4"}.get(kind, fake.url)
        project = "OPS" if kind.startswith("jira") else "acme/ops"
        fake.connection = connection_create(
            user=None, team=team, kind=kind, name="t", project=project, token_env=ENV,
            base_url=api, web_url=fake.web,
        )  # fmt: skip
        yield fake


def known(fake, user):
    """Make ``user`` findable: GitHub by the mapping table, the others by email."""
    if fake.kind == "github":
        AccountMapping.objects.create(connection=fake.connection, account="bobby", user=user)
    elif fake.kind == "gitlab":
        fake.users[0]["public_email"] = user.email
    else:
        fake.people[0]["emailAddress"] = user.email
    return {"jira_cloud": "5b10a2844c20165700ede21g"}.get(fake.kind, "bobby")


def assignee(fake, number=1):
    issue = fake.issues[number]
    if fake.kind == "github":
        return (issue["assignee"] or {}).get("login", "")
    if fake.kind == "gitlab":
        return issue["assignees"][0]["username"] if issue["assignees"] else ""
    person = issue["fields"]["assignee"] or {}
    return person.get("accountId" if fake.cloud else "name", "")


def _fresh(item):
    return ActionItem.objects.get(pk=item.pk)


@pytest.fixture
def linked(tracker, item, owner):
    ticket_create(user=owner, item=item)
    assert run_worker() == "1 synced, 0 failed"
    return item


def test_an_owner_set_in_kintsugi_becomes_the_assignee(tracker, linked, owner, teammate):
    account = known(tracker, teammate)
    item = _fresh(linked)
    action_item_update(user=owner, item=item, version=item.version, owner=teammate)
    assert run_worker() == "1 synced, 0 failed"
    assert assignee(tracker) == account
    assert TicketLink.objects.get().conflict == ""
    assert run_worker(timezone.now() + timedelta(minutes=20)).startswith("0 synced, 0 failed")
    assert _fresh(linked).owner_id == teammate.pk  # the poll reads it back unchanged
    item = _fresh(linked)
    action_item_update(user=owner, item=item, version=item.version, owner=None)
    run_worker()
    assert assignee(tracker) == ""  # no owner: unassigned


def test_a_new_ticket_is_assigned_to_the_items_owner(tracker, item, owner, teammate):
    account = known(tracker, teammate)
    action_item_update(user=owner, item=item, version=item.version, owner=teammate)
    ticket_create(user=owner, item=_fresh(item))
    assert run_worker() == "1 synced, 0 failed"
    assert assignee(tracker) == account and len(tracker.issues) == 1


def test_an_owner_the_tracker_does_not_know_is_shown_not_dropped(tracker, linked, owner, make_user):
    stranger = make_user("carol")
    item = _fresh(linked)
    action_item_update(user=owner, item=item, version=item.version, owner=stranger)
    assert run_worker() == "1 synced, 0 failed"
    assert assignee(tracker) == ""
    assert "owner carol has no account in the tracker" in TicketLink.objects.get().conflict
    assert _fresh(linked).owner_id == stranger.pk  # Kintsugi keeps its owner


def test_both_sides_changed_the_tracker_wins_and_says_so(tracker, linked, owner, teammate):
    account = known(tracker, teammate)
    item = _fresh(linked)
    action_item_update(user=owner, item=item, version=item.version, owner=owner)
    if tracker.kind == "github":
        tracker.change(1, assignee="bobby")
    elif tracker.kind == "gitlab":
        tracker.change(1, assignee={"username": "bobby", "email": teammate.email})
    else:
        tracker.change(1, assignee=tracker.people[0])
    run_worker()
    assert _fresh(linked).owner_id == teammate.pk
    assert "owner changed on both sides" in TicketLink.objects.get().conflict
    assert assignee(tracker) == account
