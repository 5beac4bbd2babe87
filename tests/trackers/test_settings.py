"""``/settings/trackers/``: leads and admins add connections and map accounts."""

from __future__ import annotations

import pytest
from django.test import Client

from kintsugi.trackers.models import AccountMapping, TrackerConnection

URL = "/settings/trackers/"


def _client(user):
    client = Client()
    client.force_login(user)
    return client


NEW = {
    "action": "create",
    "kind": "github",
    "name": "ops",
    "project": "acme/ops",
    "token_env": "KINTSUGI_GITHUB_TOKEN",
}


def test_a_lead_adds_a_connection_and_sees_the_secret_once(owner, team):
    client = _client(owner)
    answer = client.post(URL, {**NEW, "team": team.pk})
    assert answer.status_code == 200
    connection = TrackerConnection.objects.get()
    body = answer.content.decode()
    assert connection.webhook_secret in body and answer["Cache-Control"] == "no-store"
    assert f"/hooks/trackers/github/{connection.pk}/" in body
    assert connection.webhook_secret not in client.get(URL).content.decode()


@pytest.mark.parametrize(
    "change,field",
    [
        ({"token_env": "ghp_0123456789abcdef"}, "environment variable"),
        ({"project": "../x"}, "owner/repository"),
        ({"name": "<script>"}, "A name is"),
        ({"api_url": "file:///etc/passwd"}, "http"),
        ({"kind": "jira"}, "Select a valid choice"),
        ({"project": "a/" + "b" * 400}, "at most 300"),
    ],
)
def test_bad_input_is_said_and_nothing_is_saved(owner, team, change, field):
    answer = _client(owner).post(URL, {**NEW, "team": team.pk, **change})
    assert answer.status_code == 422
    assert field in answer.content.decode()
    assert "<script>" not in answer.content.decode().split("<main", 1)[1].replace(
        "&lt;script&gt;", ""
    )
    assert not TrackerConnection.objects.exists()


def test_a_lead_cannot_add_for_another_team(owner, team):
    from kintsugi.teams.models import Team

    other = Team.objects.create(name="Other", slug="other")
    answer = _client(owner).post(URL, {**NEW, "team": other.pk})
    assert answer.status_code == 422 and not TrackerConnection.objects.exists()


def test_members_who_do_not_lead_and_others_are_refused(teammate, outsider, viewer):
    for person in (teammate, outsider, viewer):
        assert _client(person).get(URL).status_code == 403
    assert Client().get(URL).status_code == 302


def test_a_lead_maps_an_account(owner, team, teammate):
    client = _client(owner)
    client.post(URL, {**NEW, "team": team.pk})
    connection = TrackerConnection.objects.get()
    answer = client.post(
        URL, {"action": "map", "connection": connection.pk, "account": "bobby", "username": "bob"}
    )
    assert answer.status_code == 200 and "bobby → bob" in answer.content.decode()
    assert AccountMapping.objects.get().user == teammate
    bad = client.post(
        URL, {"action": "map", "connection": connection.pk, "account": "x", "username": "nobody"}
    )
    assert bad.status_code == 422 and "no active user" in bad.content.decode()
    other = client.post(
        URL, {"action": "map", "connection": 999, "account": "x", "username": "bob"}
    )
    assert other.status_code == 422 and AccountMapping.objects.count() == 1
