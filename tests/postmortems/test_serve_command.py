"""``kintsugi serve`` in production starts at once: static files are collected at install time.

Collecting and compressing them took 100-135 s at every first start (issue 20); ``serve``
now only checks the manifest ``kintsugi collectstatic`` leaves and says what to run.
These run the real command in a subprocess, with a real manifest where it must start.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from django.apps import apps
from django.contrib.staticfiles import finders

from tests.served import free_port, kintsugi_serve

COLLECT = "kintsugi collectstatic --noinput"


def _env(tmp_path: Path) -> dict[str, str]:
    cleared = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "STATIC_ROOT", "KINTSUGI_ENV"}
    base = {k: v for k, v in os.environ.items() if k not in cleared}
    return {
        **base,
        "KINTSUGI_ENV": "production",
        "SECRET_KEY": "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "false",
        "KINTSUGI_DATA_DIR": str(tmp_path),
        "STATIC_ROOT": str(tmp_path / "static"),
        "KINTSUGI_PDF_WARM_UP": "0",
    }


def _kintsugi(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kintsugi", *args], env=env, capture_output=True, text=True,
        timeout=90,
    )  # fmt: skip


def _source_names() -> list[str]:
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    return sorted(name for f in finders.get_finders() for name, _ in f.list(ignore))


def _write_manifest(root: Path, names: list[str]) -> None:
    """The manifest as WhiteNoise writes it, each name mapped to itself (no hashing needed
    to show that ``serve`` reads it: the collection itself is Django's, tested upstream)."""
    root.mkdir(parents=True, exist_ok=True)
    paths = {name: name for name in names}
    (root / "staticfiles.json").write_text(json.dumps({"paths": paths, "version": "1.1"}))


def _refused(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    assert "Kintsugi is serving" not in result.stdout


def test_serve_without_collected_static_files_says_what_to_run(tmp_path):
    env = _env(tmp_path)
    assert _kintsugi(["migrate", "-v0"], env).returncode == 0
    started = time.monotonic()
    result = _kintsugi(["serve", "--port", str(free_port())], env)
    _refused(result, "Static files are not collected", str(tmp_path / "static"), COLLECT)
    assert time.monotonic() - started < 30  # nothing was collected on the way


def test_serve_refuses_a_malformed_or_outdated_manifest(tmp_path):
    env = _env(tmp_path)
    assert _kintsugi(["migrate", "-v0"], env).returncode == 0
    root = tmp_path / "static"
    root.mkdir()
    (root / "staticfiles.json").write_text("{not json")
    _refused(_kintsugi(["serve", "--port", str(free_port())], env), "not collected", COLLECT)
    names = _source_names()
    _write_manifest(root, names[1:])  # an earlier release, without one of today's files
    result = _kintsugi(["serve", "--port", str(free_port())], env)
    _refused(result, "from an earlier release", names[0], COLLECT)


def test_serve_with_a_current_manifest_starts_at_once(tmp_path):
    env = _env(tmp_path)
    assert _kintsugi(["migrate", "-v0"], env).returncode == 0
    _write_manifest(tmp_path / "static", _source_names())
    started = time.monotonic()
    with kintsugi_serve(env, "--workers", "1", ready="/healthz", timeout=30):
        assert time.monotonic() - started < 30
