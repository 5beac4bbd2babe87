"""The administration API: the /manage/ pages' actions for scripts, with the pages' rules
(site admins; a team's admins for its members) and every change in the audit log."""

from __future__ import annotations

import pytest

from kintsugi.accounts.models import User
from kintsugi.administration.audit import admin_changes
from kintsugi.teams.models import Membership, Team
from tests.api.conftest import XSS
from tests.reviews.conftest import smtp  # noqa: F401  (the real SMTP server on loopback)


def _changes() -> list[str]:
    return [entry.detail["change"] for entry in admin_changes()]


def test_a_site_admin_invites_into_a_team_and_the_email_goes_out(api, admin_user, team, smtp):  # noqa: F811
    answer = api.post(
        "/admin/invitations",
        user=admin_user,
        json={"email": "New.Person@Example.com", "role": "editor", "team": team.slug},
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["email"].lower() == "new.person@example.com" and body["sent"] is True
    assert body["team"] == team.slug
    assert len(smtp.messages) == 1
    assert "user.invite" in _changes()


def test_a_team_admin_invites_into_their_team_only(api, owner, team, smtp):  # noqa: F811
    other = Team.objects.create(name="Payments", slug="payments")
    mine = api.post("/admin/invitations", user=owner, json={"email": "a@example.com",
                                                              "team": team.slug})  # fmt: skip
    assert mine.status_code == 201, mine.content
    theirs = api.post("/admin/invitations", user=owner, json={"email": "b@example.com",
                                                                "team": other.slug})  # fmt: skip
    assert theirs.status_code == 403
    nowhere = api.post("/admin/invitations", user=owner, json={"email": "c@example.com"})
    assert nowhere.status_code == 403
    assert len(smtp.messages) == 1


@pytest.mark.parametrize(
    "body",
    [
        {"email": "not an address"},
        {"email": "x" * 300 + "@example.com"},
        {"email": "a@example.com", "role": "overlord"},
        {"email": "a@example.com", "team": "no-such-team"},
        {"email": "a@example.com", "team": XSS},
        {"email": "a@example.com\r\nBcc: victim@example.com"},
        {"email": "a@example.com", "surprise": 1},
        {},
    ],
)
def test_bad_invitations_are_refused_with_a_reason(api, admin_user, body, smtp):  # noqa: F811
    answer = api.post("/admin/invitations", user=admin_user, json=body)
    assert answer.status_code == 422, answer.content
    assert answer.json()["error"]["message"]
    assert XSS not in answer.content.decode()
    assert smtp.messages == []


def test_deactivate_reactivate_and_role_are_for_site_admins(api, admin_user, owner, teammate):
    for who in (owner, teammate):
        refused = api.post(f"/admin/users/{teammate.username}/deactivate", user=who)
        assert refused.status_code == 403
    off = api.post(f"/admin/users/{teammate.username}/deactivate", user=admin_user)
    assert off.status_code == 200 and off.json()["active"] is False
    assert User.objects.get(pk=teammate.pk).is_active is False
    on = api.post(f"/admin/users/{teammate.username}/reactivate", user=admin_user)
    assert on.json()["active"] is True
    role = api.put(f"/admin/users/{teammate.username}/role", user=admin_user,
                   json={"role": "viewer"})  # fmt: skip
    assert role.status_code == 200 and role.json()["role"] == "viewer"
    assert _changes()[:3] == ["user.role", "user.reactivate", "user.deactivate"]


@pytest.mark.parametrize("name", ["nobody", "x" * 5000, XSS, "%00"])
def test_an_unknown_or_hostile_username_is_a_clear_422(api, admin_user, name):
    answer = api.post(f"/admin/users/{name}/deactivate", user=admin_user)
    assert answer.status_code in (404, 422)
    assert XSS not in answer.content.decode()


def test_a_bad_role_is_refused_and_nothing_changes(api, admin_user, teammate):
    for role in ("root", "", "a" * 21):
        answer = api.put(f"/admin/users/{teammate.username}/role", user=admin_user,
                         json={"role": role})  # fmt: skip
        assert answer.status_code == 422
    assert User.objects.get(pk=teammate.pk).role == teammate.role


def test_a_team_admin_manages_their_members(api, owner, teammate, viewer, team):
    added = api.post(f"/teams/{team.slug}/members", user=owner,
                     json={"person": viewer.email, "role": "viewer"})  # fmt: skip
    assert added.status_code == 201, added.content
    assert added.json() == {"team": team.slug, "username": viewer.username, "role": "viewer"}
    changed = api.patch(f"/teams/{team.slug}/members/{viewer.username}", user=owner,
                        json={"role": "editor"})  # fmt: skip
    assert changed.status_code == 200 and changed.json()["role"] == "editor"
    gone = api.delete(f"/teams/{team.slug}/members/{viewer.username}", user=owner)
    assert gone.status_code == 204
    assert not Membership.objects.filter(team=team, user=viewer).exists()
    assert _changes()[:3] == ["team.member_remove", "team.member_role", "team.member_add"]


def test_a_plain_member_may_not_manage_members(api, teammate, viewer, team):
    answer = api.post(f"/teams/{team.slug}/members", user=teammate,
                      json={"person": viewer.username})  # fmt: skip
    assert answer.status_code == 403
    # Who is in the team is not revealed to someone who may not manage it.
    assert api.delete(f"/teams/{team.slug}/members/nobody", user=teammate).status_code == 403


def test_bad_member_requests(api, owner, viewer, team):
    base = f"/teams/{team.slug}/members"
    assert api.post(base, user=owner, json={"person": "nobody"}).status_code == 422
    assert api.post(base, user=owner, json={"person": viewer.username,
                                            "role": "king"}).status_code == 422  # fmt: skip
    assert api.post(base, user=owner, json={"person": "x" * 300}).status_code == 422
    assert api.patch(f"{base}/nobody", user=owner, json={"role": "viewer"}).status_code == 422
    assert api.post("/teams/no-such-team/members", user=owner,
                    json={"person": viewer.username}).status_code == 422  # fmt: skip


def test_team_and_service_changes_through_the_api_are_audited(api, admin_user):
    created = api.post("/teams", user=admin_user, json={"name": "Data", "slug": "data"})
    assert created.status_code == 201
    assert api.patch("/teams/data", user=admin_user, json={"name": "Data Eng"}).status_code == 200
    service = api.post("/services", user=admin_user,
                       json={"name": "Lake", "slug": "lake", "team": "data"})  # fmt: skip
    assert service.status_code == 201, service.content
    assert api.patch("/services/lake", user=admin_user, json={"name": "Lake 2"}).status_code == 200
    assert api.delete("/services/lake", user=admin_user).status_code == 204
    assert api.delete("/teams/data", user=admin_user).status_code == 204
    assert _changes()[:6] == [
        "team.delete",
        "service.delete",
        "service.update",
        "service.create",
        "team.update",
        "team.create",
    ]


def test_the_audit_log_is_for_site_admins(api, admin_user, owner, teammate):
    api.post(f"/admin/users/{teammate.username}/deactivate", user=admin_user)
    entries = api.get("/admin/audit", user=admin_user, params={"limit": 5})
    assert entries.status_code == 200
    assert entries.json()[0]["detail"]["change"] == "user.deactivate"
    assert entries.json()[0]["actor"] == admin_user.username
    assert api.get("/admin/audit", user=owner).status_code == 403
    for limit in (0, 1001, "many"):
        bad = api.get("/admin/audit", user=admin_user, params={"limit": limit})
        assert bad.status_code == 422


def test_signed_out_callers_get_401(api):
    assert api.get("/admin/audit").status_code == 401
    assert api.post("/admin/invitations", json={"email": "a@example.com"}).status_code == 401
