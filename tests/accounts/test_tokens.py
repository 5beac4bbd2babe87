"""The API token use cases: issue, list one's own, find one's own, revoke one's own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from kintsugi.accounts.models import ApiToken, hash_token
from kintsugi.accounts.tokens import (
    api_token_issue,
    api_token_own,
    api_token_revoke,
    api_tokens_of,
)
from kintsugi.core.errors import ValidationProblem


def test_it_issues_a_token_whose_secret_is_only_returned(owner):
    expires = timezone.now() + timedelta(days=30)
    token, raw = api_token_issue(user=owner, name="  CI import  ", expires_at=expires)
    stored = ApiToken.objects.get()
    assert (stored.pk, stored.user, stored.name) == (token.pk, owner, "CI import")
    assert stored.token_hash == hash_token(raw) and raw not in stored.token_hash
    assert stored.prefix == raw[:12]
    assert stored.expires_at == expires


def test_an_issued_token_signs_in_to_the_api(owner):
    _token, raw = api_token_issue(user=owner, name="ci")
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/incidents").status_code == 200


@pytest.mark.parametrize("name", ["", "   ", None, "x" * 101])
def test_it_refuses_a_missing_or_long_name(owner, name):
    with pytest.raises(ValidationProblem, match="1 to 100 characters") as refused:
        api_token_issue(user=owner, name=name)
    assert refused.value.field == "name"
    assert not ApiToken.objects.exists()


def test_it_refuses_a_deactivated_user(owner):
    owner.is_active = False
    owner.save()
    with pytest.raises(ValidationProblem, match="deactivated"):
        api_token_issue(user=owner, name="ci")
    assert not ApiToken.objects.exists()


def test_it_refuses_an_expiry_without_a_zone(owner):
    with pytest.raises(ValidationProblem, match="timezone"):
        api_token_issue(user=owner, name="ci", expires_at=datetime(2030, 1, 1))
    assert not ApiToken.objects.exists()


def test_it_lists_only_the_persons_own_tokens_newest_first(owner, teammate):
    older, _ = api_token_issue(user=owner, name="older")
    ApiToken.objects.filter(pk=older.pk).update(created_at=datetime(2026, 1, 1, tzinfo=UTC))
    api_token_issue(user=teammate, name="theirs")
    api_token_issue(user=owner, name="newer")
    assert [token.name for token in api_tokens_of(user=owner)] == ["newer", "older"]


def test_it_revokes_once_and_keeps_the_first_time(owner):
    token, raw = api_token_issue(user=owner, name="ci")
    api_token_revoke(user=owner, token=token)
    first = ApiToken.objects.get().revoked_at
    assert first is not None and token.revoked_at == first
    api_token_revoke(user=owner, token=ApiToken.objects.get())
    assert ApiToken.objects.get().revoked_at == first
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/incidents").status_code == 401


def test_nobody_revokes_another_persons_token(owner, teammate):
    token, _ = api_token_issue(user=owner, name="ci")
    with pytest.raises(PermissionDenied):
        api_token_revoke(user=teammate, token=token)
    assert ApiToken.objects.get().revoked_at is None


def test_it_finds_only_the_persons_own_token(owner, teammate):
    mine, _ = api_token_issue(user=owner, name="ci")
    theirs, _ = api_token_issue(user=teammate, name="laptop")
    assert api_token_own(user=owner, pk=mine.pk) == mine
    assert api_token_own(user=owner, pk=theirs.pk) is None  # as one that does not exist
    assert api_token_own(user=owner, pk=theirs.pk + 1000) is None
    assert api_token_own(user=owner, pk=2**70) is None  # beyond a bigint: no row, no error
