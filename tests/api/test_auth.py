"""Personal API tokens and browser sessions (kintsugi/api/auth.py)."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from kintsugi.accounts.models import ApiToken
from tests.api.conftest import API, error_of
from tests.conftest import PASSWORD as PASSWORD_FOR_TESTS


def _bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_it_accepts_an_active_token_and_records_its_use(api, owner):
    token, raw = ApiToken.issue(user=owner, name="ci")
    assert api.get("/incidents", headers=_bearer(raw)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_it_records_use_at_most_once_a_minute(api, owner, django_assert_num_queries):
    token, raw = ApiToken.issue(user=owner, name="ci")
    api.get("/users", headers=_bearer(raw))
    token.refresh_from_db()
    first_use = token.last_used_at
    # token lookup, count, page: no UPDATE this time
    with django_assert_num_queries(3):
        api.get("/users", headers=_bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at == first_use
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - timedelta(minutes=2))
    api.get("/users", headers=_bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at > first_use


def test_it_refuses_revoked_and_expired_tokens(api, owner):
    revoked, revoked_raw = ApiToken.issue(user=owner, name="old")
    ApiToken.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    _, expired_raw = ApiToken.issue(
        user=owner, name="temp", expires_at=timezone.now() - timedelta(seconds=1)
    )
    for raw in (revoked_raw, expired_raw):
        response = api.get("/incidents", headers=_bearer(raw))
        assert response.status_code == 401
        assert "revoked or expired" in error_of(response)["message"]


def test_it_refuses_the_token_of_a_deactivated_user(api, owner):
    _, raw = ApiToken.issue(user=owner, name="ci")
    owner.is_active = False
    owner.save()
    assert api.get("/incidents", headers=_bearer(raw)).status_code == 401


def test_it_refuses_something_that_is_not_a_token(api):
    response = api.get("/incidents", headers=_bearer("hunter2"))
    assert response.status_code == 401
    assert "kts_" in error_of(response)["message"]


def test_it_judges_a_bad_token_alone_even_with_a_session(owner):
    client = Client()
    client.force_login(owner)
    response = client.get(f"{API}/incidents", headers=_bearer("kts_wrong"))
    assert response.status_code == 401


def test_it_needs_no_csrf_token_with_an_api_token(owner):
    client = Client(enforce_csrf_checks=True)
    _, raw = ApiToken.issue(user=owner, name="ci")
    response = client.post(
        f"{API}/incidents",
        data={"title": "x", "started_at": "2026-03-01T10:00:00Z"},
        content_type="application/json",
        headers=_bearer(raw),
    )
    assert response.status_code == 201, response.content


def test_it_accepts_a_real_login_session_with_csrf(owner):
    client = Client(enforce_csrf_checks=True)
    login_page = client.get("/login/")
    csrf = login_page.cookies["csrftoken"].value
    client.post(
        "/login/",
        {"username": "alice", "password": PASSWORD_FOR_TESTS, "csrfmiddlewaretoken": csrf},
    )
    csrf = client.cookies["csrftoken"].value  # rotated at login
    refused = client.post(
        f"{API}/incidents",
        data={"title": "x", "started_at": "2026-03-01T10:00:00Z"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert error_of(refused)["code"] == "csrf_failed"
    accepted = client.post(
        f"{API}/incidents",
        data={"title": "x", "started_at": "2026-03-01T10:00:00Z"},
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert accepted.status_code == 201, accepted.content


def test_it_answers_401_not_403_to_an_anonymous_post():
    response = Client(enforce_csrf_checks=True).post(
        f"{API}/incidents", data={}, content_type="application/json"
    )
    assert response.status_code == 401
