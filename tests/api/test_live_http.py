"""The API over real loopback HTTP (a threaded server on 127.0.0.1), with a token."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from kintsugi.accounts.models import ApiToken


def _call(url: str, raw: str, method: str = "GET", body: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Authorization", f"Bearer {raw}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.django_db(transaction=True)
def test_it_creates_and_reads_an_incident_over_http(live_server, owner):
    _, raw = ApiToken.issue(user=owner, name="live")
    base = f"{live_server.url}/api/v1"
    status, created = _call(
        f"{base}/incidents",
        raw,
        "POST",
        {"title": "Live incident", "started_at": "2026-03-01T14:00:00+02:00"},
    )
    assert status == 201, created
    assert created["started_at"] == "2026-03-01T12:00:00Z"
    status, listed = _call(f"{base}/incidents", raw)
    assert status == 200
    assert [row["title"] for row in listed["results"]] == ["Live incident"]
    status, error = _call(f"{base}/incidents", "kts_wrong")
    assert status == 401
    assert error["error"]["code"] == "unauthenticated"
    status, conflict = _call(
        f"{base}/incidents/{created['id']}", raw, "PATCH", {"version": 0, "summary": "stale"}
    )
    assert status == 409
    assert conflict["error"]["current"]["title"] == "Live incident"
