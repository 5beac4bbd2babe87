"""Jira Cloud and Jira Data Center against the loopback Jira (tests/trackers/fake_jira.py):
create, link, sync both ways, webhooks, faults and access, in both flavours."""

from __future__ import annotations

import base64
import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.trackers.jira import adf_text
from kintsugi.postmortems.models import ActionItem
from kintsugi.postmortems.services.action_items import action_item_add, action_item_update
from kintsugi.trackers.models import AccountMapping, JobState, SyncJob, TicketLink, WebhookDelivery
from kintsugi.trackers.services.tickets import ticket_create, ticket_link, ticket_retry
from tests.trackers.conftest import post_hook, run_worker
from tests.trackers.fake_jira import EMAIL, serve
from tests.trackers.fakes import TOKEN

ENV = "KINTSUGI_TEST_JIRA_TOKEN"


@pytest.fixture(params=["jira_cloud", "jira_dc"])
def jira(request, monkeypatch):
    with serve(request.param, monkeypatch, ENV) as server:
        yield server


def connect_jira(jira, team, name="ops-jira"):
    from kintsugi.trackers.services.connections import connection_create

    return connection_create(
        user=None, team=team, kind=jira.kind, name=name, project="OPS", token_env=ENV,
        base_url=jira.url,
    )  # fmt: skip


@pytest.fixture
def connection(jira, team):
    return connect_jira(jira, team)


def _fresh(item):
    return ActionItem.objects.get(pk=item.pk)


def _later(minutes=20):
    return timezone.now() + timedelta(minutes=minutes)


@pytest.fixture
def linked(jira, connection, item, owner):
    ticket_create(user=owner, item=item)
    assert run_worker() == "1 synced, 0 failed"
    return item


# -- create ---------------------------------------------------------------------------------


def test_it_creates_an_issue_with_a_link_back_priority_and_due_date(jira, linked):
    fields = jira.fields(1)
    assert fields["summary"] == linked.title
    assert fields["labels"] == ["kintsugi"]
    assert fields["priority"] == {"name": "High"}
    assert fields["duedate"] == linked.due_on.isoformat()
    back = f"/incidents/{linked.incident_id}/"
    if jira.cloud:  # an ADF document, the link as a link mark
        doc = fields["description"]
        assert doc["type"] == "doc" and doc["version"] == 1
        marks = [
            m["attrs"]["href"]
            for p in doc["content"]
            for node in p["content"]
            for m in node.get("marks", [])
        ]
        assert any(back in href for href in marks)
        assert "Trip after 5 errors" in adf_text(doc) and "<!--" not in adf_text(doc)
    else:  # wiki text: [title|url]
        assert f"{back}]" in fields["description"] and "|http" in fields["description"]
        assert "<!--" not in fields["description"]
    stored = _fresh(linked)
    assert stored.ticket_id == "OPS-1"
    assert stored.ticket_url == f"{jira.url}/browse/OPS-1"
    link = TicketLink.objects.get()
    assert link.key == "OPS-1" and link.sync_error == ""


def test_the_token_is_sent_as_each_flavour_expects(jira, connection, item, owner, monkeypatch):
    ticket_create(user=owner, item=item)
    if jira.cloud:
        monkeypatch.setenv(ENV, TOKEN)  # no email: said plainly, nothing sent
        run_worker()
        assert "email:api-token" in TicketLink.objects.get().sync_error
        assert jira.requests == []
    else:
        monkeypatch.setenv(ENV, "wrong")
        run_worker()
        link = TicketLink.objects.get()
        assert "401" in link.sync_error and "not authenticated" in link.sync_error
    assert SyncJob.objects.get().state == JobState.FAILED
    monkeypatch.setenv(ENV, f"{EMAIL}:{TOKEN}" if jira.cloud else TOKEN)
    ticket_retry(user=owner, link=TicketLink.objects.get())
    assert run_worker() == "1 synced, 0 failed" and len(jira.issues) == 1


