"""``kintsugi tracker add|list|sync``."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from kintsugi.trackers.models import JobState, SyncJob, TrackerConnection
from kintsugi.trackers.services.tickets import ticket_create


def run(*args):
    """The command, as the admin ``root`` (``admin_user``) unless the test names someone;
    ``sync`` is the system's job and takes no identity."""
    out, err = io.StringIO(), io.StringIO()
    if "--as" not in args and args[0] != "sync":
        args = ("--as", "root", *args)
    call_command("tracker", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_adds_a_connection_and_prints_the_hook(db, team, token_env, admin_user):
    out, _ = run(
        "add",
        "github",
        "ops",
        "--team",
        "platform",
        "--project",
        "acme/ops",
        "--token-env",
        token_env,
    )
    shown = json.loads(out)
    connection = TrackerConnection.objects.get()
    assert shown["webhook_url"].endswith(f"/hooks/trackers/github/{connection.pk}/")
    assert (
        shown["webhook_secret"] == connection.webhook_secret and len(connection.webhook_secret) > 30
    )
    listed = json.loads(run("list")[0])
    assert listed[0]["token_env"] == token_env and "webhook_secret" not in listed[0]


@pytest.mark.parametrize(
    "args,message",
    [
        (["--project", "acme/ops", "--token-env", "ghp_realtoken123"], "environment variable"),
        (["--project", "acme", "--token-env", "TOKEN"], "owner/repository"),
        (["--project", "../../etc", "--token-env", "TOKEN"], "owner/repository"),
        (["--project", "a/b", "--token-env", "TOKEN", "--api-url", "javascript:alert(1)"], "http"),
        (
            ["--project", "a/b", "--token-env", "TOKEN", "--api-url", "https://u:p@x.test"],
            "no user",
        ),
    ],
)
def test_it_refuses_bad_input_with_a_clear_message(db, team, args, message, admin_user):
    with pytest.raises(CommandError, match=message):
        run("add", "github", "ops", "--team", "platform", *args)
    assert not TrackerConnection.objects.exists()


def test_a_member_who_is_not_a_lead_may_not_add(db, team, teammate):
    with pytest.raises(CommandError, match="leads and admins"):
        run("--as", teammate.username, "add", "gitlab", "ops", "--team", "platform",
            "--project", "a/b", "--token-env", "TOKEN")  # fmt: skip
    assert json.loads(run("--as", teammate.username, "list")[0]) == []


def test_sync_runs_until_the_outbox_is_empty_with_progress(fake, connection, item, owner, incident):
    from kintsugi.postmortems.services.action_items import action_item_add

    for n in range(4):
        action_item_add(user=owner, incident=incident, title=f"Item {n}")
    for one in incident.action_items.all():
        ticket_create(user=owner, item=one)
    out, err = run("sync", "--batch", "2")
    assert json.loads(out)["waiting"] == 0
    assert "5/5" in err
    assert len(fake.issues) == 5
    assert set(SyncJob.objects.values_list("state", flat=True)) == {JobState.DONE}
