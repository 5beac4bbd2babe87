"""``kintsugi review``: the workflow from the terminal, with the page's access rules."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def _run(*args: str) -> object:
    out = StringIO()
    call_command("review", *args, stdout=out)
    return json.loads(out.getvalue())


def test_it_runs_the_workflow_from_the_terminal(complete, owner, teammate, team, admin_user):
    ref = f"INC-{complete.pk}"
    assert _run("--as", "root", "status", ref)["status"] == "draft"
    assert _run("--as", "root", "approvals", "platform", "1") == {
        "team": "platform",
        "approvals_needed": 1,
    }
    asked = _run("--as", "alice", "request", ref, "--reviewers", "bob")
    assert asked["status"] == "in_review" and asked["reviewers"] == {"bob": "pending"}
    assert _run("--as", "bob", "decide", ref, "approved")["status"] == "approved"
    published = _run("--as", "alice", "publish", str(complete.pk))
    assert published["status"] == "published"
    actions = [entry["action"] for entry in _run("--as", "root", "audit", ref)]
    assert actions[:3] == ["publish", "review_decision", "review_request"]


def test_it_refuses_clearly(complete, restricted_incident, outsider, viewer, admin_user):
    ref = f"INC-{complete.pk}"
    with pytest.raises(CommandError, match="--as USERNAME"):
        _run("request", ref, "--reviewers", "bob")
    with pytest.raises(CommandError, match="No such incident"):
        _run("--as", "mallory", "status", f"INC-{restricted_incident.pk}")
    with pytest.raises(CommandError, match="No such incident"):
        _run("--as", "root", "status", "INC-banana")
    with pytest.raises(CommandError, match="no active user"):
        _run("--as", "alice", "request", ref, "--reviewers", "nobody")
    with pytest.raises(CommandError, match="may edit"):
        _run("--as", "victor", "publish", ref)
    with pytest.raises(CommandError, match="between 1 and 10"):
        _run("--as", "root", "approvals", "platform", "99")
    with pytest.raises(CommandError, match="No team"):
        _run("--as", "root", "approvals", "nope", "2")