def test_a_create_screen_without_priority_still_creates(jira, connection, item, owner):
    jira.refuse_fields = {"priority", "duedate"}
    ticket_create(user=owner, item=item)
    assert run_worker() == "1 synced, 0 failed"
    posts = [r for r in jira.requests if r[0] == "POST"]
    assert len(posts) == 2 and "priority" not in posts[1][2]["fields"]
    assert len(jira.issues) == 1


def test_a_lost_create_answer_finds_the_issue_by_its_marker(jira, connection, item, owner):
    from kintsugi.trackers import providers
    from kintsugi.trackers.services import sync

    ticket_create(user=owner, item=item)
    jira.faults.append(("after", 1.5))  # Jira creates it; the answer comes too late
    original = sync.provider_for
    sync.provider_for = lambda c, timeout=10.0: providers.provider_for(c, timeout=0.5)
    try:
        assert run_worker() == "0 synced, 1 failed"
        assert len(jira.issues) == 1 and "did not answer" in TicketLink.objects.get().sync_error
        assert run_worker(_later(5)) == "1 synced, 0 failed"
    finally:
        sync.provider_for = original
    assert len(jira.issues) == 1
    assert _fresh(item).ticket_id == "OPS-1"
    searches = [r for r in jira.requests if "search" in r[1]]
    assert searches and "labels" in searches[0][1]


@pytest.mark.parametrize(
    "status,headers", [(429, {"Retry-After": "120"}), (500, {}), (503, {"Retry-After": "40"})]
)
def test_limits_and_outages_wait_and_retry(jira, connection, item, owner, status, headers):
    ticket_create(user=owner, item=item)
    jira.faults.append((status, headers))
    now = timezone.now()
    assert run_worker(now) == "0 synced, 1 failed"
    job = SyncJob.objects.get()
    assert job.state == JobState.WAITING
    wait = 120 if status == 429 else 30
    assert job.next_attempt_at >= now + timedelta(seconds=wait)
    assert run_worker(now + timedelta(seconds=10)) == "0 synced, 0 failed"
    assert run_worker(now + timedelta(hours=1)) == "1 synced, 0 failed"
    assert len(jira.issues) == 1 and TicketLink.objects.get().sync_error == ""


def test_a_429_stops_the_connection_for_the_pass(jira, connection, owner, incident):
    for n in range(3):
        ticket_create(
            user=owner, item=action_item_add(user=owner, incident=incident, title=f"I{n}")
        )
    jira.faults.append((429, {"Retry-After": "60"}))
    assert run_worker() == "0 synced, 1 failed"
    assert len(jira.requests) == 1


# -- from Jira ------------------------------------------------------------------------------


def test_done_in_jira_is_done_by_polling(jira, connection, linked):
    jira.change(1, status="Done", summary="Circuit breaker on the payment client", by="Jo Jira")
    before = len(jira.requests)
    assert run_worker(_later()) == "0 synced, 0 failed, 1 updated by the poll"
    assert len(jira.requests) == before + 1  # one search, however many items are linked
    stored = _fresh(linked)
    assert stored.status == "done" and stored.completed_at is not None
    assert stored.title == "Circuit breaker on the payment client"
    assert TicketLink.objects.get().closed_by == "Jo Jira"  # from the changelog


def test_wont_do_in_jira_is_wont_do(jira, connection, linked):
    jira.change(1, status="Won't Do")
    run_worker(_later())
    assert _fresh(linked).status == "wont_do"


def test_the_poll_pages_through_many_changes(jira, connection, owner, incident, monkeypatch):
    from kintsugi.trackers.providers import jira as module

    monkeypatch.setattr(module.Jira, "writes_per_minute", 1000)
    for n in range(105):
        ticket_create(
            user=owner, item=action_item_add(user=owner, incident=incident, title=f"I{n}")
        )
    assert run_worker().startswith("105 synced")
    for number in jira.issues:
        jira.change(number, status="Done")
    before = len(jira.requests)
    assert run_worker(_later()) == "0 synced, 0 failed, 105 updated by the poll"
    pages = jira.requests[before:]
    assert len(pages) == 2  # two pages of 100, not 105 reads
    if jira.cloud:
        assert "nextPageToken=page-100" in pages[1][1]
    else:
        assert "startAt=100" in pages[1][1]
    assert incident.action_items.filter(status="done").count() == 105


