"""`kintsugi weekly-review` and `kintsugi worker` as an operator runs them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kintsugi.cli import main
from kintsugi.debt.models import Delivery
from tests.debt.servers import SmtpSink

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def agenda_data(make_item, teammate):
    make_item("Cap the *pool* [x](javascript:alert(1))", owner=teammate, due_on=date(2026, 11, 16))


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--week", "2026-48"], "'2026-48' is not an ISO week; write it as YYYY-Www"),
        (["--week", "2025-W53"], "2025 has no week 53"),
        (["--team", "nope"], "Unknown team 'nope'"),
        (["--format", "pdf"], "Unknown format 'pdf'"),
    ],
)
def test_it_exits_2_with_a_one_line_reason(db, capsys, args, reason):
    with pytest.raises(SystemExit) as exit_:
        main(["weekly_review", *args])
    assert exit_.value.code == 2
    err = capsys.readouterr().err.strip()
    assert reason in err and "\n" not in err


def test_it_prints_markdown_escaping_user_text(clock, agenda_data, capsys, admin_user):
    call_command(
        "weekly_review", "--week", "2026-W48", "--team", "platform", "--as", "root", clock=clock
    )
    out = capsys.readouterr().out
    assert out.startswith("# Weekly review 2026-W48 - team Platform\n")
    assert "Cap the \\*pool\\* \\[x\\](javascript:alert(1))" in out
    assert "## Overdue (1)" in out


def test_it_prints_json_and_html(clock, agenda_data, capsys, admin_user):
    call_command(
        "weekly_review", "--week", "2026-W48", "--format", "json", "--as", "root", clock=clock
    )
    data = json.loads(capsys.readouterr().out)
    assert data["week"] == "2026-W48" and data["summary"]["overdue"] == 1
    call_command(
        "weekly_review", "--week", "2026-W48", "--format", "html", "--as", "root", clock=clock
    )
    html = capsys.readouterr().out
    assert html.startswith("<!doctype html>") and "<script" not in html
    assert "Cap the *pool* [x](javascript:alert(1))" in html  # escaped text, not a link
    assert 'href="javascript' not in html


def test_it_applies_the_access_rules_of_the_user_given(
    clock, make_incident, make_item, outsider, admin_user, capsys
):
    hidden = make_incident("Leaked key", restricted=True)
    make_item("Rotate the key", incident=hidden, due_on=date(2026, 11, 16))
    call_command("weekly_review", "--week", "2026-W48", "--as", "mallory", clock=clock)
    assert "Rotate the key" not in capsys.readouterr().out
    call_command("weekly_review", "--week", "2026-W48", "--as", "root", clock=clock)  # an admin
    assert "Rotate the key" in capsys.readouterr().out
    # No implicit admin: without an identity it refuses, printing nothing.
    with pytest.raises(CommandError, match="acts as a named user") as refused:
        call_command("weekly_review", "--week", "2026-W48", clock=clock)
    assert refused.value.returncode == 2
    assert "Rotate the key" not in capsys.readouterr().out


def test_it_sends_now_with_send(clock, settings, agenda_data, capsys):
    with SmtpSink() as smtp:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
        call_command(
            "weekly_review", "--team", "platform", "--week", "2026-W48", "--send", clock=clock
        )
    out = capsys.readouterr().out
    assert "Platform 2026-W48 email to bob@example.com: sent" in out
    assert len(smtp.messages) == Delivery.objects.count() == 2


def test_the_worker_process_stops_cleanly_on_sigterm(tmp_path):
    env = {
        **os.environ,
        "KINTSUGI_ENV": "test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "kintsugi.settings",
    }
    cli = [sys.executable, "-m", "kintsugi.cli"]
    subprocess.run([*cli, "migrate", "-v", "0"], env=env, cwd=ROOT, check=True, timeout=120)
    worker = subprocess.Popen(
        [*cli, "worker", "--interval", "0.2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert worker.stdout.readline().strip() == "worker: started"  # handlers installed
    time.sleep(0.5)  # let it run a pass or two
    worker.send_signal(signal.SIGTERM)
    out, err = worker.communicate(timeout=30)
    assert worker.returncode == 0, err
    assert "worker: stopped" in out
