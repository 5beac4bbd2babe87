"""The real Alertmanager (Debian's prometheus-alertmanager) posting to the app over loopback.

Skipped with the reason when the binaries are missing, unless KINTSUGI_REQUIRE_ALERTMANAGER=1
(set in .ci/run), where a missing binary fails.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kintsugi.core.timeline import EventKind
from tests.served import free_port

ALERTMANAGER = "/usr/bin/prometheus-alertmanager"
AMTOOL = "/usr/bin/amtool"


def _binaries() -> tuple[str, str]:
    found = (shutil.which(ALERTMANAGER) or shutil.which("alertmanager"), shutil.which(AMTOOL))
    if not all(found):
        reason = (
            "prometheus-alertmanager/amtool not installed (apt-get install prometheus-alertmanager)"
        )
        if os.environ.get("KINTSUGI_REQUIRE_ALERTMANAGER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return found  # type: ignore[return-value]


CONFIG = """\
route:
  receiver: kintsugi
  group_by: ['alertname']
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: kintsugi
    webhook_configs:
      - url: {url}
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials_file: {secret_file}
"""


def _wait_for(check, what: str, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


@pytest.fixture
def alertmanager(tmp_path: Path, live_server, transactional_db):
    from kintsugi.capture.services.sources import source_create

    binary, amtool = _binaries()
    issued = source_create(user=None, kind="alertmanager", name="real-am")
    secret_file = tmp_path / "secret"
    secret_file.write_text(issued.secret or "")
    url = f"{live_server.url}/hooks/alertmanager/{issued.source.pk}/"
    config = tmp_path / "alertmanager.yml"
    config.write_text(CONFIG.format(url=url, secret_file=secret_file))
    port = free_port()
    process = subprocess.Popen(
        [
            binary,
            f"--config.file={config}",
            f"--storage.path={tmp_path / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
            "--cluster.listen-address=",
        ],
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "alertmanager.log").open("w"),
    )
    am_url = f"http://127.0.0.1:{port}"
    try:

        def ready() -> bool:
            with socket.socket() as sock:
                return sock.connect_ex(("127.0.0.1", port)) == 0

        _wait_for(ready, "Alertmanager to listen", timeout=15)
        yield amtool, am_url, tmp_path
    finally:
        process.terminate()
        process.wait(timeout=10)


def _amtool(amtool: str, am_url: str, *args: str) -> None:
    subprocess.run(
        [amtool, "alert", "add", f"--alertmanager.url={am_url}", *args],
        check=True,
        capture_output=True,
        timeout=20,
    )


def test_amtool_alerts_open_an_incident_and_resolve_it(alertmanager):
    from kintsugi.postmortems.models import Incident

    amtool, am_url, tmp_path = alertmanager
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=2)
    labels = ["alertname=DiskFull", "severity=warning", "instance=db-1"]
    annotations = [
        "--annotation=summary=Disk above 95%",
        "--generator-url=http://prom.example/graph",
    ]
    _amtool(amtool, am_url, *labels, *annotations, f"--start={started.isoformat()}")

    incident = _wait_for(lambda: Incident.objects.first(), "the incident", timeout=20)
    assert incident.title == "DiskFull — Disk above 95%" and incident.severity == "SEV3"
    fired = _wait_for(lambda: list(incident.events.all()), "the alert_fired event")
    assert [e.kind for e in fired] == [EventKind.ALERT_FIRED]
    assert "instance=db-1" in fired[0].text and fired[0].evidence_url == "http://prom.example/graph"

    ended = datetime.now(UTC).replace(microsecond=0)
    _amtool(
        amtool,
        am_url,
        *labels,
        *annotations,
        f"--start={started.isoformat()}",
        f"--end={ended.isoformat()}",
    )
    recovered = _wait_for(
        lambda: incident.events.filter(kind=EventKind.FULLY_RECOVERED).first(), "the resolved event"
    )
    assert recovered.occurred_at == ended
    assert Incident.objects.count() == 1 and incident.events.count() == 2
