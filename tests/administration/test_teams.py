"""Teams, members and services from the administration pages: site admins for all, a team
admin for their own team; bad names, slugs and roles refused with a message."""

from __future__ import annotations

import pytest

from kintsugi.teams.models import Membership, Service, Team
from tests.administration.conftest import audit_changes

pytestmark = pytest.mark.django_db


def test_a_site_admin_creates_a_team(login, admin_user):
    client = login(admin_user)
    response = client.post("/manage/teams/", {"name": "SRE", "slug": "sre", "description": ""})
    assert response.status_code == 302 and response["Location"] == "/manage/teams/sre/"
    assert Team.objects.filter(slug="sre").exists()
    assert audit_changes() == ["team.create"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "slug": "x"}, "required"),
        ({"name": "X", "slug": "no spaces"}, "letters, digits, hyphens"),
        ({"name": "X", "slug": "platform"}, "already used"),
        ({"name": "platform", "slug": "p2"}, "exists"),
        ({"name": "x" * 101, "slug": "p3"}, "at most 100"),
        ({"name": "bad\x07name", "slug": "p4"}, "control characters"),
    ],
)
def test_bad_team_input_is_refused_with_a_message(login, admin_user, team, data, message):
    response = login(admin_user).post("/manage/teams/", data)
    assert response.status_code == 422 and message in response.content.decode()
    assert Team.objects.count() == 1


def test_a_team_admin_sees_and_manages_only_their_team(login, owner, team, make_user):
    other = Team.objects.create(name="Payments", slug="payments")
    client = login(owner)
    listing = client.get("/manage/teams/").content.decode()
    assert 'data-slug="platform"' in listing and 'data-slug="payments"' not in listing
    assert client.get("/manage/teams/platform/").status_code == 200
    assert client.get("/manage/teams/payments/").status_code == 403
    assert client.get("/manage/teams/nope/").status_code == 404
    assert client.post("/manage/teams/", {"name": "Mine", "slug": "mine"}).status_code == 403
    assert client.get("/manage/users/").status_code == 403
    carol = make_user("carol")
    assert (
        client.post(
            "/manage/teams/payments/members/", {"person": "carol", "role": "editor"}
        ).status_code
        == 403
    )
    assert not Membership.objects.filter(team=other).exists()
    assert carol.pk


def test_members_are_added_given_a_role_and_removed(login, owner, team, make_user):
    make_user("carol")
    client = login(owner)
    response = client.post(
        "/manage/teams/platform/members/", {"person": "CAROL@example.com", "role": "viewer"}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(team=team, user__username="carol")
    assert membership.role == "viewer"
    client.post("/manage/teams/platform/members/carol/role/", {"role": "admin"})
    membership.refresh_from_db()
    assert membership.role == "admin"
    client.post("/manage/teams/platform/members/carol/remove/")
    assert not Membership.objects.filter(team=team, user__username="carol").exists()
    assert audit_changes() == ["team.member_remove", "team.member_role", "team.member_add"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"person": "nobody", "role": "editor"}, "invite them instead"),
        ({"person": "", "role": "editor"}, "required"),
        ({"person": "x" * 300, "role": "editor"}, "at most 254"),
        ({"person": "carol", "role": "owner"}, "Select a valid choice"),
        ({"person": "alice", "role": "editor"}, "already in Platform"),
    ],
)
def test_bad_member_input_is_refused(login, owner, team, make_user, data, message):
    make_user("carol")
    response = login(owner).post("/manage/teams/platform/members/", data)
    assert response.status_code == 422 and message in response.content.decode()
    assert Membership.objects.filter(team=team).count() == 1


def test_a_role_out_of_range_changes_nothing(login, owner, team, teammate):
    client = login(owner)
    for bad in ("owner", "", "x" * 5000):
        page = client.post("/manage/teams/platform/members/bob/role/", {"role": bad}, follow=True)
        assert "The team role is one of: viewer, editor, admin." in page.content.decode()
    assert Membership.objects.get(user=teammate).role == "editor"


