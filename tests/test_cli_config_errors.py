"""Configuration errors from the real ``kintsugi`` command: one line, exit 2, no traceback.

Each case runs the installed entry point as a subprocess, as an operator would, because
the failures this guards against (a traceback, a server that starts anyway) only show there.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.served import free_port

_CLEARED = ("KINTSUGI_ENV", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL", "LOG_LEVEL")


def _env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    return {**base, "KINTSUGI_ENV": "test", "KINTSUGI_DATA_DIR": str(tmp_path), **overrides}


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kintsugi", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )


def _assert_one_line_exit_2(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0]
    assert "Kintsugi is serving" not in result.stdout


PRODUCTION_SAFE = {"KINTSUGI_ENV": "production", "SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "pm.ex"}

CASES = {
    "unknown scheme": (
        {"DATABASE_URL": "mysqll://u:p@db.example/kintsugi"},
        ["DATABASE_URL", "postgres://"],
    ),
    "port out of range": (
        {"DATABASE_URL": "postgres://u:hunter2@127.0.0.1:70000/kintsugi"},
        ["DATABASE_URL", "port", "65535", "u:***@"],
    ),
    "nothing listens": (
        {"DATABASE_URL": "postgres://u:hunter2@127.0.0.1:1/kintsugi"},
        ["DATABASE_URL", "Connection refused", "Check that the database server runs"],
    ),
    "sqlite folder missing": (
        {"DATABASE_URL": "sqlite:////nonexistent-kintsugi-folder/db.sqlite3"},
        ["DATABASE_URL", "does not exist", "create it"],
    ),
    "production without a secret key": (
        {**PRODUCTION_SAFE, "SECRET_KEY": ""},
        ["SECRET_KEY is not set", "kintsugi generate-secret-key"],
    ),
    "a boolean typo": ({"DEBUG": "ture"}, ["DEBUG='ture'", "true or false"]),
    "a number out of range": ({"EMAIL_PORT": "0"}, ["EMAIL_PORT=0", "from 1 to 65535"]),
    "an unknown log level": ({"LOG_LEVEL": "verbose"}, ["LOG_LEVEL='verbose'", "INFO"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_configuration_error_is_one_line_and_exit_2(tmp_path, case):
    overrides, needles = CASES[case]
    result = _run(["migrate", "-v0"], _env(tmp_path, **overrides))
    _assert_one_line_exit_2(result, "kintsugi: ", *needles)


def test_every_problem_is_in_the_one_line(tmp_path):
    result = _run(
        ["migrate"],
        _env(tmp_path, KINTSUGI_ENV="production", DEBUG="ture", EMAIL_PORT="x"),
    )
    _assert_one_line_exit_2(result, "DEBUG='ture'", "EMAIL_PORT='x'", "SECRET_KEY", "ALLOWED_HOSTS")


def _postgres_listens() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _postgres_listens(), reason="no PostgreSQL server on 127.0.0.1:5432")
def test_a_missing_postgresql_database_is_one_line_and_exit_2(tmp_path):
    url = "postgres://postgres@127.0.0.1:5432/kintsugi_no_such_database"
    result = _run(["migrate", "-v0"], _env(tmp_path, DATABASE_URL=url))
    _assert_one_line_exit_2(result, "DATABASE_URL", "kintsugi_no_such_database", "does not exist")


def test_the_password_is_never_printed(tmp_path):
    result = _run(["migrate"], _env(tmp_path, DATABASE_URL="postgres://u:hunter2@127.0.0.1:1/k"))
    assert result.returncode == 2
    assert "hunter2" not in result.stderr + result.stdout


@pytest.mark.parametrize("command", [["serve", "--port", "8999"], ["worker", "--once"], ["demo"]])
def test_servers_and_workers_refuse_an_unreachable_database_before_starting(tmp_path, command):
    result = _run(command, _env(tmp_path, DATABASE_URL="postgres://u:p@127.0.0.1:1/kintsugi"))
    _assert_one_line_exit_2(result, "DATABASE_URL", "Connection refused")


def test_servers_and_workers_refuse_a_database_without_migrations(tmp_path):
    result = _run(["worker", "--once"], _env(tmp_path))
    _assert_one_line_exit_2(result, "migration", "kintsugi migrate")


def test_a_migrated_database_passes_the_checks(tmp_path):
    env = _env(tmp_path)
    assert _run(["migrate", "-v0"], env).returncode == 0
    result = _run(["worker", "--once"], env)
    assert result.returncode == 0, result.stderr
    assert "worker:" in result.stdout


def _bare_production(tmp_path: Path) -> dict[str, str]:
    """Production with no secret key and a database that cannot exist."""
    return _env(
        tmp_path,
        KINTSUGI_ENV="production",
        DATABASE_URL="postgres://u:p@127.0.0.1:1/kintsugi",
    )


@pytest.mark.parametrize("args", [["--help"], ["help"], [], ["migrate", "--help"], ["version"]])
def test_help_needs_no_secret_key_and_no_database(tmp_path, args):
    result = _run(args, _bare_production(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.strip()


def test_lint_and_generate_secret_key_need_no_secret_key_and_no_database(tmp_path):
    document = tmp_path / "pm.md"
    document.write_text("# Outage\n\nThe cache filled up and the site slowed down.\n")
    lint = _run(["lint", str(document)], _bare_production(tmp_path))
    assert lint.returncode in (0, 1), lint.stderr  # 1 = findings; 2 would be a refusal
    assert "Traceback" not in lint.stderr
    key = _run(["generate-secret-key"], _bare_production(tmp_path))
    assert key.returncode == 0
    assert len(key.stdout.strip()) >= 50


def _get(url: str) -> tuple[int, str, dict[str, object]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
            return response.status, response.headers["Content-Type"], json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], json.load(error)


def test_healthz_answers_503_json_when_the_database_goes_away(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    env = _env(data)
    assert _run(["migrate", "-v0"], env).returncode == 0
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "kintsugi", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/healthz"
        deadline = time.monotonic() + 60
        while True:
            try:
                status, content_type, body = _get(url)
                break
            except OSError:
                assert server.poll() is None, "the server exited"
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert (status, content_type, body) == (200, "application/json", {"status": "ok"})
        # Test settings keep no SQLite connection between requests: the next one reopens
        # the file, and its folder is gone.
        data.rename(tmp_path / "moved")
        status, content_type, body = _get(url)
        assert status == 503
        assert content_type == "application/json"
        assert body == {"status": "unavailable", "database": "unreachable"}
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_refuses_a_static_root_without_collected_files(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    env = _env(tmp_path, **PRODUCTION_SAFE, STATIC_ROOT=str(blocker / "static"))
    assert _run(["migrate", "-v0"], env).returncode == 0
    result = _run(["serve", "--port", str(free_port())], env)
    _assert_one_line_exit_2(result, "STATIC_ROOT=", "kintsugi collectstatic --noinput")
