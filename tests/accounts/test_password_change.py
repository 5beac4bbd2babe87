"""Changing one's own password: the old one is asked (and throttled like a sign-in), Django's
validators apply, and the new one revokes the API tokens and signs out the other sessions
but not this one."""

from __future__ import annotations

import pytest
from django.test import Client

from kintsugi.accounts.models import ApiToken, SignInFailure
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "a-new-and-longer-passphrase-9"
URL = "/account/password/"


def _signed_in(username: str, password: str = PASSWORD) -> Client:
    """A client signed in through the sign-in page, as a browser is."""
    client = Client()
    response = client.post("/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def _change(client: Client, old: str = PASSWORD, new1: str = NEW, new2: str = NEW):
    return client.post(
        URL, {"old_password": old, "new_password1": new1, "new_password2": new2}, follow=True
    )


def test_a_change_keeps_this_session_and_ends_the_others_and_the_tokens(owner):
    _, raw = ApiToken.issue(user=owner, name="deploy script")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/incidents").status_code == 200
    laptop, phone = _signed_in("alice"), _signed_in("alice")

    response = _change(laptop)

    assert response.redirect_chain == [("/account/", 302)]
    page = response.content.decode()
    assert "Your password is changed." in page and "API tokens are revoked" in page
    assert laptop.get("/account/").status_code == 200
    assert phone.get("/account/")["Location"].startswith("/login/")
    assert api.get("/api/v1/incidents").status_code == 401
    assert ApiToken.objects.get(user=owner).revoked_at is not None
    assert Client().post("/login/", {"username": "alice", "password": PASSWORD}).status_code == 200
    _signed_in("alice", NEW)


def test_a_wrong_old_password_changes_nothing_and_says_so_next_to_the_field(owner):
    ApiToken.issue(user=owner, name="deploy script")
    client = _signed_in("alice")
    response = _change(client, old="not-my-password")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="error-old_password"' in page
    assert "Your old password was entered incorrectly" in page
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)
    assert ApiToken.objects.get(user=owner).revoked_at is None
    assert SignInFailure.objects.count() == 1


def test_old_password_guesses_are_throttled_like_sign_ins(settings, owner):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    client = _signed_in("alice")
    for _ in range(3):
        assert _change(client, old="guess").status_code == 200
    refused = _change(client, old=PASSWORD)  # even the right one, while locked
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many failed sign-ins for this account" in refused.content.decode()
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("new1", "new2", "field", "words"),
    [
        (NEW, NEW + "x", "new_password2", "The two password fields didn"),
        ("short1", "short1", "new_password2", "too short"),
        ("password123", "password123", "new_password2", "too common"),
        ("alice", "alice", "new_password2", "too similar"),
        ("", "", "new_password1", "This field is required"),
    ],
)
def test_a_refused_new_password_is_explained_at_its_field(owner, new1, new2, field, words):
    client = _signed_in("alice")
    response = _change(client, new1=new1, new2=new2)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'data-testid="error-{field}"' in page
    assert words in page.replace("&#x27;", "'")
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)
    assert SignInFailure.objects.count() == 0  # the old password was right: no guess


def test_an_overlong_password_is_refused_without_harm(owner):
    client = _signed_in("alice")
    response = _change(client, old="x" * 100_000, new1="y" * 5000, new2="y" * 5000)
    assert response.status_code == 200
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_the_pages_need_a_signed_in_person_and_a_csrf_token(owner):
    assert Client().get(URL)["Location"] == f"/login/?next={URL}"
    assert Client().get("/account/")["Location"] == "/login/?next=/account/"
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner)
    response = strict.post(
        URL, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 403
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_the_account_page_shows_who_and_links_to_the_change(owner):
    ApiToken.issue(user=owner, name="one")
    page = _signed_in("alice").get("/account/").content.decode()
    assert 'data-testid="account-username">alice<' in page
    assert "alice@example.com" in page and "1 active" in page
    assert f'href="{URL}"' in page
    assert 'data-testid="nav-account"' in page
