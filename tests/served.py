"""A real ``kintsugi serve`` (gunicorn) on loopback, for the tests that need the server
itself: keep-alive, workers, request limits, metrics across processes, replicas.

One way to start it and wait until it answers, so that every such test fails the same
way when the server does not come up: with its exit status or its log, not a timeout
somewhere later.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

_NOT_INHERITED = {"DATABASE_URL", "KINTSUGI_ENV", "PROMETHEUS_MULTIPROC_DIR"}


def free_port() -> int:
    """A port on 127.0.0.1 the operating system had free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def kintsugi_env(folder: Path, **extra: str) -> dict[str, str]:
    """The environment of a development server whose database and files live in
    ``folder``: nothing of the test session's own database or metrics directory."""
    env = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    env.update(
        {
            "KINTSUGI_ENV": "development",
            "KINTSUGI_DATA_DIR": str(folder),
            "KINTSUGI_PDF_WARM_UP": "0",
            **extra,
        }
    )
    return env


@dataclass(frozen=True)
class Served:
    url: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path | None


def _log_of(log: Path | None) -> str:
    return log.read_text(errors="replace")[-4000:] if log and log.exists() else "(no log kept)"


@contextmanager
def kintsugi_serve(
    env: dict[str, str],
    *options: str,
    log: Path | None = None,
    ready: str = "/livez",
    timeout: float = 90,
) -> Iterator[Served]:
    """Start ``kintsugi serve`` with ``options`` on a free port, wait until ``ready``
    answers (the server exiting or ``timeout`` seconds fail the test, with its log), and
    stop it when the block ends."""
    port = free_port()
    output = log.open("w") if log else subprocess.DEVNULL
    command = [sys.executable, "-m", "kintsugi", "serve", "--port", str(port), *options]
    process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(url + ready, timeout=5).read()  # noqa: S310 (loopback)
                break
            except OSError:
                if process.poll() is not None:
                    raise AssertionError(
                        f"kintsugi serve exited with {process.returncode}: {_log_of(log)}"
                    ) from None
                if time.monotonic() > deadline:
                    raise AssertionError(
                        f"kintsugi serve did not answer {ready} within {timeout:g} s: "
                        f"{_log_of(log)}"
                    ) from None
                time.sleep(0.2)
        yield Served(url, port, process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
        if log:
            output.close()  # type: ignore[union-attr]
