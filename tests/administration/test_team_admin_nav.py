"""Team admins (leads) get the nav's Admin link (to their team's page) and the Sources
link, read from ``User.leads_team`` on the user row the request loads anyway: the tests
count queries, and follow the flag through every way a membership changes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from kintsugi.accounts.models import User
from kintsugi.teams.models import Membership, Team

pytestmark = pytest.mark.django_db

ADMIN_LINK = 'href="/manage/my-team/" data-testid="nav-admin"'
SOURCES = 'data-testid="nav-sources"'


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def _nav(user: User) -> tuple[str, int]:
    """The nav links drawn for ``user`` as loaded from the database, and what it cost."""
    request = RequestFactory().get("/")
    request.user = _fresh(user)
    with CaptureQueriesContext(connection) as queries:
        html = render_to_string(
            "web/includes/nav_links.html", {"user": request.user, "menu": ""}, request=request
        )
    return html, len(queries)


def test_the_nav_offers_a_lead_their_links_without_a_query(owner, teammate, admin_user):
    lead_html, lead_queries = _nav(owner)
    member_html, member_queries = _nav(teammate)
    admin_html, admin_queries = _nav(admin_user)
    assert ADMIN_LINK in lead_html and SOURCES in lead_html
    assert "nav-admin" not in member_html and SOURCES not in member_html
    assert 'href="/manage/" data-testid="nav-admin"' in admin_html and SOURCES in admin_html
    assert lead_queries == member_queries == admin_queries == 0


def test_a_whole_page_costs_a_lead_what_it_costs_a_member(login, owner, teammate):
    counts = {}
    for person in (owner, teammate):
        client = login(person)
        client.get("/")  # warm per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/")
        assert response.status_code == 200
        counts[person.username] = len(queries)
    assert counts["alice"] == counts["bob"], counts


def test_the_flag_follows_role_changes_made_on_the_pages(login, admin_user, teammate, team):
    client = login(admin_user)
    url = f"/manage/teams/{team.slug}/members/{teammate.username}/"
    assert not _fresh(teammate).leads_team
    assert client.post(url + "role/", {"role": "admin"}).status_code == 302
    assert _fresh(teammate).leads_team
    assert ADMIN_LINK in login(teammate).get("/").content.decode()
    assert client.post(url + "role/", {"role": "viewer"}).status_code == 302
    assert not _fresh(teammate).leads_team
    assert client.post(url + "role/", {"role": "admin"}).status_code == 302
    assert client.post(url + "remove/").status_code == 302
    assert not _fresh(teammate).leads_team
    assert "nav-admin" not in login(teammate).get("/").content.decode()


def test_leading_two_teams_then_losing_one_keeps_the_flag(owner, team):
    other = Team.objects.create(name="Payments", slug="payments")
    second = Membership.objects.create(team=other, user=owner, is_lead=True)
    second.delete()
    assert _fresh(owner).leads_team
    team.delete()  # the memberships go with the team, one signal each
    assert not _fresh(owner).leads_team


def test_a_stale_user_row_saved_whole_does_not_bring_the_old_flag_back(owner, team):
    stale = _fresh(owner)
    assert stale.leads_team
    Membership.objects.filter(user=owner).get().delete()
    stale.first_name = "Alicia"
    stale.save()  # a full save, as a form or the Django admin does
    row = _fresh(owner)
    assert row.first_name == "Alicia" and not row.leads_team


def test_my_team_goes_to_the_team_a_lead_leads_or_to_their_list(login, owner, admin_user, team):
    client = login(owner)
    assert client.get("/manage/my-team/")["Location"] == f"/manage/teams/{team.slug}/"
    Membership.objects.create(team=Team.objects.create(name="B", slug="b"), user=owner,
                              is_lead=True)  # fmt: skip
    several = client.get("/manage/my-team/")
    assert several.status_code == 200 and "/manage/teams/b/" in several.content.decode()
    assert login(admin_user).get("/manage/my-team/").status_code == 200  # every team
    assert client.post("/manage/my-team/").status_code == 405


def test_my_team_refuses_everyone_else(login, teammate, outsider):
    from django.test import Client

    for person in (teammate, outsider):
        assert login(person).get("/manage/my-team/").status_code == 403
    anonymous = Client().get("/manage/my-team/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")


def test_a_deactivated_lead_gets_no_links(owner):
    owner.is_active = False
    owner.save()
    html, _ = _nav(owner)
    assert "nav-admin" not in html and SOURCES not in html