def test_a_due_date_change_in_jira_comes_back(jira, connection, linked):
    jira.change(1, duedate="2027-01-15")
    run_worker(_later())
    assert _fresh(linked).due_on == date(2027, 1, 15)


def test_the_assignee_maps_by_email_then_by_the_table(jira, connection, linked, teammate):
    jira.people[0]["emailAddress"] = teammate.email
    jira.change(1, assignee=jira.people[0])
    run_worker(_later())
    assert _fresh(linked).owner_id == teammate.pk
    account = "557058:f58131cb" if jira.cloud else "stranger"
    AccountMapping.objects.create(connection=connection, account=account, user=teammate)
    item = _fresh(linked)
    action_item_update(user=None, item=item, version=item.version, owner=None)
    jira.change(1, assignee=jira.people[1], summary="Reassigned")
    run_worker(_later(40))
    assert _fresh(linked).owner_id == teammate.pk


def test_an_unmapped_assignee_is_kept_and_shown(jira, connection, linked):
    jira.change(1, assignee=jira.people[1])
    run_worker(_later())
    assert _fresh(linked).owner_id is None
    expected = "557058:f58131cb" if jira.cloud else "stranger"
    assert TicketLink.objects.get().remote_assignee == expected


# -- to Jira --------------------------------------------------------------------------------


def test_changes_in_kintsugi_reach_jira_with_a_transition(jira, connection, linked, owner):
    stored = _fresh(linked)
    new_due = stored.due_on + timedelta(days=3)
    action_item_update(
        user=owner, item=stored, version=stored.version, title="Renamed", status="done",
        due_on=new_due, due_reason="Waiting for the vendor.",
    )  # fmt: skip
    assert run_worker() == "1 synced, 0 failed"
    fields = jira.fields(1)
    assert fields["summary"] == "Renamed"
    assert fields["status"]["name"] == "Done"
    assert fields["duedate"] == new_due.isoformat()
    posts = [r for r in jira.requests if r[0] == "POST" and r[1].endswith("/transitions")]
    assert posts == [("POST", f"{jira.api}/issue/OPS-1/transitions", {"transition": {"id": "31"}})]
    assert run_worker() == "0 synced, 0 failed"


def test_a_workflow_without_a_way_to_done_is_said_on_the_row(jira, connection, linked, owner):
    jira.workflow = {"21": "In Progress"}
    stored = _fresh(linked)
    action_item_update(user=owner, item=stored, version=stored.version, status="done")
    assert run_worker() == "0 synced, 1 failed"
    link = TicketLink.objects.get()
    assert "No transition of OPS-1 leads to Done" in link.sync_error
    assert SyncJob.objects.get(kind="push").state == JobState.FAILED  # not retried blindly
    assert jira.fields(1)["status"]["name"] == "To Do"


def test_a_failed_poll_is_kept_and_tried_again(jira, connection, linked):
    from kintsugi.trackers.models import TrackerConnection

    jira.change(1, status="Done")
    jira.faults.append((502, {}))
    later = _later()
    run_worker(later)
    stored = TrackerConnection.objects.get()
    assert "502" in stored.poll_error and stored.last_polled_at < later
    run_worker(later + timedelta(seconds=1))
    assert TrackerConnection.objects.get().poll_error == ""
    assert _fresh(linked).status == "done"


def test_wont_do_in_kintsugi_takes_the_wont_do_transition(jira, connection, linked, owner):
    stored = _fresh(linked)
    action_item_update(
        user=owner, item=stored, version=stored.version, status="wont_do",
        status_reason="Superseded by the new client.",
    )  # fmt: skip
    run_worker()
    assert jira.fields(1)["status"]["name"] == "Won't Do"


