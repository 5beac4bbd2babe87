"""The API behind ``kintsugi serve`` (gunicorn), as in production: chunked bodies, long URLs.

gunicorn decodes a chunked request body, so there the API reads it (the same findings as
with a Content-Length) instead of refusing it with 411 as the development server must.
A URL up to the API's limit reaches Django and is answered with the JSON 414; a request
line beyond gunicorn's own limit is answered by gunicorn (docs/api.md, "Limits").

The server runs in a subprocess on its own SQLite file, migrated for the test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kintsugi.api.transport import MAX_BODY_BYTES, MAX_URL_BYTES
from tests.api.test_http_edges import BLAMING, error_code, send
from tests.served import kintsugi_serve

_TOKEN_SCRIPT = """
import django
django.setup()
from kintsugi.accounts.models import ApiToken, User
user = User.objects.create_user(username="ci", password="a-long-enough-password", role="editor")
print(ApiToken.issue(user=user, name="gunicorn")[1])
"""


def _environment(data: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("KINTSUGI_")}
    env.update(
        KINTSUGI_ENV="test",  # no SQLite connection kept between requests
        KINTSUGI_DATA_DIR=str(data),
        DATABASE_URL=f"sqlite:///{data / 'api.sqlite3'}",
        DJANGO_SETTINGS_MODULE="kintsugi.settings",
    )
    return env


def _run(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> tuple[Path, str]:
    """A migrated database with a user and a token, migrated once and copied per server."""
    data = tmp_path_factory.mktemp("migrated")
    env = _environment(data)
    _run([sys.executable, "-m", "kintsugi", "migrate", "--noinput"], env)
    token = _run([sys.executable, "-c", _TOKEN_SCRIPT], env).strip()
    return data / "api.sqlite3", token


@contextmanager
def serving(migrated: tuple[Path, str], data: Path) -> Iterator[tuple[str, str]]:
    """(base URL, token) of a real ``kintsugi serve`` on a copy of the database in ``data``."""
    database, token = migrated
    for suffix in ("", "-wal", "-shm"):  # whatever SQLite left beside it, in WAL mode
        if Path(f"{database}{suffix}").exists():
            shutil.copy(f"{database}{suffix}", data / f"api.sqlite3{suffix}")
    with kintsugi_serve(_environment(data), "--workers", "1", timeout=60) as served:
        yield served.url, token


@pytest.fixture(scope="module")
def served(migrated, tmp_path_factory) -> Iterator[tuple[str, str]]:
    with serving(migrated, tmp_path_factory.mktemp("served")) as base_and_token:
        yield base_and_token


def _lint(base: str, token: str, body: bytes | Iterator[bytes]) -> tuple[int, dict, bytes]:
    headers = {"Content-Type": "text/markdown"}
    return send(base, "POST", "/api/v1/lint", token, body=body, headers=headers)


def test_a_chunked_body_is_read_like_one_with_a_length(served):
    base, token = served
    with_length = _lint(base, token, BLAMING.encode())
    assert with_length[0] == 200, with_length[2][:300]
    halves = [BLAMING[:20].encode(), BLAMING[20:].encode()]
    chunked = _lint(base, token, iter(halves))
    assert chunked[0] == 200, chunked[2][:300]
    assert chunked[2] == with_length[2]
    assert b'"findings": []' not in chunked[2]


def test_a_chunked_body_over_the_limit_is_a_json_413(served):
    base, token = served
    too_big = _lint(base, token, iter([b"x" * MAX_BODY_BYTES, b"x"]))
    assert too_big[0] == 413
    assert error_code(too_big) == "payload_too_large"


def test_long_urls_are_refused_by_the_api_then_by_gunicorn(served):
    base, token = served
    over_ours = send(base, "GET", "/api/v1/incidents?padding=" + "x" * MAX_URL_BYTES, token)
    assert over_ours[0] == 414
    assert error_code(over_ours) == "uri_too_long"
    over_gunicorn = send(base, "GET", "/api/v1/incidents?padding=" + "x" * 9000, token)
    assert over_gunicorn[0] == 414  # gunicorn's own answer, before Kintsugi: not JSON


def test_a_database_that_goes_away_is_a_json_503_with_retry_after(migrated, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    with serving(migrated, data) as (base, token):
        assert send(base, "GET", "/api/v1/incidents", token)[0] == 200
        data.rename(tmp_path / "moved")  # the next request reopens the file: it is gone
        answer = send(base, "GET", "/api/v1/incidents", token)
        assert answer[0] == 503, answer[2][:300]
        assert error_code(answer) == "database_unavailable"
        assert {key.lower(): value for key, value in answer[1].items()}["retry-after"] == "30"


def _processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) of every process /proc shows."""
    found: dict[int, tuple[int, str]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, ValueError, IndexError):
            continue
        found[int(stat.parent.name)] = (parent, command)
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
def test_each_worker_starts_its_pdf_renderer_before_any_export(served):
    """KINTSUGI_PDF_WARM_UP (on by default): the first PDF does not wait for the renderer."""
    base, _ = served
    port = base.rsplit(":", 1)[1]

    def under_this_server() -> list[str]:
        processes = _processes()
        hits = []
        for parent, command in processes.values():
            if "forkserver" not in command:
                continue
            while parent in processes:
                if f"serve --port {port} " in processes[parent][1] + " ":
                    hits.append(command)
                    break
                parent = processes[parent][0]
        return hits

    deadline = time.monotonic() + 30
    while not under_this_server() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(under_this_server()) == 1  # one worker (--workers 1), one renderer
