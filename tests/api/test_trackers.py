"""/api/v1 for trackers (issue 17): connections (team-scoped), create / link / sync an
item's ticket, its sync state. Through real HTTP to the loopback GitHub and GitLab."""

from __future__ import annotations

import pytest
from django.db import connection as database
from django.test.utils import CaptureQueriesContext

from kintsugi.postmortems.models import ActionItem
from kintsugi.postmortems.services.action_items import action_item_add
from kintsugi.trackers.models import SyncJob, TicketLink, TrackerConnection
from tests.api.conftest import XSS, assert_csrf_refused, assert_refused_anonymous, error_of
from tests.trackers.conftest import connection as connection  # noqa: F401 - fixtures
from tests.trackers.conftest import fake as fake  # noqa: F401
from tests.trackers.conftest import item as item  # noqa: F401
from tests.trackers.conftest import run_worker
from tests.trackers.conftest import token_env as token_env  # noqa: F401


def _ticket(item_id):
    return f"/action-items/{item_id}/ticket"


def _other_team_connection(make_user):
    from kintsugi.teams.models import Team

    other = Team.objects.create(name="Other", slug="other")
    member = make_user("othermember")
    other.memberships.create(user=member)
    TrackerConnection.objects.create(
        team=other, kind="gitlab", name="other-gl", base_url="https://gitlab.com/api/v4",
        web_url="https://gitlab.com", project="o/p", token_env="X_TOKEN", webhook_secret="s" * 40,
    )  # fmt: skip
    return member


def test_connections_are_team_scoped_and_show_no_secret(
    api, connection, owner, teammate, outsider, admin_user, make_user
):
    member = _other_team_connection(make_user)
    names = {
        user.username: [row["name"] for row in api.get("/trackers/connections", user=user).json()["results"]]
        for user in (owner, teammate, outsider, admin_user, member)
    }  # fmt: skip
    assert names[owner.username] == names[teammate.username] == [connection.name]
    assert names[outsider.username] == []
    assert names[member.username] == ["other-gl"]
    assert sorted(names[admin_user.username]) == sorted([connection.name, "other-gl"])
    answer = api.get("/trackers/connections", user=admin_user, params={"team": "other"})
    assert [row["name"] for row in answer.json()["results"]] == ["other-gl"]
    raw = api.get("/trackers/connections", user=owner).content.decode()
    assert connection.webhook_secret not in raw and connection.token_env not in raw
    assert '"token": "environment"' in raw or '"token":"environment"' in raw


def test_listing_costs_the_same_queries_for_1_or_12_connections(api, admin_user, team):
    def listed():
        api.get("/trackers/connections", user=admin_user)
        with CaptureQueriesContext(database) as queries:
            assert api.get("/trackers/connections", user=admin_user).status_code == 200
        return len(queries)

    def make(n):
        TrackerConnection.objects.create(
            team=team, kind="github", name=f"c{n}", base_url="https://api.github.com",
            web_url="https://github.com", project="a/b", token_env="X", webhook_secret="s" * 40,
        )  # fmt: skip

    make(0)
    one = listed()
    for n in range(1, 12):
        make(n)
    assert listed() == one


@pytest.mark.parametrize("params", [{"team": "x" * 101}, {"limit": "-1"}, {"offset": "abc"}])
def test_bad_list_parameters_are_refused(api, owner, params):
    assert api.get("/trackers/connections", user=owner, params=params).status_code == 422


def test_create_then_read_the_state_through_the_worker(api, fake, connection, item, owner):
    assert api.get(_ticket(item.pk), user=owner).json()["state"] == "none"
    answer = api.post(_ticket(item.pk), user=owner)
    assert answer.status_code == 202, answer.content
    assert answer.json()["state"] == "creating" and answer.json()["queued"] == 1
    api.post(_ticket(item.pk), user=owner)  # asking twice is the same job
    assert SyncJob.objects.count() == 1
    run_worker()
    state = api.get(_ticket(item.pk), user=owner).json()
    assert state["state"] == "synced" and state["key"] == "1" and state["jobs_waiting"] == 0
    assert state["connection"] == connection.name and state["url"].endswith("/1")
    again = api.post(_ticket(item.pk), user=owner)
    assert again.status_code == 422 and "ticket already" in error_of(again)["message"]


def test_a_failed_sync_is_shown_and_sync_retries_it(
    api, fake, connection, item, owner, monkeypatch
):
    monkeypatch.setenv(connection.token_env, "wrong")
    api.post(_ticket(item.pk), user=owner)
    run_worker()
    state = api.get(_ticket(item.pk), user=owner).json()
    assert state["state"] == "failed" and "401" in state["sync_error"]
    monkeypatch.setenv(connection.token_env, "fake-token-0123456789")
    answer = api.post(_ticket(item.pk) + "/sync", user=owner)
    assert answer.status_code == 202 and answer.json()["queued"] == 1
    run_worker()
    assert api.get(_ticket(item.pk), user=owner).json()["state"] == "synced"


