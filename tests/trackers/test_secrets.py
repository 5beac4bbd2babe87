"""A connection's secrets: a sealed token (KINTSUGI_ENCRYPTION_KEY, rekey) and the webhook
secret rotated with a grace period, on the settings page and with ``kintsugi tracker``."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.sealing import new_key
from kintsugi.trackers.models import TicketLink, TrackerConnection
from kintsugi.trackers.services.secrets import tokens_rekey, webhook_rotate
from kintsugi.trackers.services.tickets import ticket_create
from tests.trackers.conftest import connect, post_hook, run_worker
from tests.trackers.fakes import TOKEN

URL = "/settings/trackers/"


@pytest.fixture
def key(monkeypatch):
    value = new_key()
    monkeypatch.setenv("KINTSUGI_ENCRYPTION_KEY", value)
    return value


def _client(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def _sealed(fake, team):
    return connect(fake, team, "", token=TOKEN)


def test_a_sealed_token_is_stored_sealed_and_used(fake, team, key, item, owner):
    connection = _sealed(fake, team)
    assert connection.token_env == "" and TOKEN not in connection.token_sealed
    ticket_create(user=owner, item=item)
    assert run_worker().startswith("1 synced")
    assert TicketLink.objects.get().key == "1"


def test_without_a_key_a_token_is_refused_and_nothing_saved(fake, team, monkeypatch):
    monkeypatch.delenv("KINTSUGI_ENCRYPTION_KEY", raising=False)
    with pytest.raises(ValidationProblem, match="Set KINTSUGI_ENCRYPTION_KEY"):
        _sealed(fake, team)
    assert not TrackerConnection.objects.exists()


def test_token_and_variable_together_are_refused(fake, team, key, token_env):
    with pytest.raises(ValidationProblem, match="not both"):
        connect(fake, team, token_env, token=TOKEN)


def test_key_rotation_with_rekey(fake, team, key, item, owner, monkeypatch):
    connection = _sealed(fake, team)
    before = connection.token_sealed
    newer = new_key()
    monkeypatch.setenv("KINTSUGI_ENCRYPTION_KEY", f"{newer},{key}")
    assert tokens_rekey() == 1
    connection.refresh_from_db()
    assert connection.token_sealed != before
    monkeypatch.setenv("KINTSUGI_ENCRYPTION_KEY", newer)  # the old key dropped
    ticket_create(user=owner, item=item)
    assert run_worker().startswith("1 synced")


def test_a_token_no_key_opens_fails_the_sync_with_the_reason(
    fake, team, key, item, owner, monkeypatch
):
    _sealed(fake, team)
    monkeypatch.setenv("KINTSUGI_ENCRYPTION_KEY", new_key())
    ticket_create(user=owner, item=item)
    run_worker()
    assert "opens with none of the keys" in TicketLink.objects.get().sync_error
    with pytest.raises(ValidationProblem, match="none of the keys"):
        tokens_rekey()


def test_the_settings_page_seals_a_typed_token_and_never_shows_it(owner, team, key):
    client = _client(owner)
    data = {"action": "create", "kind": "github", "name": "ops", "project": "acme/ops"}
    answer = client.post(URL, {**data, "team": team.pk, "token": "ghp_typed_in_token"})
    assert answer.status_code == 200, answer.content
    assert TrackerConnection.objects.get().token_sealed
    for page in (answer, client.get(URL)):
        body = page.content.decode()
        assert "ghp_typed_in_token" not in body and 'data-testid="tracker-token-sealed"' in body


def test_the_settings_page_says_when_no_key_is_set(owner, team, monkeypatch):
    monkeypatch.delenv("KINTSUGI_ENCRYPTION_KEY", raising=False)
    data = {"action": "create", "kind": "github", "name": "ops", "project": "acme/ops"}
    answer = _client(owner).post(URL, {**data, "team": team.pk, "token": "ghp_x"})
    assert answer.status_code == 422 and b"KINTSUGI_ENCRYPTION_KEY" in answer.content
    assert b"ghp_x" not in answer.content and not TrackerConnection.objects.exists()


# The webhook secret.


@pytest.fixture
def linked(fake, connection, item, owner):
    ticket_create(user=owner, item=item)
    run_worker()
    return item


def _hook(client, fake, connection, secret):
    body, headers = fake.hook(1, secret)
    return post_hook(client, connection, body, headers).status_code


def test_after_a_rotation_the_old_secret_counts_until_its_deadline(
    client, fake, connection, linked
):
    old = connection.webhook_secret
    fresh = webhook_rotate(user=None, connection=connection, grace=timedelta(hours=2))
    assert fresh.webhook_secret != old and fresh.previous_valid_until > timezone.now()
    assert _hook(client, fake, fresh, fresh.webhook_secret) == 200
    assert _hook(client, fake, fresh, old) == 200
    TrackerConnection.objects.filter(pk=fresh.pk).update(
        previous_valid_until=timezone.now() - timedelta(seconds=1)
    )
    assert _hook(client, fake, fresh, old) == 401
    assert _hook(client, fake, fresh, "a guess") == 401


def test_zero_grace_refuses_the_old_secret_at_once(client, fake, connection, linked):
    old = connection.webhook_secret
    fresh = webhook_rotate(user=None, connection=connection, grace=timedelta(0))
    assert fresh.previous_webhook_secret == "" and _hook(client, fake, fresh, old) == 401


def test_the_settings_page_rotates_and_shows_the_new_secret_once(owner, team, token_env):
    from tests.trackers.fakes import FakeGitHub

    fake = FakeGitHub()
    fake.kind = "github"
    connection = connect(fake, team, token_env)
    client = _client(owner)
    answer = client.post(URL, {"action": "rotate", "connection": connection.pk, "grace_hours": 6})
    assert answer.status_code == 200
    connection.refresh_from_db()
    body = answer.content.decode()
    assert connection.webhook_secret in body and 'data-testid="tracker-rotated"' in body
    assert answer["Cache-Control"] == "no-store"
    assert connection.webhook_secret not in client.get(URL).content.decode()
    assert (
        timedelta(hours=5) < connection.previous_valid_until - timezone.now() <= timedelta(hours=6)
    )


@pytest.mark.parametrize("grace", ["-1", "721", "abc", "", "9" * 400, "<script>"])
def test_the_settings_page_refuses_a_bad_grace(owner, team, token_env, grace):
    connection = TrackerConnection.objects.create(
        team=team, kind="github", name="x", base_url="https://api.github.com",
        web_url="https://github.com", project="a/b", token_env=token_env, webhook_secret="s" * 40,
    )  # fmt: skip
    answer = _client(owner).post(
        URL, {"action": "rotate", "connection": connection.pk, "grace_hours": grace}
    )
    assert answer.status_code == 422 and b"0 to 720 hours" in answer.content
    assert b"<script>" not in answer.content
    assert TrackerConnection.objects.get().webhook_secret == "s" * 40


def test_only_the_teams_leads_rotate(owner, teammate, team, make_user, token_env):
    from kintsugi.teams.models import Team

    connection = TrackerConnection.objects.create(
        team=team, kind="github", name="x", base_url="https://api.github.com",
        web_url="https://github.com", project="a/b", token_env=token_env, webhook_secret="s" * 40,
    )  # fmt: skip
    other_team = Team.objects.create(name="Other", slug="other")
    other_lead = make_user("otherlead")
    other_team.memberships.create(user=other_lead, is_lead=True)
    data = {"action": "rotate", "connection": connection.pk, "grace_hours": 1}
    assert _client(teammate).post(URL, data).status_code == 403
    assert _client(other_lead).post(URL, data).status_code == 422  # not among theirs
    assert _client(owner, enforce_csrf_checks=True).post(URL, data).status_code == 403
    assert TrackerConnection.objects.get().webhook_secret == "s" * 40


def _cli(*args, stdin=""):
    import sys

    out, err = io.StringIO(), io.StringIO()
    saved, sys.stdin = sys.stdin, io.StringIO(stdin)
    if "--as" not in args and args[0] not in ("rekey", "newkey"):
        args = ("--as", "root", *args)  # the admin of ``admin_user``
    try:
        call_command("tracker", *args, stdout=out, stderr=err)
    finally:
        sys.stdin = saved
    return out.getvalue()


def test_the_cli_rotates_reads_a_token_on_stdin_and_rekeys(team, key, monkeypatch, admin_user):
    shown = json.loads(
        _cli("add", "github", "ops", "--team", team.slug, "--project", "acme/ops",
             "--token-stdin", stdin="ghp_from_stdin\n")
    )  # fmt: skip
    connection = TrackerConnection.objects.get()
    assert connection.token_sealed and connection.token_env == ""
    assert json.loads(_cli("list"))[0]["token_sealed"] is True
    rotated = json.loads(_cli("rotate", "ops", "--grace-hours", "0"))
    assert rotated["webhook_secret"] not in (shown["webhook_secret"], "")
    assert rotated["previous_valid_until"] is None
    monkeypatch.setenv("KINTSUGI_ENCRYPTION_KEY", f"{new_key()},{key}")
    assert json.loads(_cli("rekey")) == {"resealed": 1}
    with pytest.raises(CommandError, match="0 to 720"):
        _cli("rotate", "ops", "--grace-hours", "9999")
    with pytest.raises(CommandError, match="no connection named"):
        _cli("rotate", "nope")
    assert len(json.loads(_cli("newkey"))["key"]) == 44
