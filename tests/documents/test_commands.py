"""The export and import commands, run as a user would run them (a real process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kintsugi.documents.assembly import document_from_incident
from kintsugi.documents.demo import MAIN_TITLE
from kintsugi.postmortems.models import Incident


@pytest.fixture
def demo(db, admin_user):
    """The demo post-mortems; the commands act as the admin ``root`` (``--as root``)."""
    call_command("demo", stdout=StringIO())
    return Incident.objects.get(title=MAIN_TITLE)


def _export(incident_id, fmt, tmp_path, *extra):
    target = tmp_path / f"out.{fmt}"
    call_command(
        "export", str(incident_id), "--format", fmt, "-o", str(target), "--as", "root", *extra
    )
    return target.read_text(encoding="utf-8")


def test_it_exports_markdown_with_front_matter_and_every_section(demo, tmp_path):
    text = _export(demo.pk, "md", tmp_path)
    assert text.startswith("---\n")
    for heading in (
        "## Executive Summary",
        "## Incident Timeline",
        "## Contributing Factors",
        "## Lessons Learned",
        "## Action Items",
    ):
        assert heading in text
    assert "runner" in text


def test_it_exports_a_standalone_html_page(demo, tmp_path):
    html = _export(f"INC-{demo.pk}", "html", tmp_path)
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert "<script" not in html.lower()
    assert "http://" not in html.split("<body", 1)[0]  # no external stylesheet or CDN


def test_it_exports_json(demo, tmp_path):
    data = json.loads(_export(demo.pk, "json", tmp_path))
    assert data["title"] == MAIN_TITLE
    assert len(data["action_items"]) == 5


def test_it_round_trips_the_demo_through_markdown_without_loss(demo, tmp_path, admin_user):
    path = tmp_path / "demo.md"
    call_command("export", str(demo.pk), "--format", "md", "-o", str(path), "--as", "root")
    # Without its id the file is a new post-mortem (with it, it updates the demo: see
    # tests/documents/test_import_command.py).
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"id: {demo.pk}\n", "", 1), encoding="utf-8")
    call_command("import_postmortem", str(path), "--as", "root", stdout=StringIO())
    copy = Incident.objects.exclude(pk=demo.pk).get(title=MAIN_TITLE)
    original = document_from_incident(user=admin_user, pk=demo.pk)
    imported = document_from_incident(user=admin_user, pk=copy.pk)
    original.id = imported.id = None
    original.revision = imported.revision = None  # a digest of the rows, which differ
    assert imported == original


def test_it_refuses_an_unknown_format(demo):
    with pytest.raises(CommandError, match="Unknown format"):
        call_command("export", str(demo.pk), "--format", "docx", "--as", "root")


def test_it_refuses_an_incident_the_user_may_not_see(restricted_incident, outsider):
    with pytest.raises(CommandError, match="No incident"):
        call_command("export", str(restricted_incident.pk), "--as", outsider.username)


def test_it_refuses_an_unknown_user(demo):
    with pytest.raises(CommandError, match="No active user"):
        call_command("export", str(demo.pk), "--as", "nobody")


def test_it_refuses_a_viewer_import(demo, viewer, tmp_path):
    path = tmp_path / "x.md"
    path.write_text("---\ntitle: X\nstarted_at: 2026-01-01T00:00:00Z\n---\n# X\n", encoding="utf-8")
    with pytest.raises(CommandError, match="role may not"):
        call_command("import_postmortem", str(path), "--as", viewer.username)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"# Title\n\xff\xfebad", "UTF-8"),
        (b"# Title\n\x00binary", "NUL byte"),
        (b"---\ntitle: [unclosed\n---\n# X\n", r"bad\.md:2: The front matter is not valid YAML"),
        (b"---\ntitle: X\nseverity: SEV9\nstarted_at: 2026-01-01T00:00:00Z\n---\n# X\n", "SEV9"),
    ],
)
def test_it_refuses_a_malformed_file_and_writes_nothing(db, tmp_path, content, message, admin_user):
    """Strictly: best effort keeps what it cannot read instead (test_import_command.py);
    text that is not UTF-8 or holds NUL bytes is refused either way."""
    path = tmp_path / "bad.md"
    path.write_bytes(content)
    before = Incident.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("import_postmortem", str(path), "--strict", "--as", "root")
    assert Incident.objects.count() == before


def test_it_refuses_a_file_over_the_size_limit(db, tmp_path, admin_user):
    from kintsugi.core.markdown.limits import MAX_DOCUMENT_BYTES

    path = tmp_path / "huge.md"
    path.write_bytes(b"# Huge\n" + b"x" * MAX_DOCUMENT_BYTES)
    with pytest.raises(CommandError, match="limit"):
        call_command("import_postmortem", str(path), "--as", "root")


def test_it_refuses_a_missing_file(db, admin_user):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_postmortem", "/nonexistent/file.md", "--as", "root")


def test_it_exits_2_with_a_one_line_reason_from_the_real_command(tmp_path):
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
    result = subprocess.run(
        [sys.executable, "-m", "kintsugi", "--as", "root", "import", str(tmp_path / "missing.md")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "cannot read" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_it_exports_a_pdf(demo, tmp_path):
    target = tmp_path / "out.pdf"
    call_command("export", str(demo.pk), "--format", "pdf", "-o", str(target), "--as", "root")
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert len(data) > 5000  # the whole demo, not an empty page
