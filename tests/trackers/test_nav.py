"""The way to /settings/trackers/: a nav link for admins and for team admins (leads), none
for the others, and no extra query on any page to decide it."""

from __future__ import annotations

from django.db import connection as database
from django.test import Client
from django.test.utils import CaptureQueriesContext


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_admins_and_team_leads_get_the_nav_link(admin_user, owner):
    for user in (admin_user, owner):
        page = _client(user).get("/").content.decode()
        assert 'data-testid="nav-trackers"' in page and 'href="/settings/trackers/"' in page
        assert _client(user).get("/settings/trackers/").status_code == 200


def test_members_and_viewers_get_no_link_and_no_page(teammate, viewer):
    for user in (teammate, viewer):
        page = _client(user).get("/").content.decode()
        assert 'data-testid="nav-trackers"' not in page
        assert _client(user).get("/settings/trackers/").status_code == 403


def test_a_lead_who_leaves_the_team_loses_the_link(owner):
    from kintsugi.teams.models import Membership

    Membership.objects.filter(user=owner).delete()  # post_delete refreshes leads_team
    owner.refresh_from_db()
    assert not owner.leads_team
    assert 'data-testid="nav-trackers"' not in _client(owner).get("/").content.decode()


def test_the_link_costs_no_query(owner, teammate, admin_user):
    """No page asks whether its reader leads a team: the user row says it."""
    for user in (teammate, owner, admin_user):
        client = _client(user)
        client.get("/")
        with CaptureQueriesContext(database) as queries:
            assert client.get("/").status_code == 200
        asked = [q["sql"] for q in queries if '"is_lead"' in q["sql"]]
        assert asked == [], asked
