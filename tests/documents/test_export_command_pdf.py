"""``kintsugi export --format pdf`` obeys the same limits as a download: one line on
stderr and exit status 2 when the PDF is refused or stopped."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from tests.pdf_exports import add_events


def test_it_refuses_a_post_mortem_over_the_limit_in_one_line(tmp_path):
    # Its own SQLite file in tmp_path, whatever DATABASE_URL the suite runs on: the demo
    # data must be the only data, so that the demo's first post-mortem is number 1.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "KINTSUGI_ENV": "test",
        "KINTSUGI_DATA_DIR": str(tmp_path),
        "KINTSUGI_PDF_MAX_EVENTS": "1",
    }
    for command in (["migrate", "-v0"], ["demo"]):
        subprocess.run(
            [sys.executable, "-m", "kintsugi", *command],
            env=env,
            check=True,
            timeout=180,
            capture_output=True,
        )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kintsugi",
            "export",
            "1",
            "--format",
            "pdf",
            "-o",
            "x.pdf",
            "--as",
            "demo",
        ],  # fmt: skip
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "This post-mortem is too large for PDF (" in result.stderr
    assert "limit 1); export HTML and print it from the browser" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_it_stops_a_render_past_its_deadline(settings, tmp_path, pdf_cache, owner, incident):
    settings.KINTSUGI_PDF_TIMEOUT = 0.2
    add_events(incident, owner, 150)
    target = tmp_path / "out.pdf"
    with pytest.raises(CommandError, match="took longer than 0.2 s") as stopped:
        call_command(
            "export", str(incident.pk), "--format", "pdf", "--as", owner.username, "-o", target
        )
    assert stopped.value.returncode == 2
    assert not target.exists()
