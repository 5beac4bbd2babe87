"""``/metrics`` and JSON logs from a real ``kintsugi serve`` with several worker processes.

A scrape is answered by one process; the request counts it reports must be those of all of
them, or a dashboard would jump between workers' figures.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

TOKEN = "served-metrics-token-123"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
        return response.status, dict(response.headers), response.read()


@pytest.fixture
def served(tmp_path: Path):
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "KINTSUGI_ENV"}}
    env = {
        **base,
        "KINTSUGI_ENV": "development",
        "KINTSUGI_DATA_DIR": str(tmp_path),
        "KINTSUGI_METRICS_TOKEN": TOKEN,
        "KINTSUGI_LOG_FORMAT": "json",
        "KINTSUGI_PDF_WARM_UP": "0",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    migrate = subprocess.run(
        [sys.executable, "-m", "kintsugi", "migrate", "-v0"], env=env, capture_output=True,
        text=True, timeout=300,
    )  # fmt: skip
    assert migrate.returncode == 0, migrate.stderr
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "kintsugi", "serve", "--port", str(port), "--workers", "2",
         "--threads", "2"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            _get(url + "/livez")
            break
        except OSError:
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
    try:
        yield url, tmp_path / "server.log"
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


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
