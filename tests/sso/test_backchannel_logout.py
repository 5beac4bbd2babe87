"""Back-channel logout over real HTTP: signing out at the real provider (npm
``oidc-provider`` on loopback) ends the Kintsugi session it began, and only that one; a
logout token that is forged, foreign, stale or malformed ends nothing and says why."""

from __future__ import annotations

import time
import uuid

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import RSAKey

from kintsugi.core.sso_logout import EVENT
from tests.sso.oidc import (
    CLIENT_ID,
    PEOPLE,
    form_action,
    hidden_inputs,
    oidc_provider,  # noqa: F401 - the fixture
    sso,  # noqa: F401 - the fixture
    through_provider,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _signed_in(http: requests.Session, app_url: str) -> bool:
    response = http.get(f"{app_url}/account/", allow_redirects=False, timeout=10)
    return response.status_code == 200


def _until(check, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return check()


def _sign_out_at_the_provider(http: requests.Session, issuer: str) -> None:
    """What a person does on the provider's own site: open its sign-out page, confirm."""
    page = http.get(f"{issuer}/session/end", timeout=10)
    assert "Sign out of the test provider" in page.text, page.text[:500]
    done = http.post(
        form_action(page), data={**hidden_inputs(page.text), "logout": "yes"}, timeout=10
    )
    assert "You are signed out of the test provider" in done.text


def test_signing_out_at_the_provider_ends_that_session_only(sso):  # noqa: F811
    from kintsugi.sso.models import SsoSession

    laptop, phone = requests.Session(), requests.Session()
    through_provider(laptop, sso.app_url, "carol")
    through_provider(phone, sso.app_url, "carol")
    assert _signed_in(laptop, sso.app_url) and _signed_in(phone, sso.app_url)
    rows = list(SsoSession.objects.filter(subject="sub-carol"))
    assert len(rows) == 2 and all(row.sid for row in rows)  # the provider's two sessions

    _sign_out_at_the_provider(laptop, sso.issuer)

    assert _until(lambda: not _signed_in(laptop, sso.app_url))
    assert _signed_in(phone, sso.app_url)  # another provider session: untouched
    assert SsoSession.objects.filter(subject="sub-carol").count() == 1


def _token(key: dict[str, str], issuer: str, **changes: object) -> str:
    claims: dict[str, object] = {
        "iss": issuer,
        "aud": CLIENT_ID,
        "iat": int(time.time()),
        "jti": uuid.uuid4().hex,
        "sub": PEOPLE["carol"].sub,
        "events": {EVENT: {}},
    }
    claims.update(changes)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(
        {"alg": "RS256", "kid": key["kid"], "typ": "logout+jwt"}, claims, RSAKey.import_key(key)
    )


def _post(app_url: str, **data: str) -> requests.Response:
    return requests.post(f"{app_url}/sso/backchannel-logout/", data=data, timeout=10)


def test_a_token_signed_by_the_provider_for_a_person_ends_all_their_sessions(sso):  # noqa: F811
    laptop, phone = requests.Session(), requests.Session()
    through_provider(laptop, sso.app_url, "carol")
    through_provider(phone, sso.app_url, "carol")
    through_provider(erin := requests.Session(), sso.app_url, "erin")

    answer = _post(sso.app_url, logout_token=_token(sso.signing_key, sso.issuer))

    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    assert not _signed_in(laptop, sso.app_url) and not _signed_in(phone, sso.app_url)
    assert _signed_in(erin, sso.app_url)
    # The same token again ends nothing more and is no error.
    assert _post(sso.app_url, logout_token=_token(sso.signing_key, sso.issuer)).ok


def test_a_token_that_may_not_end_a_session_ends_nothing_and_says_why(sso):  # noqa: F811
    http = requests.Session()
    through_provider(http, sso.app_url, "carol")
    foreign = RSAKey.generate_key(2048, parameters={"kid": sso.signing_key["kid"]}, private=True)
    foreign_key = foreign.as_dict(private=True)
    refused = {
        "forged (another key, the provider's key id)": _token(foreign_key, sso.issuer),
        "another audience": _token(sso.signing_key, sso.issuer, aud="someone-else"),
        "another issuer": _token(sso.signing_key, "https://evil.example.com"),
        "an ID token (nonce)": _token(sso.signing_key, sso.issuer, nonce="n"),
        "no logout event": _token(sso.signing_key, sso.issuer, events={"x": {}}),
        "stale": _token(sso.signing_key, sso.issuer, iat=int(time.time()) - 3600),
        "nobody named": _token(sso.signing_key, sso.issuer, sub=None),
        "not a JWT": "not-a-token",
        "alg none": "eyJhbGciOiJub25lIn0.eyJzdWIiOiJzdWItY2Fyb2wifQ.",
        "empty": "",
        "oversized": "a" * 20_000,
    }
    for what, token in refused.items():
        answer = _post(sso.app_url, logout_token=token)
        assert answer.status_code == 400, what
        assert answer.json()["error"] == "invalid_request", what
        assert answer.json()["error_description"], what
    assert _post(sso.app_url).status_code == 400  # no token at all
    assert requests.get(f"{sso.app_url}/sso/backchannel-logout/", timeout=10).status_code == 405
    assert _signed_in(http, sso.app_url)
