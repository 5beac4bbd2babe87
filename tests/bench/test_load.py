"""``make load`` cannot rot: its whole machinery for ~10 s on a tiny generated data set.

The real ``python -m bench.load`` in a subprocess: data prepared through the generator,
``kintsugi serve`` in production mode (a static manifest as ``collectstatic`` writes it,
each name mapped to itself, as tests/postmortems/test_serve_command.py does), Locust with one
user of each kind doing each of its tasks in turn (``LOAD_EVERY_KIND``), the report parsed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from django.apps import apps
from django.contrib.staticfiles import finders

ROOT = Path(__file__).resolve().parents[2]
KINDS = [
    "list page",
    "list page, filtered",
    "post-mortem page",
    "post-mortem: blamelessness",
    "post-mortem: recurrence",
    "debt dashboard",
    "weekly review",
    "insights",
    "section: edit form",
    "section: save",
    "5 Whys: section",
    "5 Whys: add",
    "5 Whys: edit",
    "API: list",
    "API: get",
    "API: patch",
    "webhook: generic JSON",
    "sign in",
]


def _manifest(root: Path) -> None:
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    names = sorted(name for f in finders.get_finders() for name, _ in f.list(ignore))
    root.mkdir(parents=True)
    paths = {name: name for name in names}
    (root / "staticfiles.json").write_text(json.dumps({"paths": paths, "version": "1.1"}))


def _load(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cleared = {"DATABASE_URL", "LOAD_DATABASE_URL", "LOAD_SECONDS", "KINTSUGI_ENV"}
    env = {k: v for k, v in os.environ.items() if k not in cleared}
    env.update(BENCH_DIR=str(tmp_path), LOAD_EVERY_KIND="1", PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "bench.load", *args], env=env, cwd=ROOT, capture_output=True,
        text=True, timeout=150,
    )  # fmt: skip


def test_a_short_run_makes_every_kind_of_request_without_error(tmp_path):
    _manifest(tmp_path / "static")
    result = _load(
        tmp_path, "--users", "4", "--spawn-rate", "4", "--seconds", "10", "--scale", "0.002",
        "--workers", "1", "--static-root", str(tmp_path / "static"),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    table = {}
    for line in result.stdout.splitlines():
        found = re.match(r"(.+?)\s+(\d+)\s+(\d+)\s+[\d.]+\s+\d+\s+\d+\s+\d+$", line)
        if found:
            table[found.group(1)] = (int(found.group(2)), int(found.group(3)))
    for kind in KINDS:
        assert kind in table, (kind, result.stdout)
        requests, errors = table[kind]
        assert requests > 0 and errors == 0, (kind, table[kind])
    assert re.search(r"^pages  p95 +\d+ ms, goal < 150 ms: (ok|OVER)", result.stdout, re.M)
    assert re.search(r"^APIs   p95 +\d+ ms, goal < 100 ms: (ok|OVER)", result.stdout, re.M)
    assert result.stdout.rstrip().endswith("errors: 0"), result.stdout
    # Nothing the server logged was an error (a 5xx would also be counted above).
    log = (tmp_path / "load-server.log").read_text()
    assert "Traceback" not in log and '" 500 ' not in log, log[-3000:]


def test_bad_options_are_refused_with_a_message_before_anything_runs(tmp_path):
    for args in (["--users", "0"], ["--seconds", "-5"], ["--users", "many"]):
        result = _load(tmp_path, *args)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr and "--users" in result.stderr, result.stderr
    assert not (tmp_path / "load.sqlite3").exists()  # nothing was prepared
