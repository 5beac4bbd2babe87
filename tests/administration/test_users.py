"""The users pages: the list (paged, searched, constant queries), one person, deactivating,
the organisation role and their API tokens; each change in the audit log."""

from __future__ import annotations

import pytest
from django.test import Client

from kintsugi.accounts.models import ApiToken, User
from tests.administration.conftest import audit_changes
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _people(make_user, count: int) -> None:
    for number in range(count):
        person = make_user(f"person{number:03d}")
        ApiToken.issue(user=person, name="script")


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_reads_a_fixed_number_of_queries(
    login, admin_user, team, make_user, count, django_assert_max_num_queries
):
    _people(make_user, count)
    client = login(admin_user)
    client.get("/manage/users/")  # session and user reads warmed
    with django_assert_max_num_queries(9):
        response = client.get("/manage/users/")
    assert response.status_code == 200
    rows = response.content.decode().count('data-testid="user-row"')
    assert rows == min(count + 1, 25)


def test_it_pages_and_searches(login, admin_user, make_user):
    _people(make_user, 30)
    client = login(admin_user)
    second = client.get("/manage/users/?page=2").content.decode()
    assert second.count('data-testid="user-row"') == 6
    found = client.get("/manage/users/?q=PERSON02").content.decode()
    assert found.count('data-testid="user-row"') == 10
    for junk in ("page=-4", "page=abc", "page=99999999999999999999", "q=" + "x" * 5000, "q=%00"):
        assert client.get(f"/manage/users/?{junk}").status_code == 200, junk


def test_user_names_are_shown_escaped(login, admin_user, make_user):
    make_user("eve", first_name="<img src=x onerror=alert(1)>")
    page = login(admin_user).get("/manage/users/").content.decode()
    assert "<img src=x" not in page and "&lt;img src=x" in page


def test_deactivating_signs_them_out_and_reactivating_lets_them_back(login, admin_user, teammate):
    _, raw = ApiToken.issue(user=teammate, name="deploy")
    theirs = Client()
    assert theirs.login(username="bob", password=PASSWORD)
    client = login(admin_user)
    assert client.post("/manage/users/bob/active/", {"active": "0"}).status_code == 302
    teammate.refresh_from_db()
    assert not teammate.is_active
    assert theirs.get("/").status_code == 302  # signed out
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/incidents")
    assert api.status_code == 401
    assert client.post("/manage/users/bob/active/", {"active": "1"}).status_code == 302
    teammate.refresh_from_db()
    assert teammate.is_active
    assert audit_changes() == ["user.reactivate", "user.deactivate"]


def test_an_admin_cannot_lock_themselves_out(login, admin_user):
    client = login(admin_user)
    response = client.post("/manage/users/root/active/", {"active": "0"}, follow=True)
    assert "cannot deactivate your own account" in response.content.decode()
    response = client.post("/manage/users/root/role/", {"role": "viewer"}, follow=True)
    assert "cannot take away your own admin role" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active and admin_user.role == "admin"
    assert audit_changes() == []


def test_the_role_changes_and_a_role_out_of_range_is_refused(login, admin_user, teammate):
    client = login(admin_user)
    client.post("/manage/users/bob/role/", {"role": "admin"})
    teammate.refresh_from_db()
    assert teammate.role == "admin"
    for bad in ("superuser", "", "x" * 10_000, "admin\x00"):
        response = client.post("/manage/users/bob/role/", {"role": bad}, follow=True)
        assert "The role is one of: viewer, editor, admin." in response.content.decode()
    for bad in ("2", "yes", ""):
        response = client.post("/manage/users/bob/active/", {"active": bad}, follow=True)
        assert "Say whether" in response.content.decode()
    teammate.refresh_from_db()
    assert teammate.role == "admin" and teammate.is_active
    entry = audit_changes()
    assert entry == ["user.role"]


def test_their_tokens_are_listed_and_revoked(login, admin_user, teammate, outsider):
    token, raw = ApiToken.issue(user=teammate, name="deploy <b>script</b>")
    mine, _ = ApiToken.issue(user=outsider, name="other")
    client = login(admin_user)
    page = client.get("/manage/users/bob/").content.decode()
    assert "deploy &lt;b&gt;script&lt;/b&gt;" in page and raw not in page
    # Another person's token through bob's page is not found.
    assert client.post(f"/manage/users/bob/tokens/{mine.pk}/revoke/").status_code == 404
    assert client.post(f"/manage/users/bob/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    mine.refresh_from_db()
    assert token.revoked_at is not None and mine.revoked_at is None
    assert audit_changes() == ["user.token_revoke"]


def test_an_unknown_user_is_not_found(login, admin_user, team):
    client = login(admin_user)
    assert client.get("/manage/users/nobody/").status_code == 404
    assert client.get("/manage/users/" + "x" * 3000 + "/").status_code == 404
    assert client.post("/manage/users/nobody/active/", {"active": "0"}).status_code == 404
    assert client.get("/manage/users/bo%00b/").status_code == 404  # PostgreSQL refuses a NUL
    assert client.post("/manage/teams/platform/members/b%00/remove/").status_code == 404


def test_the_audit_page_lists_the_changes(login, admin_user, teammate):
    client = login(admin_user)
    client.post("/manage/users/bob/role/", {"role": "viewer"})
    page = client.get("/manage/audit/").content.decode()
    assert 'data-change="user.role"' in page and "user:bob" in page
    assert User.objects.get(username="bob").role == "viewer"
