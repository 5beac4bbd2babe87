from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kintsugi.teams.models import Membership, Team
from tests.api.conftest import XSS, assert_csrf_refused, assert_refused_anonymous, error_of

TEAM = {"name": "Storage", "slug": "storage", "description": "Databases and queues."}


def endpoints() -> list[tuple[str, str]]:
    return [
        ("get", "/teams"),
        ("post", "/teams"),
        ("get", "/teams/platform"),
        ("patch", "/teams/platform"),
        ("delete", "/teams/platform"),
    ]


def test_it_refuses_anonymous_callers_everywhere(api, team):
    for method, path in endpoints():
        assert_refused_anonymous(api, method, path)


def test_it_refuses_browser_writes_without_the_csrf_token(browser, admin_user, team):
    session = browser(admin_user)
    for method, path in endpoints():
        if method != "get":
            assert_csrf_refused(session, method, path, TEAM)
    assert Team.objects.count() == 1


def test_it_lets_everyone_read_teams_with_members(api, viewer, owner, teammate, team):
    body = api.get("/teams", user=viewer).json()
    assert body["count"] == 1
    assert body["results"][0]["members"] == [
        {"username": "alice", "role": "admin", "is_lead": True},
        {"username": "bob", "role": "editor", "is_lead": False},
    ]
    Membership.objects.filter(user=teammate).update(read_only=True)
    (bob,) = [
        m
        for m in api.get("/teams/platform", user=viewer).json()["members"]
        if m["username"] == "bob"
    ]
    assert bob == {"username": "bob", "role": "viewer", "is_lead": False}
    assert api.get("/teams/platform", user=viewer).json()["name"] == "Platform"
    missing = api.get("/teams/nope", user=viewer)
    assert missing.status_code == 404
    assert error_of(missing)["code"] == "not_found"


def test_it_refuses_writes_from_non_admins(api, owner, viewer, team):
    for user in (owner, viewer):
        for method, path in endpoints():
            if method != "get":
                response = api.call(method, path, user=user, json=TEAM)
                assert response.status_code == 403, (user, method, path, response.content)
        assert api.post("/teams", user=user, json={"name": 5}).status_code == 403
    assert Team.objects.count() == 1


def test_it_lets_admins_create_update_and_delete(api, admin_user, team):
    created = api.post("/teams", user=admin_user, json=TEAM)
    assert created.status_code == 201, created.content
    assert created.json()["slug"] == "storage"
    updated = api.patch("/teams/storage", user=admin_user, json={"description": XSS})
    assert updated.json()["description"] == XSS
    assert api.delete("/teams/storage", user=admin_user).status_code == 204
    assert not Team.objects.filter(slug="storage").exists()


def test_it_refuses_bad_team_fields(api, admin_user, team):
    clash = api.post("/teams", user=admin_user, json={**TEAM, "slug": "platform"})
    assert clash.status_code == 422
    assert "already used" in error_of(clash)["fields"]["slug"][0]
    bad_slug = api.post("/teams", user=admin_user, json={**TEAM, "slug": "no spaces"})
    assert "slug" in error_of(bad_slug)["fields"]
    too_long = api.post("/teams", user=admin_user, json={**TEAM, "name": "x" * 101})
    assert "name" in error_of(too_long)["fields"]
    malformed = api.post("/teams", user=admin_user, body="{")
    assert error_of(malformed)["code"] == "malformed_json"


def test_it_lists_with_a_constant_number_of_queries(browser, make_user, viewer):
    session = browser(viewer)

    def add(start: int, count: int) -> None:
        for number in range(start, start + count):
            team = Team.objects.create(name=f"T{number}", slug=f"t{number}")
            Membership.objects.create(team=team, user=make_user(f"user{number}"))

    add(0, 3)
    with CaptureQueriesContext(connection) as few:
        assert session.get("/teams").json()["count"] == 3
    add(3, 27)
    with CaptureQueriesContext(connection) as many:
        assert len(session.get("/teams").json()["results"]) == 30
    assert len(few) == len(many)