def test_a_conflict_keeps_jiras_value_and_says_so(jira, connection, linked, owner):
    stored = _fresh(linked)
    action_item_update(user=owner, item=stored, version=stored.version, title="Ours")
    jira.change(1, summary="Theirs")
    run_worker()
    assert _fresh(linked).title == "Theirs"
    assert "title changed on both sides" in TicketLink.objects.get().conflict


# -- link -----------------------------------------------------------------------------------


def test_it_links_an_existing_issue_by_key_or_browse_url(jira, connection, item, owner, teammate):
    jira.create({"fields": {"project": {"key": "OPS"}, "summary": "Existing",
                            "description": {"type": "doc", "version": 1, "content": []}
                            if jira.cloud else ""}})  # fmt: skip
    ticket_link(user=owner, item=item, reference=f"{jira.url}/browse/OPS-1")
    stored = _fresh(item)
    assert stored.ticket_id == "OPS-1" and stored.title == "Existing"


@pytest.mark.parametrize(
    "reference",
    ["", "OPS", "OTHER-1", "OPS-x", "https://evil.test/browse/OPS-1", "javascript:alert(1)",
     "OPS-1 OR 1=1", "1" * 600],
)  # fmt: skip
def test_it_refuses_references_outside_the_connection(jira, connection, item, owner, reference):
    with pytest.raises(ValidationProblem):
        ticket_link(user=owner, item=item, reference=reference)
    assert not TicketLink.objects.exists()


def test_a_browse_url_of_another_site_is_refused(jira, connection, item, owner):
    with pytest.raises(ValidationProblem):
        ticket_link(user=owner, item=item, reference="https://other.atlassian.net/browse/OPS-1")


def test_it_says_when_the_issue_does_not_exist(jira, connection, item, owner):
    with pytest.raises(ValidationProblem, match="does not exist"):
        ticket_link(user=owner, item=item, reference="ops-77")


# -- webhooks -------------------------------------------------------------------------------


def test_a_signed_webhook_marks_the_item_done_with_who_and_when(client, jira, connection, linked):
    jira.change(1, status="Done")
    body, headers = jira.hook(1, connection.webhook_secret, user="Jo Jira", status_changed=True)
    answer = post_hook(client, connection, body, headers)
    assert answer.status_code == 200, answer.content
    assert answer.json()["applied"] == "OPS-1"
    stored = _fresh(linked)
    assert stored.status == "done" and stored.completed_at is not None
    assert stored.ticket_link.closed_by == "Jo Jira"


def test_a_replayed_webhook_is_answered_as_a_duplicate(client, jira, connection, linked):
    jira.change(1, status="Done")
    body, headers = jira.hook(1, connection.webhook_secret, status_changed=True)
    assert post_hook(client, connection, body, headers).status_code == 200
    version = _fresh(linked).version
    for _ in range(2):
        again = post_hook(client, connection, body, headers)
        assert again.status_code == 200 and "duplicate" in again.json()
    assert _fresh(linked).version == version
    assert WebhookDelivery.objects.count() == 1


@pytest.mark.parametrize("wrong", ["", "sha256=00", "nonsense", "sha256=" + "a" * 64])
def test_a_bad_signature_changes_nothing(client, jira, connection, linked, wrong):
    jira.change(1, status="Done")
    body, headers = jira.hook(1, connection.webhook_secret, status_changed=True)
    headers["X-Hub-Signature"] = wrong
    answer = post_hook(client, connection, body, headers)
    assert answer.status_code == 401
    assert _fresh(linked).status == "open" and not WebhookDelivery.objects.exists()


def test_a_body_changed_after_signing_is_refused(client, jira, connection, linked):
    jira.change(1, status="Done")
    body, headers = jira.hook(1, connection.webhook_secret)
    tampered = body.replace(b'"Done"', b'"To Do"', 1)
    assert post_hook(client, connection, tampered, headers).status_code == 401


