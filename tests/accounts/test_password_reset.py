"""Resetting a forgotten password by email, through a real SMTP server on loopback: the
link arrives, works once, sets a password that Django's validators accept, and ends every
session and API token; the form never tells whether an account has the address."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from kintsugi.accounts import throttle
from kintsugi.accounts.models import ApiToken, PasswordResetRequest, SignInFailure
from tests.conftest import PASSWORD
from tests.debt.servers import SmtpSink

pytest.importorskip("aiosmtpd")
pytestmark = pytest.mark.django_db

BASE = "https://postmortems.example.com"
NEW = "a-new-and-longer-passphrase-9"
LINK = re.compile(re.escape(BASE) + r"(/password-reset/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def smtp(settings):
    with SmtpSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", sink.port, 5
        settings.KINTSUGI_BASE_URL = BASE
        settings.DEFAULT_FROM_EMAIL = "kintsugi@example.com"
        yield sink


def _wait_for(smtp: SmtpSink, count: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while len(smtp.messages) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(smtp.messages) >= count, f"{len(smtp.messages)} of {count} emails arrived"


def _settled(smtp: SmtpSink) -> None:
    """Give a mail that should not come the time it would have taken to come."""
    time.sleep(0.5)


def _request(client: Client, email: str, **extra):
    return client.post("/password-reset/", {"email": email}, **extra)


def _body(message) -> str:
    return message.get_payload(decode=True).decode()


def _link_path(message) -> str:
    found = LINK.search(_body(message))
    assert found, _body(message)
    return found.group(1)


def _set_password(client: Client, path: str, new1: str = NEW, new2: str = NEW):
    form = client.get(path)
    assert form.status_code == 302 and form["Location"].endswith("/set-password/")
    page = client.get(form["Location"])
    assert 'data-testid="set-password-form"' in page.content.decode()
    return form["Location"], client.post(
        form["Location"], {"new_password1": new1, "new_password2": new2}
    )


def test_a_reset_by_email_sets_the_password_and_ends_sessions_and_tokens(smtp, owner):
    _, raw = ApiToken.issue(user=owner, name="deploy script")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    elsewhere = Client()
    elsewhere.force_login(owner)
    assert elsewhere.get("/account/").status_code == 200

    browser = Client()
    response = _request(browser, "Alice@Example.com")  # as typed, in any case
    assert response.status_code == 302 and response["Location"] == "/password-reset/sent/"
    _wait_for(smtp, 1)
    (message,) = smtp.messages
    assert smtp.envelopes == [("kintsugi@example.com", ["alice@example.com"])]
    assert message["Subject"] == "Reset your Kintsugi password"
    body = _body(message)
    assert '"alice"' in body and "works once, for 60 minutes" in body

    set_url, response = _set_password(browser, _link_path(message), NEW, NEW + "-typo")
    assert response.status_code == 200
    assert 'data-testid="error-new_password2"' in response.content.decode()
    response = browser.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302 and response["Location"] == "/password-reset/done/"
    assert "Sign in with the new password" in browser.get("/password-reset/done/").content.decode()

    assert Client().post("/login/", {"username": "alice", "password": PASSWORD}).status_code == 200
    assert Client().post("/login/", {"username": "alice", "password": NEW}).status_code == 302
    assert api.get("/api/v1/incidents").status_code == 401
    assert ApiToken.objects.get(user=owner).revoked_at is not None
    assert elsewhere.get("/account/")["Location"].startswith("/login/")


def test_the_link_works_once(smtp, owner):
    browser = Client()
    _request(browser, "alice@example.com")
    _wait_for(smtp, 1)
    path = _link_path(smtp.messages[0])
    _, response = _set_password(browser, path)
    assert response.status_code == 302

    again = Client().get(path)
    assert again.status_code == 200
    assert 'data-testid="reset-link-invalid"' in again.content.decode()
    assert 'data-testid="set-password-form"' not in again.content.decode()


def test_an_expired_link_is_refused(settings, owner):
    class TwoHoursAgo(PasswordResetTokenGenerator):
        def _now(self):  # type: ignore[no-untyped-def]
            return super()._now() - timedelta(hours=2)

    uid = urlsafe_base64_encode(force_bytes(owner.pk))
    token = TwoHoursAgo().make_token(owner)
    page = Client().get(f"/password-reset/{uid}/{token}/")
    assert page.status_code == 200
    assert 'data-testid="reset-link-invalid"' in page.content.decode()
    settings.PASSWORD_RESET_TIMEOUT = 3 * 3600  # the same link, within a longer timeout
    assert Client().get(f"/password-reset/{uid}/{token}/").status_code == 302


@pytest.mark.parametrize(
    "path",
    [
        "/password-reset/MQ/not-a-token/",
        "/password-reset/" + "A" * 5000 + "/x-y/",
        "/password-reset/%00%ff/abc-def/",
        "/password-reset/OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5/abc-def/",
        "/password-reset/MQ/set-password/",
    ],
)
def test_a_forged_link_is_a_plain_refusal(owner, path):
    page = Client().get(path)
    assert page.status_code == 200
    assert 'data-testid="reset-link-invalid"' in page.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(smtp, owner):
    unknown = _request(Client(), "nobody@example.com")
    known = _request(Client(), "alice@example.com")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    _wait_for(smtp, 1)
    _settled(smtp)
    assert [to for _, to in smtp.envelopes] == [["alice@example.com"]]


def test_the_answer_takes_as_long_for_an_unknown_address(smtp, owner):
    """The mail server's time is spent off the request: a slow one does not show who exists."""
    import asyncio

    handler = smtp.controller.handler
    original = handler.handle_DATA

    async def slow(server, session, envelope):  # type: ignore[no-untyped-def]
        await asyncio.sleep(0.6)
        return await original(server, session, envelope)

    handler.handle_DATA = slow
    started = time.monotonic()
    _request(Client(), "alice@example.com")
    known = time.monotonic() - started
    started = time.monotonic()
    _request(Client(), "nobody@example.com")
    unknown = time.monotonic() - started
    assert known < 0.5 and unknown < 0.5, (known, unknown)
    _wait_for(smtp, 1)


