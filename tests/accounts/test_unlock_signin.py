"""``kintsugi unlock_signin``: an operator lifts a lock before the window passes."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.conftest import PASSWORD


def _lock(client: Client, username: str) -> None:
    for _ in range(5):
        client.post("/login/", {"username": username, "password": "wrong"})


def test_it_unlocks_the_named_account_only(owner, teammate):
    client = Client()
    _lock(client, "alice")
    _lock(client, "bob")
    out = StringIO()
    call_command("unlock_signin", "ALICE", stdout=out)
    assert "Forgot 5 failed sign-in(s)" in out.getvalue()
    assert client.post("/login/", {"username": "alice", "password": PASSWORD}).status_code == 302
    assert client.post("/login/", {"username": "bob", "password": PASSWORD}).status_code == 429


def test_it_unlocks_an_address(owner, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    client = Client()
    for n in range(3):
        client.post("/login/", {"username": f"guess{n}", "password": "wrong"})
    assert client.post("/login/", {"username": "alice", "password": PASSWORD}).status_code == 429
    call_command("unlock_signin", address="127.0.0.1", stdout=StringIO())
    assert client.post("/login/", {"username": "alice", "password": PASSWORD}).status_code == 302


def test_it_needs_something_to_unlock(db):
    with pytest.raises(CommandError, match="Name a USERNAME"):
        call_command("unlock_signin")