def test_sync_reads_the_ticket_and_applies_it(api, fake, connection, item, owner):
    api.post(_ticket(item.pk), user=owner)
    run_worker()
    fake.change(1, title="Renamed in the tracker")
    first = api.post(_ticket(item.pk) + "/sync", user=owner)
    second = api.post(_ticket(item.pk) + "/sync", user=owner)
    assert first.json()["queued"] == 1 and second.json()["queued"] == 0
    assert first.json()["jobs_waiting"] == 1
    run_worker()
    answer = api.get(f"/action-items/{item.pk}", user=owner)
    assert answer.json()["title"] == "Renamed in the tracker"


def test_sync_without_a_ticket_says_so(api, fake, connection, item, owner):
    answer = api.post(_ticket(item.pk) + "/sync", user=owner)
    assert answer.status_code == 422 and "no ticket" in error_of(answer)["message"]


def test_link_an_existing_issue(api, fake, connection, item, owner, incident):
    api.post(_ticket(item.pk), user=owner)
    run_worker()
    TicketLink.objects.all().delete()  # issue #1 exists in the tracker, linked to nothing now
    ActionItem.objects.filter(pk=item.pk).update(ticket_id="", ticket_url="")
    other = action_item_add(user=owner, incident=incident, title="Other")
    answer = api.post(_ticket(other.pk) + "/link", user=owner, json={"reference": "#1"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "synced" and answer.json()["key"] == "1"
    taken = api.post(_ticket(item.pk) + "/link", user=owner, json={"reference": "1"})
    assert TicketLink.objects.get(key="1").action_item_id == other.pk
    assert taken.status_code == 422 and "another action item" in error_of(taken)["message"]


@pytest.mark.parametrize(
    "body",
    [
        {"reference": ""},
        {"reference": "x" * 501},
        {"reference": XSS},
        {"reference": "other/repo#1"},
        {"reference": "#999"},
        {"reference": 12},
        {"reference": "#1", "extra": True},
        {},
        [],
    ],
)
def test_bad_references_are_refused_and_nothing_linked(api, fake, connection, item, owner, body):
    answer = api.post(_ticket(item.pk) + "/link", user=owner, json=body)
    assert answer.status_code == 422, (body, answer.content)
    error_of(answer)
    assert "<script>" not in answer.content.decode()
    assert not TicketLink.objects.exists()


@pytest.mark.parametrize(
    "raw,status",
    [("{not json", 400), ("x" * (1024 * 1024 + 10), 413)],
)
def test_malformed_and_oversized_bodies(api, fake, connection, item, owner, raw, status):
    answer = api.post(_ticket(item.pk) + "/link", user=owner, body=raw)
    assert answer.status_code in (status, 422), answer.content[:200]
    error_of(answer)
    assert not TicketLink.objects.exists()


def test_access(api, browser, fake, connection, item, owner, viewer, outsider, restricted_incident):
    for path in ("", "/sync"):
        assert api.post(_ticket(item.pk) + path, user=viewer).status_code == 403
    assert (
        api.post(_ticket(item.pk) + "/link", user=viewer, json={"reference": "#1"}).status_code
        == 403
    )
    assert api.get(_ticket(item.pk), user=viewer).status_code == 200
    hidden = action_item_add(user=owner, incident=restricted_incident, title="Hidden")
    for method, path in (("get", ""), ("post", ""), ("post", "/sync")):
        answer = api.call(method, _ticket(hidden.pk) + path, user=outsider)
        assert answer.status_code == 404 and error_of(answer)["message"] == "No such action item."
    bad = api.post(_ticket(hidden.pk) + "/link", user=outsider, json={"nonsense": 1})
    assert bad.status_code == 404  # not a 422 that would confirm it exists
    assert api.get(_ticket(10**6), user=owner).status_code == 404
    assert api.get("/action-items/0/ticket", user=owner).status_code in (404, 422)
    for method, path in (("get", "/trackers/connections"), ("post", _ticket(item.pk))):
        assert_refused_anonymous(api, method, path)
    assert_csrf_refused(browser(owner), "post", _ticket(item.pk), None)
    assert not SyncJob.objects.exists()


def test_a_team_without_a_tracker(api, item, owner):
    answer = api.post(_ticket(item.pk), user=owner)
    assert answer.status_code == 422 and "no tracker connection" in error_of(answer)["message"]