def test_a_github_style_header_does_not_pass_for_jira(client, jira, connection, linked):
    body, headers = jira.hook(1, connection.webhook_secret)
    headers["X-Hub-Signature-256"] = headers.pop("X-Hub-Signature")
    assert post_hook(client, connection, body, headers).status_code == 401


@pytest.mark.parametrize(
    "payload",
    [b"not json", b"[]", b'{"webhookEvent": "jira:issue_updated", "issue": {"key": "x"}}',
     b'{"webhookEvent": "jira:issue_updated", "issue": 5}'],
)  # fmt: skip
def test_hostile_payloads_get_a_clear_refusal(client, jira, connection, linked, payload):
    from kintsugi.core.trackers.jira import jira_signature

    headers = {"X-Hub-Signature": jira_signature(payload, connection.webhook_secret)}
    answer = post_hook(client, connection, payload, headers)
    assert answer.status_code == 400 and answer.json()["error"]
    assert _fresh(linked).status == "open"


def test_other_events_and_unlinked_issues_are_acknowledged(client, jira, connection, linked):
    from kintsugi.core.trackers.jira import jira_signature

    body = json.dumps({"webhookEvent": "comment_created", "comment": {"body": "hi"}}).encode()
    headers = {"X-Hub-Signature": jira_signature(body, connection.webhook_secret)}
    assert post_hook(client, connection, body, headers).status_code == 202
    jira.create({"fields": {"project": {"key": "OPS"}, "summary": "Not ours",
                            "description": {"type": "doc", "version": 1, "content": []}
                            if jira.cloud else ""}})  # fmt: skip
    body, headers = jira.hook(2, connection.webhook_secret, event="jira:issue_created")
    answer = post_hook(client, connection, body, headers)
    assert answer.status_code == 202 and "linked to no action item" in answer.json()["ignored"]


def test_the_webhook_url_of_another_kind_refuses(client, jira, connection, linked):
    body, headers = jira.hook(1, connection.webhook_secret)
    other = "jira_dc" if jira.cloud else "jira_cloud"
    extra = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}
    answer = client.post(
        f"/hooks/trackers/{other}/{connection.pk}/", body, content_type="application/json", **extra
    )
    assert answer.status_code == 401


# -- access and set-up ----------------------------------------------------------------------


def test_a_restricted_incident_uses_only_its_teams_jira(jira, owner, restricted_incident):
    from kintsugi.teams.models import Team

    other = Team.objects.create(name="Other", slug="other")
    connect_jira(jira, other, name="other-jira")
    secret = action_item_add(user=owner, incident=restricted_incident, title="Rotate the key")
    with pytest.raises(ValidationProblem, match="no tracker connection"):
        ticket_create(user=owner, item=secret)
    run_worker()
    assert jira.issues == {} and jira.requests == []


@pytest.mark.parametrize(
    "project,base_url,field",
    [("ops", "https://acme.atlassian.net", "project"), ("acme/ops", "https://a.test", "project"),
     ("OPS", "", "base_url"), ("OPS", "ftp://acme.test", "base_url"),
     ("OPS", "https://user:pw@acme.atlassian.net", "base_url")],
)  # fmt: skip
def test_a_jira_connection_needs_a_key_and_a_site(team, project, base_url, field):
    from kintsugi.trackers.services.connections import connection_create

    with pytest.raises(ValidationProblem) as refused:
        connection_create(
            user=None, team=team, kind="jira_cloud", name="j", project=project, token_env=ENV,
            base_url=base_url,
        )  # fmt: skip
    assert refused.value.field == field


def test_basic_auth_is_email_and_token(jira, connection):
    from kintsugi.trackers.providers import provider_for

    provider = provider_for(connection)
    sent = provider.http.headers["Authorization"]  # type: ignore[attr-defined]
    if jira.cloud:
        assert sent == "Basic " + base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode()
    else:
        assert sent == f"Bearer {TOKEN}"
