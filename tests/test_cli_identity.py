"""The command line acts as a named user, never as an implicit administrator
(kintsugi/postmortems/cli_identity.py, kintsugi/cli.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kintsugi.postmortems.cli_identity import resolve_actor


@pytest.fixture
def no_identity(monkeypatch):
    monkeypatch.delenv("KINTSUGI_CLI_USER", raising=False)
    monkeypatch.delenv("KINTSUGI_USER", raising=False)


def test_without_an_identity_a_command_refuses(db, no_identity, admin_user):
    with pytest.raises(CommandError, match="pass --as USERNAME or set KINTSUGI_CLI_USER") as err:
        resolve_actor(None)
    assert err.value.returncode == 2


def test_the_identity_comes_from_as_then_the_environment(db, no_identity, monkeypatch, make_user):
    alice, bob = make_user("alice"), make_user("bob")
    monkeypatch.setenv("KINTSUGI_USER", "bob")  # the older name still works
    assert resolve_actor(None) == bob
    monkeypatch.setenv("KINTSUGI_CLI_USER", "alice")
    assert resolve_actor(None) == alice
    assert resolve_actor("bob") == bob  # --as wins


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("ghost", "No active user named 'ghost'"),
        ("<script>alert(1)</script>", "No active user named '<script>alert(1)</script>'"),
        ("x" * 151, "at most 150 characters"),
    ],
)
def test_an_unknown_or_malformed_name_is_refused(db, no_identity, name, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        resolve_actor(name)


def test_a_deactivated_user_cannot_be_acted_as(db, no_identity, make_user):
    make_user("gone", is_active=False)
    with pytest.raises(CommandError, match="No active user named 'gone'"):
        resolve_actor("gone")


def test_export_without_an_identity_writes_nothing(db, no_identity, incident, tmp_path):
    target = tmp_path / "out.md"
    with pytest.raises(CommandError, match="acts as a named user"):
        call_command("export", str(incident.pk), "-o", str(target), stdout=StringIO())
    assert not target.exists()


def test_the_users_rules_apply_through_the_environment_too(
    db, no_identity, monkeypatch, restricted_incident, outsider, owner, tmp_path
):
    target = tmp_path / "out.md"
    monkeypatch.setenv("KINTSUGI_CLI_USER", outsider.username)
    with pytest.raises(CommandError):
        call_command("export", str(restricted_incident.pk), "-o", str(target))
    assert not target.exists()
    monkeypatch.setenv("KINTSUGI_CLI_USER", owner.username)
    call_command("export", str(restricted_incident.pk), "-o", str(target))
    assert restricted_incident.title in target.read_text(encoding="utf-8")


def test_the_real_command_line(tmp_path):
    """In a real process on its own database: no identity is one line and exit 2; ``--as``
    before the command names the user; commands that need no identity still run."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "KINTSUGI_CLI_USER", "KINTSUGI_USER")
    }
    env = {**base, "KINTSUGI_ENV": "test", "KINTSUGI_DATA_DIR": str(tmp_path)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kintsugi", *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=180,
        )

    assert run("migrate", "-v0").returncode == 0  # no identity needed
    assert run("demo").returncode == 0  # loads the demo: no identity needed

    refused = run("export", "1", "-o", "out.md")
    assert refused.returncode == 2
    assert "acts as a named user" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out.md").exists()

    dangling = run("--as")
    assert dangling.returncode == 2
    assert "--as needs a username" in dangling.stderr

    done = run("--as", "dan", "export", "1", "-o", "out.md")  # dan is a demo viewer
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out.md").read_text(encoding="utf-8").startswith("---\n")
    viewer_import = run("--as=dan", "import", "out.md")
    assert viewer_import.returncode == 2
    assert "may not import" in viewer_import.stderr
    assert run("debt-tally").returncode == 0  # counts only: no identity needed
