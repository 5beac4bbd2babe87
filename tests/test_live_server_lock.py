"""The live server answers concurrent writes when it shares the test's SQLite connection.

Without the per-request lock (tests/live_server_lock.py), requests racing on the shared
in-memory connection fail with 500s ("on_commit() cannot be used in manual transaction
management"), which is how two browser tests failed in CI.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

import pytest

from kintsugi.accounts.models import ApiToken
from tests.live_server_lock import SharedConnectionServer


def _post(url: str, raw: str, body: dict) -> int:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
    request.add_header("Authorization", f"Bearer {raw}")
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db(transaction=True)
def test_concurrent_writes_through_the_live_server_all_succeed(live_server, owner):
    assert live_server.thread.server_class is SharedConnectionServer
    _, raw = ApiToken.issue(user=owner, name="live")
    created = _post(
        f"{live_server.url}/api/v1/incidents",
        raw,
        {"title": "Racing writes", "started_at": "2026-03-01T14:00:00Z"},
    )
    assert created == 201
    statuses: list[int] = []

    def writer(number: int) -> None:
        for step in range(6):
            statuses.append(
                _post(
                    f"{live_server.url}/api/v1/incidents",
                    raw,
                    {"title": f"Writer {number} step {step}", "started_at": "2026-03-01T14:00:00Z"},
                )
            )

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [201] * 36
