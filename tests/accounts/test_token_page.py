"""/account/tokens/ shows each token's state; revoking is one's own tokens only (the create
and revoke flows are in tests/web/test_tokens.py)."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from kintsugi.accounts.models import ApiToken


def test_the_list_shows_active_expired_and_revoked(owner):
    ApiToken.issue(user=owner, name="live")
    ApiToken.issue(user=owner, name="old", expires_at=timezone.now() - timedelta(days=1))
    gone, _raw = ApiToken.issue(user=owner, name="gone")
    gone.revoked_at = timezone.now()
    gone.save()
    client = Client()
    client.force_login(owner)
    body = client.get("/account/tokens/").content.decode()
    states = {}
    for row in body.split('data-testid="token-row"')[1:]:
        name = row.split("<td>")[1].split("</td>")[0]
        states[name] = row.split('data-testid="token-state">')[1].split("<")[0]
        states[name + " revocable"] = 'data-testid="token-revoke"' in row
    assert states == {
        "live": "Active",
        "live revocable": True,
        "old": "Expired",
        "old revocable": False,
        "gone": "Revoked",
        "gone revocable": False,
    }


def test_revoking_someone_elses_token_is_404_and_changes_nothing(owner, teammate):
    theirs, _raw = ApiToken.issue(user=teammate, name="theirs")
    client = Client()
    client.force_login(owner)
    assert client.post(f"/account/tokens/{theirs.pk}/revoke/").status_code == 404
    assert client.get(f"/account/tokens/{theirs.pk}/revoke/").status_code == 405
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
