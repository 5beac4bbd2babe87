"""The backend that reads each request's user: the same user Django's own would, signed
out in the same cases (deactivated, deleted, password changed)."""

from __future__ import annotations

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kintsugi.accounts.backends import UserBackend
from tests.conftest import PASSWORD


def _signed_in(owner) -> Client:
    client = Client()
    response = client.post("/login/", {"username": owner.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_it_reads_the_user_djangos_backend_reads(owner, admin_user):
    for user in (owner, admin_user):
        ours, theirs = UserBackend().get_user(user.pk), ModelBackend().get_user(user.pk)
        assert ours is not None and theirs is not None
        names = [field.attname for field in type(user)._meta.concrete_fields]
        assert [getattr(ours, name) for name in names] == [getattr(theirs, name) for name in names]
        assert ours.get_session_auth_hash() == theirs.get_session_auth_hash()


@pytest.mark.parametrize("user_id", [None, "", "abc", "1; DROP TABLE x", "9" * 40, -1, 0])
def test_an_id_no_user_has_is_nobody(db, user_id):
    assert UserBackend().get_user(user_id) is None


def test_a_signed_in_page_reads_the_user_once(owner):
    client = _signed_in(owner)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    user_reads = [q for q in captured if 'FROM "accounts_user" WHERE' in q["sql"]]
    assert len(user_reads) == 1


@pytest.mark.parametrize("change", ["deactivate", "delete", "new password"])
def test_the_next_request_is_signed_out_after(owner, change):
    client = _signed_in(owner)
    assert client.get("/").status_code == 200
    if change == "deactivate":
        owner.is_active = False
        owner.save()
    elif change == "delete":
        owner.delete()
    else:
        owner.set_password("another long passphrase 42")
        owner.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_session_from_django_s_own_backend_signs_in_again(owner):
    """Sessions made before this backend name Django's: their holders are asked to sign in
    once more, as Django does for any backend no longer configured."""
    client = _signed_in(owner)
    session = client.session
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
