"""Failed sign-ins are limited per account and per address, then answered 429 with how long
to wait, without the password being checked; a success clears the account's count."""

from __future__ import annotations

import http.cookiejar
import logging
import re
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from kintsugi.accounts import throttle
from kintsugi.accounts.models import SignInFailure
from tests.conftest import PASSWORD

URL = "/login/"
WRONG = "not-the-password"


class SettableClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> SettableClock:
    settable = SettableClock()
    monkeypatch.setattr(throttle, "clock", settable)
    return settable


def _fail(client: Client, username: str, times: int) -> list[int]:
    return [
        client.post(URL, {"username": username, "password": WRONG}).status_code
        for _ in range(times)
    ]


def test_the_fifth_failure_locks_the_account_then_429_without_checking(owner, clock):
    client = Client()
    assert _fail(client, "alice", 5) == [200] * 5
    response = client.post(URL, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many failed sign-ins for this account; try again in 15 minutes." in body
    assert 'data-testid="login-throttled"' in body
    assert response["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session  # the right password did not sign in
    # Refused attempts are not counted: still five failures.
    assert SignInFailure.objects.count() == 5


def test_the_account_lock_ignores_case_and_unicode_forms(owner, clock):
    client = Client()
    _fail(client, "ALICE", 3)
    _fail(client, "Ａｌｉｃｅ", 2)  # fullwidth letters fold to "alice"  # noqa: RUF001
    assert client.post(URL, {"username": "alice", "password": PASSWORD}).status_code == 429


def test_four_failures_do_not_lock_and_another_account_is_untouched(owner, teammate, clock):
    client = Client()
    _fail(client, "alice", 4)
    assert client.post(URL, {"username": "bob", "password": PASSWORD}).status_code == 302
    _fail(Client(), "alice", 1)
    assert Client().post(URL, {"username": "bob", "password": PASSWORD}).status_code == 302


def test_a_success_resets_the_account_count(owner, clock):
    _fail(Client(), "alice", 4)
    assert Client().post(URL, {"username": "alice", "password": PASSWORD}).status_code == 302
    assert _fail(Client(), "alice", 4) == [200] * 4
    assert Client().post(URL, {"username": "alice", "password": PASSWORD}).status_code == 302


def test_the_lock_lifts_when_the_window_has_passed(owner, clock):
    client = Client()
    _fail(client, "alice", 5)
    clock.advance(minutes=14, seconds=1)
    response = client.post(URL, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert "try again in 1 minute." in response.content.decode()
    clock.advance(minutes=1)
    assert client.post(URL, {"username": "alice", "password": PASSWORD}).status_code == 302


def test_old_rows_are_pruned(owner, clock):
    _fail(Client(), "alice", 3)
    clock.advance(minutes=16)
    _fail(Client(), "bob", 1)
    assert SignInFailure.objects.count() == 1


def test_the_address_limit_holds_across_accounts(owner, clock, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 6
    client = Client()
    statuses = [
        client.post(URL, {"username": f"guess{n}", "password": WRONG}).status_code for n in range(6)
    ]
    assert statuses == [200] * 6
    response = client.post(URL, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert "from your network address" in response.content.decode()
    # Another address is not affected.
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert other.post(URL, {"username": "alice", "password": PASSWORD}).status_code == 302


def test_a_forwarded_for_header_is_not_trusted_by_default(owner, clock, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    for n in range(3):
        Client(HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").post(
            URL, {"username": f"guess{n}", "password": WRONG}
        )
    spoofed = Client(HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert spoofed.post(URL, {"username": "alice", "password": PASSWORD}).status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_client_counts(owner, clock, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    settings.TRUSTED_PROXY_HOPS = 1
    # The client writes its own "1.2.3.4"; the proxy appends the address it saw.
    for n in range(3):
        Client(HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7").post(
            URL, {"username": f"guess{n}", "password": WRONG}
        )
    blocked = Client(HTTP_X_FORWARDED_FOR="9.9.9.9, 198.51.100.7")
    assert blocked.post(URL, {"username": "alice", "password": PASSWORD}).status_code == 429
    other = Client(HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.8")
    assert other.post(URL, {"username": "alice", "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize(
    "username", ["x" * 10_000, "", "   ", "ali\u0000ce", "алиса\u202e", "a\nFAKE log line"]
)
def test_hostile_usernames_are_counted_and_answered_cleanly(owner, clock, settings, username):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    client = Client()
    statuses = [
        client.post(URL, {"username": username, "password": WRONG}).status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 200]
    assert SignInFailure.objects.count() == 3
    assert all(len(row.account) in (0, 64) for row in SignInFailure.objects.all())
    assert client.post(URL, {"username": username, "password": WRONG}).status_code == 429


def test_failures_and_lockouts_are_logged_without_the_password(owner, clock, caplog):
    caplog.set_level(logging.INFO, logger="kintsugi.security")
    client = Client()
    _fail(client, "alice", 5)
    client.post(URL, {"username": "alice", "password": PASSWORD})
    client.post(URL, {"username": "hunter2-typed-in-the-wrong-box", "password": WRONG})
    records = [r for r in caplog.records if r.name == "kintsugi.security"]
    messages = [r.getMessage() for r in records]
    assert sum("Sign-in failed: user='alice' address=127.0.0.1" in m for m in messages) == 5
    assert sum(m.startswith("Sign-in locked (account): user='alice'") for m in messages) == 1
    assert any(m.startswith("Sign-in refused while locked (account)") for m in messages)
    assert any("(unknown account " in m for m in messages)
    text = "\n".join(messages)
    for secret in (PASSWORD, WRONG, "hunter2-typed-in-the-wrong-box"):
        assert secret not in text


def test_the_admin_sign_in_is_throttled_too(admin_user, clock):
    client = Client()
    for _ in range(5):
        client.post("/admin/login/", {"username": "root", "password": WRONG})
    response = client.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200  # the admin's own form: refused as a wrong login
    # Without the lock the same password signs in.
    clock.advance(minutes=16)
    client.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(admin_user.pk)


@pytest.mark.django_db(transaction=True)
def test_over_real_http_the_sixth_attempt_is_429(live_server, make_user):
    make_user("carol")
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login_url = f"{live_server.url}{URL}"

    def attempt(password: str) -> tuple[int, str]:
        page = opener.open(login_url).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.group(1), "username": "carol", "password": password}
        ).encode()
        request = urllib.request.Request(login_url, data=data, headers={"Referer": login_url})
        try:
            with opener.open(request) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    assert [attempt(WRONG)[0] for _ in range(5)] == [200] * 5
    status, body = attempt(PASSWORD)
    assert status == 429
    assert "Too many failed sign-ins for this account" in body
