"""``kintsugi --as USER admin ...``: the administration actions from the terminal, through
the pages' services (same access rules, same audit entries); the invitation goes through
the real SMTP server on loopback."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from kintsugi.accounts.models import User
from kintsugi.administration.models import Invitation
from kintsugi.teams.models import Membership, Service, Team
from tests.administration.conftest import audit_changes

pytestmark = pytest.mark.django_db


def run(*args: str, as_user: str | None = "root") -> object:
    out = io.StringIO()
    prefix = ("--as", as_user) if as_user else ()
    call_command("admin", *prefix, *args, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def test_a_site_admin_sets_up_a_team_from_the_terminal(smtp, admin_user, teammate, team):
    assert run("team-create", "Payments", "payments") == {"team": "payments", "name": "Payments"}
    assert run("service-create", "Checkout", "checkout", "--team", "payments")["team"] == "payments"
    assert Service.objects.get(slug="checkout").team.slug == "payments"
    invited = run("invite", "lee@example.com", "--team", "payments", "--team-role", "admin")
    assert invited["sent"] is True and len(smtp.messages) == 1
    assert Invitation.objects.get(email="lee@example.com").team_role == "admin"
    assert run("member-add", "payments", "bob", "--role", "viewer")["role"] == "viewer"
    assert run("member-role", "payments", "bob", "admin")["role"] == "admin"
    assert User.objects.get(username="bob").leads_team
    assert run("member-remove", "payments", "bob") == {"team": "payments", "removed": "bob"}
    assert not Membership.objects.filter(team__slug="payments", user__username="bob").exists()
    assert run("deactivate", "bob") == {"username": "bob", "active": False}
    assert run("reactivate", "bob") == {"username": "bob", "active": True}
    assert run("role", "bob", "viewer") == {"username": "bob", "role": "viewer"}
    entries = run("audit", "--limit", "20")
    assert [e["detail"]["change"] for e in entries] == audit_changes()[:20]
    assert entries[0]["actor"] == "root" and "user.role" in audit_changes()


def test_without_an_identity_it_refuses(admin_user, monkeypatch):
    monkeypatch.delenv("KINTSUGI_CLI_USER", raising=False)
    monkeypatch.delenv("KINTSUGI_USER", raising=False)
    with pytest.raises(CommandError) as refused:
        run("team-create", "X", "x", as_user=None)
    assert refused.value.returncode == 2
    assert not Team.objects.filter(slug="x").exists()


@pytest.mark.parametrize(
    "args",
    [
        ("team-create", "X", "x"),
        ("deactivate", "root"),
        ("role", "bob", "admin"),
        ("audit",),
        ("invite", "z@example.com"),
        ("member-add", "platform", "root"),
        ("member-remove", "platform", "bob"),
    ],
)
def test_a_person_without_the_role_is_refused_and_nothing_changes(admin_user, teammate, args):
    with pytest.raises(CommandError) as refused:
        run(*args, as_user="bob")
    assert refused.value.returncode == 1
    assert audit_changes() == []
    assert Membership.objects.filter(user__username="bob").exists()


def test_a_team_admin_manages_their_team_only(smtp, owner, teammate, team):
    other = Team.objects.create(name="Payments", slug="payments")
    assert run("member-role", "platform", "bob", "viewer", as_user="alice")["role"] == "viewer"
    with pytest.raises(CommandError):
        run("member-add", "payments", "bob", as_user="alice")
    with pytest.raises(CommandError):
        run("invite", "z@example.com", "--team", "platform", "--role", "admin", as_user="alice")
    assert not Membership.objects.filter(team=other).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("invite", "not an address"), "is not an email address"),
        (("invite", "a" * 300 + "@example.com"), "limit is 254"),
        (("invite", "x@example.com", "--role", "god"), "role"),
        (("invite", "x@example.com", "--team", "<script>"), "There is no team"),
        (("deactivate", "nobody" * 50), "There is no user"),
        (("role", "root", "viewer"), "own admin role"),
        (("deactivate", "root"), "your own account"),
        (("member-role", "platform", "bob", "x" * 5000), "team role"),
        (("member-remove", "platform", "mallory"), "is not in Platform"),
        (("team-create", "Bad\x00", "bad"), "control characters"),
        (("audit", "--limit", "0"), "1 to 1000"),
    ],
)
def test_bad_input_gets_a_one_line_message(admin_user, teammate, outsider, args, message):
    with pytest.raises(CommandError, match=message) as refused:
        run(*args)
    assert refused.value.returncode == 2
    assert audit_changes() == []
