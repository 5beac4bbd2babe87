"""What every tracker offers Kintsugi, and the one error a call raises.

A provider creates, reads and changes one ticket, and finds a ticket it created from the
marker in its body (a create whose answer was lost). Jira fits: its key is ``OPS-12`` and
its "closed" is the status category ``done``.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from kintsugi.core.sealing import KEY_VARIABLE, SealingError, unseal
from kintsugi.core.trackers.model import Draft, Ticket

if TYPE_CHECKING:
    from kintsugi.trackers.models import TrackerConnection

MAX_ANSWER = 5 * 1024 * 1024
PAGE = 100
SECONDARY_LIMIT_WAIT = 60  # seconds, when a limit gives no time of its own
MAX_PAGES = 200  # 20,000 changed issues in one poll; the rest come at the next


class TrackerError(Exception):
    """A call that failed; ``retryable`` ones (429, 5xx, limits, timeouts) are tried again
    by the worker, after the wait the tracker asked for (``headers``) or the back-off."""

    def __init__(
        self, message: str, *, retryable: bool, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.headers: Mapping[str, str] = headers or {}


class Provider(Protocol):
    writes_per_minute: int
    writes_per_hour: int

    def create(self, draft: Draft) -> Ticket: ...
    def fetch(self, key: str) -> Ticket: ...
    def update(self, key: str, draft: Draft) -> Ticket: ...
    def find_created(self, marker: str) -> Ticket | None: ...
    def changed_since(self, since: datetime) -> list[Ticket]: ...
    def number_in(self, reference: str) -> str | None: ...
    def account_for(self, email: str) -> str | None: ...


def token_from(env_name: str) -> str:
    token = os.environ.get(env_name, "")
    if not token:
        raise TrackerError(
            f"The environment variable {env_name} holding the tracker's token is not set.",
            retryable=False,
        )
    return token


def token_for(connection: TrackerConnection) -> str:
    """The connection's token: from its environment variable, or its sealed copy opened
    with the key(s) in ``KINTSUGI_ENCRYPTION_KEY`` (read at each call, like the variable)."""
    if connection.token_env:
        return token_from(connection.token_env)
    if not connection.token_sealed:
        raise TrackerError(
            "This connection has no token: set one under Settings, Trackers.", retryable=False
        )
    try:
        return unseal(connection.token_sealed, os.environ.get(KEY_VARIABLE, ""))
    except SealingError as error:
        raise TrackerError(error.message, retryable=False) from None


class Http:
    """JSON over ``urllib.request``, with the trackers' failures sorted into retryable or not."""

    def __init__(self, base_url: str, headers: dict[str, str], *, timeout: float) -> None:
        self.base_url = base_url.rstrip("/")
        self.headers = headers
        self.timeout = timeout

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310 - the URL is an admin's http(s) base
            self.base_url + path, data=data, method=method, headers=dict(self.headers)
        )
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                raw = answer.read(MAX_ANSWER + 1)
        except urllib.error.HTTPError as error:
            raise _http_error(error) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            reason = getattr(error, "reason", error)
            raise TrackerError(f"The tracker did not answer: {reason}.", retryable=True) from None
        if len(raw) > MAX_ANSWER:
            raise TrackerError("The tracker's answer is too large.", retryable=False)
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            raise TrackerError("The tracker's answer is not JSON.", retryable=True) from None


def _http_error(error: urllib.error.HTTPError) -> TrackerError:
    headers = {name.lower(): value for name, value in (error.headers or {}).items()}
    try:
        detail = json.loads(error.read(10_000) or b"{}")
    except ValueError:
        detail = {}
    message = detail.get("message") if isinstance(detail, dict) else None
    if message is None and isinstance(detail, dict):
        message = _jira_message(detail)
    limited = error.code == 429 or (
        error.code == 403
        and (
            headers.get("x-ratelimit-remaining") == "0"
            or "retry-after" in headers
            or _says_rate_limit(message)
        )
    )
    if limited and "retry-after" not in headers and "x-ratelimit-reset" not in headers:
        # GitHub's secondary limit may come with a message only: "wait for at least one
        # minute before retrying" (docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api).
        headers["retry-after"] = str(SECONDARY_LIMIT_WAIT)
    retryable = limited or error.code >= 500
    what = "rate limited" if limited else f"HTTP {error.code}"
    text = f"The tracker answered {what}" + (f": {str(message)[:300]}" if message else ".")
    return TrackerError(text, retryable=retryable, headers=headers)


def _says_rate_limit(message: object) -> bool:
    """A 403 whose message names a rate limit (GitHub: "You have exceeded a secondary rate
    limit"), not a permission refusal, which must not be retried."""
    return isinstance(message, str) and "rate limit" in message.lower()


def _jira_message(detail: dict[str, Any]) -> str | None:
    """Jira's errors: ``{"errorMessages": [...], "errors": {"field": "why"}}``."""
    parts = [str(m) for m in detail.get("errorMessages") or [] if isinstance(m, str)]
    errors = detail.get("errors")
    if isinstance(errors, dict):
        parts.extend(f"{name}: {why}" for name, why in errors.items() if isinstance(why, str))
    return "; ".join(parts) or None
