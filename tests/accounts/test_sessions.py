"""The session store: Django's database sessions, each request's read compiled once; the
same answers as Django's store for live, expired, unknown and signed-out sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kintsugi.accounts.sessions import SessionStore
from tests.conftest import PASSWORD


def _signed_in(user) -> Client:
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _key(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_it_loads_what_djangos_store_loads(owner):
    client = _signed_in(owner)
    key = _key(client)
    ours = SessionStore(key).load()
    assert ours == DjangoStore(key).load()
    assert ours["_auth_user_id"] == str(owner.pk)


def test_a_page_reads_the_session_once(owner):
    client = _signed_in(owner)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    reads = [q for q in captured if q["sql"].startswith("SELECT") and "django_session" in q["sql"]]
    assert len(reads) == 1


def test_an_expired_session_is_signed_out(owner):
    client = _signed_in(owner)
    Session.objects.filter(session_key=_key(client)).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert SessionStore(_key(client)).load() == DjangoStore(_key(client)).load() == {}
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_signing_out_ends_the_session_for_whoever_holds_its_cookie(owner):
    client = _signed_in(owner)
    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = _key(client)
    assert stolen.get("/").status_code == 200
    client.post("/logout/")
    response = stolen.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    "key", ["nosuchsessionkey123", "x" * 500, "' OR 1=1 --", "é" * 40, "short"]
)
def test_an_unknown_or_hostile_key_is_an_empty_session(db, key):
    store = SessionStore(key)
    assert store.load() == {}
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_clearsessions_deletes_the_expired_ones(owner, admin_user):
    from django.core.management import call_command

    expired, live = _signed_in(owner), _signed_in(admin_user)
    Session.objects.filter(session_key=_key(expired)).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    call_command("clearsessions")
    assert list(Session.objects.values_list("session_key", flat=True)) == [_key(live)]


def test_a_session_signed_before_this_release_still_loads(db):
    """The data is signed with the store class's name (``key_salt``): sessions written by
    an earlier store, Django's or Kintsugi's (both named ``SessionStore``), must not sign
    everyone out."""
    from django.contrib.sessions.serializers import JSONSerializer
    from django.core import signing

    data = {"_auth_user_id": "7", "note": "written before"}
    signed = signing.dumps(
        data,
        salt="django.contrib.sessions.SessionStore",
        serializer=JSONSerializer,
        compress=True,
    )
    Session.objects.create(
        session_key="k" * 32, session_data=signed, expire_date=timezone.now() + timedelta(days=1)
    )
    assert SessionStore("k" * 32).load() == data
