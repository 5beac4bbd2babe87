"""``kintsugi import`` on files and folders: report, dry run, strict, re-runs, bad files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kintsugi.postmortems.models import ActionItem, Incident

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _as_root(admin_user):
    """The admin the commands act as (``--as root``): there is no implicit one."""


BLOG_POST = """\
---
layout: post
title: "Queue backlog on 2024-05-01"
tags: [postmortem]
---

## Summary

Jobs waited up to 40 minutes.

## Timeline (all times UTC)

- 2024-05-01 09:05 UTC Queue depth alert fired
- 2024-05-01 09:45 UTC Backlog drained

## Action Items

| Action | Owner | Ticket |
|---|---|---|
| Autoscale workers on queue depth | @infra | OPS-7 |
"""


def _run(*args: str) -> tuple[str, CommandError | None]:
    """The command as the admin ``root`` (``_as_root``) unless the test names someone."""
    out = StringIO()
    if "--as" not in args:
        args = ("--as", "root", *args)
    try:
        call_command("import_postmortem", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "postmortems"
    (folder / "2024").mkdir(parents=True)
    (folder / "2024" / "queue-backlog.md").write_text(BLOG_POST, encoding="utf-8")
    (folder / "2024" / "cache.md").write_text(
        BLOG_POST.replace("Queue backlog", "Cache stampede").replace("OPS-7", "OPS-8"),
        encoding="utf-8",
    )
    (folder / "README.md").write_text("# Our post-mortems\n\nOne file each.\n", encoding="utf-8")
    (folder / ".git").mkdir()
    (folder / ".git" / "HEAD.md").write_text(BLOG_POST, encoding="utf-8")
    (folder / "node_modules").mkdir()
    (folder / "node_modules" / "x.md").write_text(BLOG_POST, encoding="utf-8")
    return folder


def test_it_imports_a_folder_with_a_summary_and_skips_what_is_no_postmortem(tmp_path):
    folder = _folder(tmp_path)
    (folder / "postmortem-template.md").write_text(BLOG_POST, encoding="utf-8")
    # Plain prose with no section we recognise is still a post-mortem: it comes in.
    (folder / "2024" / "prose.md").write_text(
        "# Wallet sync stalled\n\nOn 2024-05-02 wallets stopped syncing for an hour.\n",
        encoding="utf-8",
    )
    out, error = _run(str(folder))
    assert error is None, error
    assert Incident.objects.count() == 3
    assert "3 created, 2 skipped" in out
    assert "README.md: skipped" in out and "postmortem-template.md: skipped" in out
    assert "Not users here, kept as written (action item owners): @infra." in out
    assert ActionItem.objects.filter(owner_name="@infra").count() == 2


def test_running_it_again_updates_and_never_duplicates(tmp_path):
    folder = _folder(tmp_path)
    _run(str(folder))
    out, error = _run(str(folder))
    assert error is None
    assert "2 unchanged" in out
    (folder / "2024" / "cache.md").write_text(
        BLOG_POST.replace("Queue backlog", "Cache stampede").replace("40 minutes", "50 minutes"),
        encoding="utf-8",
    )
    out, error = _run(str(folder))
    assert "1 unchanged, 1 updated" in out.replace("1 skipped, ", "")
    assert Incident.objects.count() == 2


def test_a_dry_run_reports_and_writes_nothing(tmp_path):
    out, error = _run("--dry-run", str(_folder(tmp_path)))
    assert error is None
    assert "2 checked" in out
    assert not Incident.objects.exists()


def test_strict_refuses_what_best_effort_would_assume(tmp_path):
    path = tmp_path / "post.md"
    path.write_text(BLOG_POST, encoding="utf-8")
    out, error = _run("--strict", str(path))
    assert error is not None and error.returncode == 2
    assert not Incident.objects.exists()
    out, error = _run(str(path))
    assert error is None and Incident.objects.count() == 1


def test_json_output_carries_each_report(tmp_path):
    out, error = _run("--format", "json", str(_folder(tmp_path)))
    data = json.loads(out)
    assert {row["result"] for row in data} == {"created", "skipped"}
    created = [row for row in data if row["result"] == "created"]
    assert all(row["reference"].startswith("INC-") for row in created)
    assert all(row["report"]["recognised"]["action_items"] == 1 for row in created)


def test_one_bad_file_costs_only_itself_and_the_exit_is_2(tmp_path):
    folder = _folder(tmp_path)
    (folder / "binary.md").write_bytes(b"# Title\n\x00\x01\x02 not text")
    (folder / "latin1.md").write_bytes("# Café\n\nR\xe9sum\xe9".encode("latin-1"))
    out, error = _run(str(folder))
    assert error is not None and error.returncode == 2
    assert "2 of 5 files could not be imported" in str(error)
    assert "binary.md:2: refused" in out and "NUL byte" in out
    assert "latin1.md" in out and "UTF-8" in out
    assert Incident.objects.count() == 2


def test_a_file_over_the_limit_is_refused_by_name(tmp_path):
    from kintsugi.core.markdown.limits import MAX_DOCUMENT_BYTES

    folder = _folder(tmp_path)
    (folder / "huge.md").write_bytes(b"# Huge\n" + b"x" * MAX_DOCUMENT_BYTES)
    out, error = _run(str(folder))
    assert "huge.md: refused" in out and "limit is 1 MiB" in out
    assert Incident.objects.count() == 2


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_link_loop_in_the_folder_does_not_trap_it(tmp_path):
    folder = _folder(tmp_path)
    os.symlink(folder, folder / "2024" / "loop")
    out, error = _run(str(folder))
    assert error is None
    assert Incident.objects.count() == 2


def test_hostile_text_is_kept_as_text(tmp_path):
    path = tmp_path / "xss.md"
    path.write_text(
        BLOG_POST.replace("Jobs waited", "<script>alert(1)</script> Jobs waited"),
        encoding="utf-8",
    )
    out, error = _run(str(path))
    assert error is None
    assert "<script>alert(1)</script>" in Incident.objects.get().summary


def test_a_viewer_is_refused_before_any_file_is_read(tmp_path, viewer):
    out, error = _run("--as", viewer.username, str(_folder(tmp_path)))
    assert error is not None and "may not import" in str(error)
    assert not Incident.objects.exists()


def test_an_empty_folder_is_bad_usage(tmp_path):
    out, error = _run(str(tmp_path))
    assert error is not None and error.returncode == 2
    assert "No post-mortem files" in str(error)


def test_the_real_command_prints_the_report_and_exits_0(tmp_path):
    # Its own SQLite file in tmp_path, whatever DATABASE_URL the suite runs on.
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "KINTSUGI_CLI_USER")}
    env = {**base, "KINTSUGI_ENV": "test", "KINTSUGI_DATA_DIR": str(tmp_path)}
    subprocess.run(
        [sys.executable, "-m", "kintsugi", "migrate", "-v0"], env=env, check=True, timeout=120
    )
    subprocess.run(
        [sys.executable, "-m", "kintsugi", "createsuperuser", "--noinput", "--username", "root",
         "--email", "root@example.com"],
        env={**env, "DJANGO_SUPERUSER_PASSWORD": "a-long-admin-password"},
        check=True,
        timeout=120,
    )  # fmt: skip
    path = tmp_path / "post.md"
    path.write_text(BLOG_POST, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "kintsugi", "import", "--dry-run", "--as", "root", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Checked (dry run, nothing written)" in result.stdout
    assert "@infra" in result.stdout
