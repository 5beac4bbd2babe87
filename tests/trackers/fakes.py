"""Loopback servers that speak the part of GitHub's and GitLab's issue APIs Kintsugi uses.

Built from the trackers' documentation, not from their code:

- GitHub REST "Issues" (https://docs.github.com/rest/issues/issues): "Create an issue"
  ``POST /repos/{owner}/{repo}/issues`` answers 201 with the issue (``number``, ``title``,
  ``body``, ``state``, ``state_reason``, ``labels``, ``assignee``, ``html_url``,
  ``updated_at``, ``closed_at``); "Get an issue" ``GET .../issues/{issue_number}``;
  "Update an issue" ``PATCH`` the same with ``state`` open/closed and ``state_reason``
  completed/not_planned; "List repository issues" filters by ``labels`` and ``state=all``.
  A bad token answers 401 ``{"message": "Bad credentials"}``. Rate limits
  (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api): the
  primary limit answers 403 or 429 with ``x-ratelimit-remaining: 0`` and
  ``x-ratelimit-reset`` (epoch seconds); a secondary limit answers 403 or 429 with
  ``retry-after`` seconds. "Creating content too quickly using this endpoint may result in
  secondary rate limiting." Webhooks (https://docs.github.com/webhooks/securing): the
  ``issues`` event with ``X-GitHub-Event``, ``X-GitHub-Delivery`` (a GUID kept on
  redelivery) and ``X-Hub-Signature-256: sha256=`` HMAC-SHA256 of the body.
- GitLab REST v4 "Issues API" (https://docs.gitlab.com/api/issues/): ``POST
  /projects/:id/issues`` (``title``, ``description``, ``labels`` comma-separated,
  ``due_date`` YYYY-MM-DD) answers 201; ``GET`` and ``PUT /projects/:id/issues/:issue_iid``
  (``state_event`` close/reopen); ``:id`` may be the URL-encoded path; ``PRIVATE-TOKEN``
  header, 401 ``{"message": "401 Unauthorized"}``. Rate limits
  (https://docs.gitlab.com/security/rate_limits/): 429 with ``Retry-After``. Webhooks
  (https://docs.gitlab.com/user/project/integrations/webhooks/): "Issue Hook" with
  ``X-Gitlab-Event``, the secret token in ``X-Gitlab-Token`` and ``Idempotency-Key``
  unchanged on retries.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
import uuid
from collections import deque
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

TOKEN = "fake-token-0123456789"


def _page(rows: list[Any], query: dict[str, list[str]]) -> list[Any]:
    """``page`` (from 1) and ``per_page`` (default 30 on GitHub, 20 on GitLab; 100 at most)."""
    size = min(100, int(query.get("per_page", ["30"])[0]))
    page = max(1, int(query.get("page", ["1"])[0]))
    return rows[(page - 1) * size : page * size]


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class FakeTracker:
    """Issues in memory, every request recorded, faults answered from a queue.

    A fault is ``(status, headers)``; ``("sleep", seconds)`` answers late (a timeout);
    ``("after", seconds)`` does the work and then answers late (a lost answer).
    """

    web = "http://tracker.test"

    def __init__(self) -> None:
        self.issues: dict[int, dict[str, Any]] = {}
        self.requests: list[tuple[str, str, dict[str, Any] | None]] = []
        self.stamps: list[float] = []  # time.monotonic() of each request (pacing tests)
        self.faults: deque[tuple[Any, ...]] = deque()  # (status, headers[, message])
        self.numbers = itertools.count(1)
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _go(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                fake.requests.append((self.command, self.path, body))
                fake.stamps.append(time.monotonic())
                fault = fake.faults.popleft() if fake.faults else None
                late = 0.0
                if fault and fault[0] == "sleep":
                    time.sleep(fault[1])
                    return self._send(500, {}, {"message": "too late"})
                if fault and fault[0] == "after":
                    late = fault[1]
                elif fault:
                    message = fault[2] if len(fault) > 2 else "fault"
                    return self._send(fault[0], fault[1], {"message": message})
                if not fake.authorised(self.headers):
                    return self._send(401, {}, fake.unauthorised)
                with fake.lock:
                    status, answer = fake.route(self.command, self.path, body)
                time.sleep(late)
                self._send(status, {}, answer)

            def _send(self, status: int, headers: dict[str, str], answer: Any) -> None:
                data = b"" if status == 204 else json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = do_PATCH = do_PUT = _go  # noqa: N815

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeTracker:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def writes(self) -> list[tuple[str, str, Any]]:
        return [r for r in self.requests if r[0] != "GET"]

    # Overridden per tracker.
    unauthorised: dict[str, str] = {}

    def authorised(self, headers: Any) -> bool:
        raise NotImplementedError

    def route(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        raise NotImplementedError


class FakeGitHub(FakeTracker):
    web = "https://github.test"
    unauthorised = {"message": "Bad credentials"}

    def __init__(self, repo: str = "acme/ops") -> None:
        super().__init__()
        self.repo = repo

    def authorised(self, headers: Any) -> bool:
        return headers.get("Authorization") == f"Bearer {TOKEN}"

    def issue(self, number: int) -> dict[str, Any]:
        return self.issues[number]

    def route(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        parts = urlsplit(path)
        prefix = f"/repos/{self.repo}/issues"
        if unquote(parts.path) == prefix and method == "POST":
            if not isinstance(body, dict) or not body.get("title"):
                return 422, {"message": "Validation Failed"}
            number = next(self.numbers)
            self.issues[number] = {
                "number": number,
                "title": body["title"],
                "body": body.get("body") or "",
                "state": "open",
                "state_reason": None,
                "labels": [{"name": name} for name in body.get("labels", [])],
                "assignee": None,
                "html_url": f"{self.web}/{self.repo}/issues/{number}",
                "updated_at": _now(),
                "closed_at": None,
            }
            return 201, self.issues[number]
        if unquote(parts.path) == prefix and method == "GET":
            query = parse_qs(parts.query)
            label = query.get("labels", [""])[0]
            since = query.get("since", [""])[0]  # "Only show results updated after"
            found = [
                i for i in reversed(self.issues.values())
                if (not label or label in [x["name"] for x in i["labels"]])
                and (not since or i["updated_at"] >= since)
            ]  # fmt: skip
            return 200, _page(found, query)
        rest = unquote(parts.path).removeprefix(prefix + "/")
        if not rest.isdigit() or int(rest) not in self.issues:
            return 404, {"message": "Not Found"}
        issue = self.issues[int(rest)]
        if method == "PATCH":
            body = dict(body or {})
            if "assignees" in body:  # "Logins for Users to assign to this issue"
                logins = body.pop("assignees") or []
                body["assignee"] = logins[0] if logins else None
            self.change(int(rest), **body)
        return 200, issue

    def change(self, number: int, **fields: Any) -> dict[str, Any]:
        """A change made in GitHub (by the API or by a person)."""
        issue = self.issues[number]
        issue.update(
            {k: v for k, v in fields.items() if k in ("title", "body", "state", "state_reason")}
        )
        if "assignee" in fields:
            issue["assignee"] = {"login": fields["assignee"]} if fields["assignee"] else None
        if fields.get("state") == "closed" and not issue["closed_at"]:
            issue["closed_at"] = _now()
        if fields.get("state") == "open":
            issue["closed_at"], issue["state_reason"] = None, "reopened"
        issue["updated_at"] = _now()
        return issue

    def hook(
        self, number: int, secret: str, *, action: str = "edited", sender: str = "octo"
    ) -> tuple[bytes, dict[str, str]]:
        """The ``issues`` webhook GitHub would send now: body and headers."""
        body = json.dumps(
            {"action": action, "issue": self.issues[number], "sender": {"login": sender},
             "repository": {"full_name": self.repo}}
        ).encode()  # fmt: skip
        digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return body, {
            "X-GitHub-Event": "issues",
            "X-GitHub-Delivery": str(uuid.uuid4()),
            "X-Hub-Signature-256": f"sha256={digest}",
        }


class FakeGitLab(FakeTracker):
    web = "https://gitlab.test"
    unauthorised = {"message": "401 Unauthorized"}

    def __init__(self, project: str = "acme/ops") -> None:
        super().__init__()
        self.project = project
        self.url_api = ""
        # "List users" (docs.gitlab.com/api/users): ?username= exact, ?search= name or email.
        self.users = [{"id": 7, "username": "bobby", "public_email": "bobby@acme.test"}]

    def __enter__(self) -> FakeGitLab:
        super().__enter__()
        return self

    @property
    def api(self) -> str:
        return self.url + "/api/v4"

    def authorised(self, headers: Any) -> bool:
        return headers.get("PRIVATE-TOKEN") == TOKEN

    def route(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        parts = urlsplit(path)
        prefix = f"/api/v4/projects/{self.project}/issues"
        # ":id" is the URL-encoded path: acme%2Fops arrives encoded.
        where = parts.path.replace("%2F", "/").replace("%2f", "/")
        if where == prefix and method == "POST":
            if not isinstance(body, dict) or not body.get("title"):
                return 400, {"message": {"title": ["can't be blank"]}}
            number = next(self.numbers)
            labels = [x for x in str(body.get("labels", "")).split(",") if x]
            self.issues[number] = {
                "id": 1000 + number,
                "iid": number,
                "title": body["title"],
                "description": body.get("description") or "",
                "state": "opened",
                "labels": labels,
                "assignees": [],
                "due_date": body.get("due_date") or None,
                "web_url": f"{self.web}/{self.project}/-/issues/{number}",
                "updated_at": _now(),
                "closed_at": None,
                "closed_by": None,
            }
            return 201, self.issues[number]
        if parts.path == "/api/v4/users" and method == "GET":
            query = parse_qs(parts.query)
            name, search = query.get("username", [""])[0], query.get("search", [""])[0].lower()
            return 200, [
                u for u in self.users
                if (name and u["username"] == name) or (search and search == u["public_email"])
            ]  # fmt: skip
        if where == prefix and method == "GET":
            query = parse_qs(parts.query)
            label = query.get("labels", [""])[0]
            after = query.get("updated_after", [""])[0]
            found = [
                i for i in reversed(self.issues.values())
                if (not label or label in i["labels"]) and (not after or i["updated_at"] >= after)
            ]  # fmt: skip
            return 200, _page(found, query)
        rest = where.removeprefix(prefix + "/")
        if not rest.isdigit() or int(rest) not in self.issues:
            return 404, {"message": "404 Not found"}
        if method == "PUT":
            body = body or {}
            if "assignee_ids" in body:
                ids = body.pop("assignee_ids") or []
                body["assignee"] = next((u for u in self.users if u["id"] in ids), None)
            event = body.pop("state_event", None)
            if event:
                body["state"] = "closed" if event == "close" else "opened"
            self.change(int(rest), **body)
        return 200, self.issues[int(rest)]

    def change(self, number: int, **fields: Any) -> dict[str, Any]:
        issue = self.issues[number]
        for name in ("title", "description", "state"):
            if name in fields:
                issue[name] = fields[name]
        if "due_date" in fields:
            issue["due_date"] = fields["due_date"] or None
        if "assignee" in fields:
            issue["assignees"] = [fields["assignee"]] if fields["assignee"] else []
        if fields.get("state") == "closed" and not issue["closed_at"]:
            issue["closed_at"] = _now()
            issue["closed_by"] = {"username": fields.get("by", "api")}
        if fields.get("state") == "opened":
            issue["closed_at"] = issue["closed_by"] = None
        issue["updated_at"] = _now()
        return issue

    def hook(
        self, number: int, secret: str, *, action: str = "update", user: str = "gitty"
    ) -> tuple[bytes, dict[str, str]]:
        issue = self.issues[number]
        attrs = {**issue, "url": issue["web_url"], "action": action}
        body = json.dumps(
            {"object_kind": "issue", "event_type": "issue", "user": {"username": user},
             "project": {"path_with_namespace": self.project}, "object_attributes": attrs,
             "assignees": issue["assignees"]}
        ).encode()  # fmt: skip
        return body, {
            "X-Gitlab-Event": "Issue Hook",
            "X-Gitlab-Token": secret,
            "Idempotency-Key": str(uuid.uuid4()),
        }
