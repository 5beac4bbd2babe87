"""The claims a back-channel logout token must carry (the signature is checked elsewhere,
against the real provider's keys: tests/sso/test_backchannel_logout.py)."""

from __future__ import annotations

import pytest

from kintsugi.core.sso_logout import EVENT, LogoutTarget, LogoutTokenError, logout_target

ISSUER, CLIENT, NOW = "https://id.example.com", "kintsugi", 1_800_000_000


def claims(**changes):
    base = {
        "iss": ISSUER,
        "aud": CLIENT,
        "iat": NOW - 5,
        "jti": "j-1",
        "sub": "sub-1",
        "sid": "sid-1",
        "events": {EVENT: {}},
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def target(**changes):
    return logout_target(claims(**changes), issuer=ISSUER, client_id=CLIENT, now=NOW)


def test_a_valid_token_names_the_subject_and_the_session():
    assert target() == LogoutTarget("sub-1", "sid-1")
    assert target(sid=None) == LogoutTarget("sub-1", None)
    assert target(sub=None) == LogoutTarget(None, "sid-1")
    assert target(aud=["other", CLIENT]) == LogoutTarget("sub-1", "sid-1")


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"iss": "https://evil.example.com"}, "another issuer"),
        ({"aud": "other"}, "another client"),
        ({"aud": ["other"]}, "another client"),
        ({"aud": {"kintsugi": 1}}, "another client"),
        ({"iat": "yesterday"}, "no issue time"),
        ({"iat": True}, "no issue time"),
        ({"iat": NOW - 3600}, "too old"),
        ({"iat": NOW + 3600}, "from the future"),
        ({"exp": NOW - 3600}, "expired"),
        ({"events": {}}, "no back-channel logout event"),
        ({"events": {EVENT: "yes"}}, "no back-channel logout event"),
        ({"events": ["x"]}, "no back-channel logout event"),
        ({"nonce": "n"}, "no nonce"),
        ({"jti": 7}, "no identifier"),
        ({"sub": None, "sid": None}, "neither a subject nor a session"),
        ({"sub": ""}, "sub claim"),
        ({"sid": "x" * 300}, "sid claim"),
        ({"sub": {"$ne": 1}}, "sub claim"),
    ],
)
def test_a_token_that_cannot_end_a_session_says_why(changes, reason):
    with pytest.raises(LogoutTokenError, match=reason):
        target(**changes)
