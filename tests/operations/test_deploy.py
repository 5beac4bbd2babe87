"""deploy/: the systemd units and the container definition say things that are true.

What can run here runs: each unit is checked by ``systemd-analyze verify`` (with its
command pointed at this checkout's ``kintsugi``), and each unit's command is started as
the unit would start it, with a settings file like the example's: the web server answers
``/readyz``, the worker's heartbeat appears, the capture worker stops cleanly on SIGTERM and
the backup unit writes an archive. The container image cannot be built here (no registry
for base images), so its file is checked against the code: its commands and probe exist.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import get_commands
from django.urls import resolve

from tests.served import free_port

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
CONTAINERFILE = ROOT / "deploy" / "container" / "Containerfile"
INSTALLED = "/opt/kintsugi/venv/bin/kintsugi"
KINTSUGI = Path(sys.executable).parent / "kintsugi"


def _unit(name: str) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for line in (UNITS / name).read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            values.setdefault(key.strip(), []).append(value.strip())
    return values


def _command(name: str) -> list[str]:
    (line,) = _unit(name)["ExecStart"]
    words = shlex.split(line)
    assert words[0] == INSTALLED, f"{name} runs {words[0]}, not the installed kintsugi"
    return [str(KINTSUGI), *words[1:]]


SERVICES = sorted(p.name for p in UNITS.glob("*.service"))


def test_every_unit_reads_the_settings_file_and_runs_unprivileged() -> None:
    assert set(SERVICES) == {
        "kintsugi-web.service",
        "kintsugi-worker.service",
        "kintsugi-capture.service",
        "kintsugi-backup.service",
    }
    for name in SERVICES:
        unit = _unit(name)
        assert unit["EnvironmentFile"] == ["/etc/kintsugi/kintsugi.env"], name
        assert unit["User"] == ["kintsugi"] and unit["NoNewPrivileges"] == ["yes"], name
        assert unit["ProtectSystem"] == ["strict"] and unit["ReadWritePaths"], name
        assert get_commands().get(_command(name)[1]), f"{name}: no such kintsugi command"


@pytest.mark.parametrize("name", [*SERVICES, "kintsugi-backup.timer"])
def test_systemd_accepts_the_unit(name: str, tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    text = (UNITS / name).read_text().replace(INSTALLED, str(KINTSUGI))
    (tmp_path / name).write_text(text)
    if name.endswith(".timer"):
        service = (UNITS / "kintsugi-backup.service").read_text().replace(INSTALLED, str(KINTSUGI))
        (tmp_path / "kintsugi-backup.service").write_text(service)
    result = subprocess.run(
        ["systemd-analyze", "verify", str(tmp_path / name)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    # Unknown keys are only warnings: a typo would silently drop a hardening line.
    assert "Unknown" not in result.stderr and "ignoring" not in result.stderr, result.stderr


def test_every_variable_of_the_example_settings_is_documented() -> None:
    documented = (ROOT / "docs" / "configuration.md").read_text()
    names = [
        line.split("=", 1)[0]
        for line in (UNITS / "kintsugi.env.example").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert "SECRET_KEY" in names and "DATABASE_URL" in names
    for name in names:
        assert f"`{name}`" in documented, f"{name} is in the example but not in configuration.md"


def _readyz(port: int) -> dict | None:
    import json

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as response:  # noqa: S310
            return json.load(response)
    except OSError:
        return None


@pytest.fixture
def site(tmp_path: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "KINTSUGI_ENV"}}
    env = {**base, "KINTSUGI_ENV": "development", "KINTSUGI_DATA_DIR": str(tmp_path)}
    env["KINTSUGI_PDF_WARM_UP"] = "0"
    done = subprocess.run(
        [str(KINTSUGI), "migrate", "-v0"], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return env


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)


def _stop(process: subprocess.Popen[bytes]) -> int:
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=60)


def test_the_units_commands_start_and_work(site: dict[str, str], tmp_path: Path) -> None:
    port = free_port()
    web_command = [
        str(port) if word == "8000" else word for word in _command("kintsugi-web.service")
    ]
    web = _start(web_command, site, tmp_path / "web.log")
    worker = capture = None
    try:
        deadline = time.monotonic() + 90
        while (ready := _readyz(port)) is None:
            assert web.poll() is None, (tmp_path / "web.log").read_text()
            assert time.monotonic() < deadline, "the web unit's command did not start"
            time.sleep(0.3)
        assert ready["status"] == "ready" and ready["worker"] == {"state": "never seen"}
        worker = _start(_command("kintsugi-worker.service"), site, tmp_path / "worker.log")
        capture = _start(_command("kintsugi-capture.service"), site, tmp_path / "capture.log")
        deadline = time.monotonic() + 90
        while (_readyz(port) or {}).get("worker", {}).get("state") != "ok":
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            assert time.monotonic() < deadline, "the worker unit's command never passed"
            time.sleep(0.3)
        while "capture: started" not in (tmp_path / "capture.log").read_text():
            assert capture.poll() is None, (tmp_path / "capture.log").read_text()
            assert time.monotonic() < deadline, "the capture unit's command never started"
            time.sleep(0.3)
    finally:
        codes = [_stop(p) for p in (capture, worker, web) if p is not None]
    assert codes == [0, 0, 0], [(tmp_path / f).read_text() for f in ("capture.log", "worker.log")]
    backup = _command("kintsugi-backup.service")
    assert backup[-1] == "/var/lib/kintsugi/backups"
    (tmp_path / "backups").mkdir()
    done = subprocess.run(
        [*backup[:-1], str(tmp_path / "backups")], env=site, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "backups").glob("kintsugi-*.tar"))) == 1


def test_the_containerfile_runs_commands_and_a_probe_that_exist() -> None:
    text = CONTAINERFILE.read_text()
    commands = re.findall(r"(?<![/\w.-])\"?kintsugi\"?,? \"?([a-z][a-z_-]+)", text)
    assert {"serve", "collectstatic", "migrate"} <= set(commands)
    for command in commands:
        assert get_commands().get(command), f"the Containerfile runs `kintsugi {command}`"
    (probe,) = re.findall(r"http://127\.0\.0\.1:8000(/[a-z]+)", text)
    assert resolve(probe).url_name == "livez"
    for source in re.findall(r"^COPY (.+) \S+$", text, flags=re.MULTILINE):
        for name in source.split():
            assert (ROOT / name).exists(), f"the Containerfile copies {name}, which is missing"
    assert "USER kintsugi" in text and 'CMD ["kintsugi", "serve"' in text