def test_a_team_admin_does_not_change_their_own_place(login, owner, team):
    client = login(owner)
    page = client.post("/manage/teams/platform/members/alice/role/", {"role": "viewer"})
    assert page.status_code == 403
    assert client.post("/manage/teams/platform/members/alice/remove/").status_code == 403
    assert Membership.objects.get(user=owner).role == "admin"


def test_a_team_admin_creates_and_renames_their_team_services(login, owner, team):
    other = Team.objects.create(name="Payments", slug="payments")
    foreign = Service.objects.create(name="Ledger", slug="ledger", team=other)
    client = login(owner)
    response = client.post(
        "/manage/services/", {"name": "Checkout API", "slug": "checkout", "team": "platform"}
    )
    assert response.status_code == 302 and response["Location"] == "/manage/teams/platform/"
    service = Service.objects.get(slug="checkout")
    assert service.team == team
    client.post("/manage/services/checkout/rename/", {"name": "Checkout", "back": "team"})
    service.refresh_from_db()
    assert service.name == "Checkout"
    assert client.post("/manage/services/ledger/rename/", {"name": "Mine"}).status_code == 403
    assert (
        client.post("/manage/services/", {"name": "Loose", "slug": "loose", "team": ""}).status_code
        == 403
    )
    assert (
        client.post("/manage/services/", {"name": "P", "slug": "p", "team": "payments"}).status_code
        == 422
    )
    listing = client.get("/manage/services/").content.decode()
    assert 'data-slug="checkout"' in listing and 'data-slug="ledger"' not in listing
    foreign.refresh_from_db()
    assert foreign.name == "Ledger"
    assert audit_changes() == ["service.rename", "service.create"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Web", "slug": "web2", "team": ""}, "exists"),
        ({"name": "New", "slug": "web", "team": ""}, "already used"),
        ({"name": "New", "slug": "a/b", "team": ""}, "letters, digits"),
        ({"name": "", "slug": "n", "team": ""}, "required"),
        ({"name": "N", "slug": "n", "team": "x" * 500}, "Select a valid choice"),
    ],
)
def test_bad_service_input_is_refused(login, admin_user, service, data, message):
    response = login(admin_user).post("/manage/services/", data)
    assert response.status_code == 422 and message in response.content.decode()
    assert Service.objects.count() == 1


def test_renaming_to_a_taken_or_empty_name_says_so(login, admin_user, service):
    Service.objects.create(name="API", slug="api")
    client = login(admin_user)
    for bad, message in (("API", "exists"), ("", "required"), ("y" * 200, "limit is 100")):
        page = client.post(
            "/manage/services/web/rename/", {"name": bad}, follow=True
        ).content.decode()
        assert message in page, bad[:10]
    service.refresh_from_db()
    assert service.name == "Web"


@pytest.mark.parametrize("count", [3, 30])
def test_team_and_service_pages_read_a_fixed_number_of_queries(
    login, admin_user, team, make_user, count, django_assert_max_num_queries
):
    for number in range(count):
        person = make_user(f"m{number:03d}")
        Membership.objects.create(team=team, user=person)
        Service.objects.create(name=f"S{number}", slug=f"s{number}", team=team)
    client = login(admin_user)
    client.get("/manage/teams/")
    for url, most in (
        ("/manage/teams/", 6),
        ("/manage/teams/platform/", 10),
        ("/manage/services/", 7),
    ):
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200


def test_a_team_admin_sets_the_approvals_their_post_mortems_need(login, owner, team):
    from kintsugi.reviews.models import TeamReviewSettings

    client = login(owner)
    assert (
        'value="1" data-testid="approvals-needed"'
        in client.get("/manage/teams/platform/").content.decode()
    )
    client.post("/manage/teams/platform/review/", {"approvals_needed": "2"})
    assert TeamReviewSettings.objects.get(team=team).approvals_needed == 2
    for bad, message in (("0", "between 1 and 10"), ("11", "between 1 and 10"),
                         ("two", "whole number"), ("9" * 5000, "between 1 and 10"), ("", "whole number")):  # fmt: skip
        page = client.post("/manage/teams/platform/review/", {"approvals_needed": bad}, follow=True)
        assert message in page.content.decode(), bad[:10]
    assert TeamReviewSettings.objects.get(team=team).approvals_needed == 2
    assert audit_changes() == ["team.approvals"]
