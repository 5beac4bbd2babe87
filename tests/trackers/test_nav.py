"""The way to /settings/trackers/: a nav link for admins, the user menu's link for team
leads (fetched when the menu opens), and no extra query on any page."""

from __future__ import annotations

from django.db import connection as database
from django.test import Client
from django.test.utils import CaptureQueriesContext


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_admins_get_the_nav_link(admin_user):
    page = _client(admin_user).get("/").content.decode()
    assert 'data-testid="nav-trackers"' in page and 'href="/settings/trackers/"' in page
    assert 'data-testid="menu-trackers-slot"' not in page


def test_leads_find_it_in_the_user_menu_others_do_not(owner, teammate, viewer):
    lead = _client(owner)
    page = lead.get("/").content.decode()
    assert 'data-testid="nav-trackers"' not in page
    assert 'hx-get="/settings/trackers/menu/"' in page
    menu = lead.get("/settings/trackers/menu/", HTTP_HX_REQUEST="true")
    assert menu.status_code == 200 and 'data-testid="menu-trackers"' in menu.content.decode()
    for user in (teammate, viewer):
        answer = _client(user).get("/settings/trackers/menu/", HTTP_HX_REQUEST="true")
        assert answer.status_code == 200 and b"menu-trackers" not in answer.content
        assert _client(user).get("/settings/trackers/").status_code == 403


def test_the_menu_needs_a_sign_in_and_only_reads(db):
    assert Client().get("/settings/trackers/menu/").status_code == 302
    assert Client().post("/settings/trackers/menu/").status_code in (302, 405)


def test_the_link_costs_no_query(owner, teammate, admin_user):
    """No page asks whether its reader leads a team (the question the menu asks)."""
    for user in (teammate, owner, admin_user):
        client = _client(user)
        client.get("/")
        with CaptureQueriesContext(database) as queries:
            assert client.get("/").status_code == 200
        asked = [q["sql"] for q in queries if '"is_lead"' in q["sql"]]
        assert asked == [], asked
    with CaptureQueriesContext(database) as menu:
        _client(owner).get("/settings/trackers/menu/")
    assert any('"is_lead"' in q["sql"] for q in menu)  # the check above can see it