@pytest.mark.parametrize(
    ("email", "words"),
    [
        ("a" * 250 + "@example.com", "at most 254 characters"),
        ("not-an-address", "Enter a valid email address"),
        ("alice@example.com\x00", "Null characters are not allowed"),
        ("", "This field is required"),
    ],
)
def test_a_malformed_address_is_explained_at_the_field_and_sends_nothing(smtp, owner, email, words):
    response = _request(Client(), email)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="error-email"' in page and words in page
    _settled(smtp)
    assert smtp.messages == []
    assert PasswordResetRequest.objects.count() == 1  # junk counts against the address


def test_requests_for_one_address_are_limited_silently(smtp, settings, owner):
    settings.PASSWORD_RESETS_PER_EMAIL = 2
    for index in range(4):
        client = Client(REMOTE_ADDR=f"10.0.0.{index + 1}")
        response = _request(client, "alice@example.com")
        assert response["Location"] == "/password-reset/sent/"
    _wait_for(smtp, 2)
    _settled(smtp)
    assert len(smtp.messages) == 2


def test_requests_from_one_network_address_are_limited_with_429(smtp, settings, owner):
    settings.PASSWORD_RESETS_PER_ADDRESS = 3
    client = Client(REMOTE_ADDR="203.0.113.9")
    for index in range(3):
        assert _request(client, f"someone{index}@example.com").status_code == 302
    refused = _request(client, "alice@example.com")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many password reset requests from your network address" in (
        refused.content.decode()
    )
    assert _request(Client(REMOTE_ADDR="203.0.113.10"), "alice@example.com").status_code == 302
    _wait_for(smtp, 1)
    _settled(smtp)
    assert len(smtp.messages) == 1

    original = throttle.clock
    throttle.clock = lambda: timezone.now() + timedelta(minutes=61)
    try:
        assert _request(client, "alice@example.com").status_code == 302
    finally:
        throttle.clock = original


def test_a_reset_lifts_the_sign_in_lock_of_the_account(smtp, settings, owner):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 2
    for _ in range(2):
        Client().post("/login/", {"username": "alice", "password": "guess"})
    assert Client().post("/login/", {"username": "alice", "password": PASSWORD}).status_code == 429
    browser = Client()
    _request(browser, "alice@example.com")
    _wait_for(smtp, 1)
    _set_password(browser, _link_path(smtp.messages[0]))
    assert not SignInFailure.objects.filter(account=throttle.account_key("alice")).exists()
    assert Client().post("/login/", {"username": "alice", "password": NEW}).status_code == 302


def test_inactive_accounts_and_accounts_without_a_password_get_no_mail(smtp, make_user):
    make_user("gone", is_active=False)
    sso = make_user("sso")
    sso.set_unusable_password()
    sso.save()
    for email in ("gone@example.com", "sso@example.com"):
        assert _request(Client(), email).status_code == 302
    _settled(smtp)
    assert smtp.messages == []


def test_the_forms_need_a_csrf_token(smtp, owner):
    strict = Client(enforce_csrf_checks=True)
    assert _request(strict, "alice@example.com").status_code == 403
    _settled(smtp)
    assert smtp.messages == []


def test_the_sign_in_page_links_to_the_reset(db):
    page = Client().get("/login/").content.decode()
    assert 'href="/password-reset/"' in page and "Forgot your password?" in page
