"""``/metrics`` and JSON logs from a real ``kintsugi serve`` with several worker processes.

A scrape is answered by one process; the request counts it reports must be those of all of
them, or a dashboard would jump between workers' figures.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.served import kintsugi_env, kintsugi_serve

TOKEN = "served-metrics-token-123"


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
        return response.status, dict(response.headers), response.read()


@pytest.fixture
def served(tmp_path: Path):
    env = kintsugi_env(tmp_path, KINTSUGI_METRICS_TOKEN=TOKEN, KINTSUGI_LOG_FORMAT="json")
    migrate = subprocess.run(
        [sys.executable, "-m", "kintsugi", "migrate", "-v0"], env=env, capture_output=True,
        text=True, timeout=300,
    )  # fmt: skip
    assert migrate.returncode == 0, migrate.stderr
    log = tmp_path / "server.log"
    with kintsugi_serve(env, "--workers", "2", "--threads", "2", log=log) as server:
        yield server.url, log


def _livez_count(text: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if (
            line.startswith("kintsugi_http_request_duration_seconds_count{")
            and 'view="livez"' in line
        ):
            total += float(line.rpartition(" ")[2])
    return total


def test_every_process_counts_into_one_scrape(served) -> None:
    url, _ = served
    for _ in range(30):
        _get(url + "/livez")  # a new connection each time: both processes answer some
    scrapes = []
    for _ in range(6):
        status, headers, body = _get(url + "/metrics", Authorization=f"Bearer {TOKEN}")
        assert status == 200
        scrapes.append(_livez_count(body.decode()))
    # The fixture's start-up probes are livez requests too: at least 31, the same in all.
    assert len(set(scrapes)) == 1 and scrapes[0] >= 31, scrapes
    text = body.decode()
    assert "kintsugi_queue_deliveries_depth 0.0" in text
    assert "kintsugi_worker_seen 0.0" in text


def test_each_request_is_one_json_log_line_with_its_id(served) -> None:
    url, log = served
    _, headers, _ = _get(url + "/livez", **{"X-Request-ID": "edge-proxy-42-abcdef"})
    assert headers["X-Request-ID"] == "edge-proxy-42-abcdef"
    _, headers, _ = _get(url + "/readyz")
    generated = headers["X-Request-ID"]
    deadline = time.monotonic() + 10
    while True:
        entries = []
        for line in log.read_text().splitlines():
            if line.startswith("{"):
                entries.append(json.loads(line))
        ids = {
            entry.get("request_id")
            for entry in entries
            if entry.get("logger") == "kintsugi.requests"
        }
        if {"edge-proxy-42-abcdef", generated} <= ids or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert {"edge-proxy-42-abcdef", generated} <= ids
    (entry,) = [e for e in entries if e.get("request_id") == generated]
    assert entry["path"] == "/readyz" and entry["status"] == 200 and entry["view"] == "readyz"
    assert (
        entry["level"] == "INFO" and entry["duration_ms"] >= 0 and entry["time"].endswith("+00:00")
    )
