"""`make run HOST=... PORT=...` sets the base URL of links in emails and Slack messages
(KINTSUGI_BASE_URL) to where it serves, unless it is already set (issue 14, item 12)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def _dry_run(*args: str, **env: str) -> str:
    base = {k: v for k, v in os.environ.items() if k != "KINTSUGI_BASE_URL"}
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", "-C", str(ROOT), "run", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def _base_urls(commands: str) -> dict[str, str]:
    """The KINTSUGI_BASE_URL each long-running command (worker, serve) is started with."""
    found = re.findall(r"KINTSUGI_BASE_URL='([^']*)' \S*kintsugi (worker|serve)", commands)
    return {command: url for url, command in found}


def test_the_port_and_host_given_to_make_run_are_in_the_links(tmp_path):
    urls = _base_urls(_dry_run("PORT=8123", "HOST=192.0.2.7"))
    assert urls == {"worker": "http://192.0.2.7:8123", "serve": "http://192.0.2.7:8123"}
    settings = subprocess.run(
        [sys.executable, "-c", "import kintsugi.settings as s; print(s.KINTSUGI_BASE_URL)"],
        env={
            **os.environ,
            "KINTSUGI_ENV": "development",
            "KINTSUGI_DATA_DIR": str(tmp_path),
            "KINTSUGI_BASE_URL": urls["worker"],
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert settings.stdout.strip() == "http://192.0.2.7:8123"


def test_the_default_is_where_make_run_serves():
    assert _base_urls(_dry_run())["serve"] == "http://127.0.0.1:8000"


def test_a_base_url_already_set_is_kept():
    urls = _base_urls(_dry_run("PORT=8123", KINTSUGI_BASE_URL="https://pm.example"))
    assert urls == {"worker": "https://pm.example", "serve": "https://pm.example"}
