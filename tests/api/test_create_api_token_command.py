"""``kintsugi create-api-token USER NAME`` (kintsugi/accounts/management/commands)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kintsugi.accounts.models import ApiToken, hash_token
from kintsugi.cli import main


def test_it_prints_a_working_token_once(api, owner):
    out, err = StringIO(), StringIO()
    call_command("create_api_token", "alice", "ci", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert raw.startswith("kts_")
    assert "will not be shown again" in err.getvalue()
    token = ApiToken.objects.get()
    assert token.token_hash == hash_token(raw)
    assert raw not in err.getvalue()
    response = api.get("/incidents", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200


def test_it_sets_an_expiry(owner):
    call_command(
        "create_api_token",
        "alice",
        "ci",
        "--expires-in-days",
        "30",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    assert ApiToken.objects.get().expires_at is not None


def test_it_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="no user named 'ghost'") as error:
        call_command("create_api_token", "ghost", "ci")
    assert error.value.returncode == 2


def test_it_is_reachable_as_kintsugi_create_api_token(owner, capsys):
    assert main(["create-api-token", "alice", "from-cli"]) == 0
    assert capsys.readouterr().out.strip().startswith("kts_")
