"""Who reaches the administration pages (the access matrix has the site roles; a team
admin, whom the matrix does not have, is checked here), and the nav's Admin link."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

SITE_ONLY = ["/manage/users/", "/manage/audit/", "/manage/users/bob/"]
TEAM_ADMIN = ["/manage/", "/manage/teams/", "/manage/teams/platform/", "/manage/services/",
              "/manage/severities/", "/manage/invite/"]  # fmt: skip


def test_a_team_admin_reaches_their_pages_and_not_the_site_ones(login, owner, teammate):
    client = login(owner)
    for url in TEAM_ADMIN:
        assert client.get(url).status_code == 200, url
    for url in SITE_ONLY:
        assert client.get(url).status_code == 403, url
    home = client.get("/manage/").content.decode()
    assert 'data-testid="admin-link-users"' not in home
    assert 'href="/debt/teams/platform/settings/"' in home


def test_members_editors_and_viewers_are_refused_and_strangers_sent_to_sign_in(
    login, teammate, viewer, outsider
):
    for person in (teammate, viewer, outsider):
        client = login(person)
        for url in TEAM_ADMIN + SITE_ONLY:
            assert client.get(url).status_code == 403, (person.username, url)
    for url in TEAM_ADMIN + SITE_ONLY:
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url


def test_a_deactivated_site_admin_is_refused(login, admin_user):
    client = login(admin_user)
    admin_user.is_active = False
    admin_user.save()
    assert client.get("/manage/").status_code == 302  # signed out


def test_the_nav_links_site_admins_and_team_admins_to_the_administration(
    login, admin_user, owner, teammate
):
    assert 'href="/manage/" data-testid="nav-admin"' in login(admin_user).get("/").content.decode()
    # The owner leads the team: their link goes to it (tests/administration/test_team_admin_nav.py).
    assert (
        'href="/manage/my-team/" data-testid="nav-admin"' in login(owner).get("/").content.decode()
    )
    assert 'data-testid="nav-admin"' not in login(teammate).get("/").content.decode()


def test_the_home_links_to_the_settings_pages_rather_than_copying_them(login, admin_user, team):
    home = login(admin_user).get("/manage/").content.decode()
    for link in ("/debt/policy/", "/debt/teams/platform/settings/", "/settings/trackers/",
                 "/settings/sources/", "/manage/language/"):  # fmt: skip
        assert f'href="{link}"' in home, link


def test_the_severities_page_shows_the_definitions(login, owner):
    page = login(owner).get("/manage/severities/").content.decode()
    assert page.count('data-testid="severity"') == 4 and "SEV1 - Critical" in page


def test_writes_need_the_csrf_token(admin_user, teammate, team):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    for url, data in (
        ("/manage/users/bob/active/", {"active": "0"}),
        ("/manage/users/bob/role/", {"role": "admin"}),
        ("/manage/teams/", {"name": "T", "slug": "t"}),
        ("/manage/teams/platform/members/bob/remove/", {}),
        ("/manage/services/", {"name": "S", "slug": "s", "team": ""}),
    ):
        assert client.post(url, data).status_code == 403, url
    teammate.refresh_from_db()
    assert teammate.is_active and teammate.role == "editor"


def test_get_does_not_change_anything(login, admin_user, teammate):
    client = login(admin_user)
    for url in ("/manage/users/bob/active/", "/manage/users/bob/role/",
                "/manage/teams/platform/members/bob/remove/"):  # fmt: skip
        assert client.get(url).status_code == 405


def test_the_account_page_links_team_admins_to_the_administration(login, owner, teammate):
    assert 'data-testid="account-administration"' in login(owner).get("/account/").content.decode()
    assert (
        'data-testid="account-administration"'
        not in login(teammate).get("/account/").content.decode()
    )
