"""API test helpers: real HTTP requests through Django's test client.

``api`` calls the API as a user with a personal token (the way scripts do); ``browser``
calls it with a signed-in session and CSRF checks enforced (the way the web app does).
"""

from __future__ import annotations

import json as jsonlib
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client

from kintsugi.accounts.models import ApiToken

API = "/api/v1"
T0 = datetime(2026, 3, 1, 14, 0, tzinfo=UTC)
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


class ApiCaller:
    def __init__(self, client: Client) -> None:
        self.client = client
        self._tokens: dict[int, str] = {}

    def token(self, user: Any) -> str:
        if user.pk not in self._tokens:
            self._tokens[user.pk] = ApiToken.issue(user=user, name="tests")[1]
        return self._tokens[user.pk]

    def call(
        self,
        method: str,
        path: str,
        *,
        user: Any = None,
        json: Any = None,
        body: str | bytes | None = None,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
    ) -> Any:
        all_headers = dict(headers or {})
        if user is not None:
            all_headers["Authorization"] = f"Bearer {self.token(user)}"
        kwargs: dict[str, Any] = {"headers": all_headers}
        if json is not None and method.lower() != "get":
            kwargs["data"] = jsonlib.dumps(json)
            kwargs["content_type"] = content_type
        elif body is not None:
            kwargs["data"] = body
            kwargs["content_type"] = content_type
        elif params is not None:
            kwargs["data"] = params
        url = path if path.startswith("http") or path.startswith(API) else API + path
        return getattr(self.client, method.lower())(url, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.call("get", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.call("post", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> Any:
        return self.call("patch", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> Any:
        return self.call("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.call("delete", path, **kwargs)


@pytest.fixture
def api(db) -> ApiCaller:
    return ApiCaller(Client())


@pytest.fixture
def browser(db):
    """A session client that, like a real browser, gets no CSRF exemption."""

    def make(user: Any) -> ApiCaller:
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        return ApiCaller(client)

    return make


def error_of(response: Any) -> dict[str, Any]:
    """The one error shape, checked on every error response the tests look at."""
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert {"code", "message", "fields"} <= set(error), error
    assert isinstance(error["message"], str) and error["message"]
    return error


def assert_refused_anonymous(api: ApiCaller, method: str, path: str) -> None:
    response = api.call(method, path, json={} if method in ("post", "patch") else None)
    assert response.status_code == 401, (method, path, response.content[:300])
    assert error_of(response)["code"] == "unauthenticated"
    assert "Bearer" in response["WWW-Authenticate"]


def assert_csrf_refused(browser_api: ApiCaller, method: str, path: str, json: Any) -> None:
    response = browser_api.call(method, path, json=json)
    assert response.status_code == 403, (method, path, response.content[:300])
    assert error_of(response)["code"] == "csrf_failed"


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
