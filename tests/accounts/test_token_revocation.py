"""A new password revokes the user's API tokens, whichever way it was set; nothing else does."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.management.commands import changepassword
from django.core.management import call_command
from django.test import Client

from kintsugi.accounts.models import ApiToken
from tests.conftest import PASSWORD

NEW = "a-brand-new-passphrase-42"


def _active(user) -> list[str]:
    return [t.name for t in ApiToken.objects.filter(user=user) if t.is_active]


def test_set_password_and_save_revokes_only_that_users_tokens(owner, teammate):
    ApiToken.issue(user=owner, name="ci")
    ApiToken.issue(user=teammate, name="theirs")
    owner.set_password(NEW)
    owner.save()
    assert _active(owner) == []
    assert ApiToken.objects.get(user=owner).revoked_at is not None
    assert _active(teammate) == ["theirs"]


def test_saving_without_a_new_password_revokes_nothing(owner):
    ApiToken.issue(user=owner, name="ci")
    owner.first_name = "Alicia"
    owner.save()
    owner.set_password(NEW)  # set but never saved: nothing changed in the database
    assert _active(owner) == ["ci"]


def test_a_revoked_token_is_refused_by_the_api(owner):
    _token, raw = ApiToken.issue(user=owner, name="ci")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/incidents").status_code == 200
    owner.set_password(NEW)
    owner.save()
    assert api.get("/api/v1/incidents").status_code == 401


def test_the_admin_password_form_revokes(owner, admin_user):
    ApiToken.issue(user=owner, name="ci")
    admin = Client()
    admin.force_login(admin_user)
    response = admin.post(
        f"/admin/accounts/user/{owner.pk}/password/",
        {"password1": NEW, "password2": NEW, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    owner.refresh_from_db()
    assert owner.check_password(NEW)
    assert _active(owner) == []


def test_the_changepassword_command_revokes(owner, monkeypatch):
    ApiToken.issue(user=owner, name="ci")
    # The command reads the new password from the terminal twice.
    monkeypatch.setattr(changepassword.getpass, "getpass", lambda prompt="": NEW)
    call_command("changepassword", "alice", stdout=None)
    owner.refresh_from_db()
    assert owner.check_password(NEW)
    assert _active(owner) == []


@pytest.mark.django_db
def test_a_hasher_upgrade_at_sign_in_revokes_nothing(make_user, settings):
    user = make_user("dana")  # hashed with MD5, the test settings' only hasher
    ApiToken.issue(user=user, name="ci")
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    assert authenticate(username="dana", password=PASSWORD) is not None
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$")  # re-hashed and saved
    assert _active(user) == ["ci"]
