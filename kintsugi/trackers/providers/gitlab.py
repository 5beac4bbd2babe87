"""GitLab Issues over the REST API v4 (docs.gitlab.com/api/issues).

Create ``POST /projects/:id/issues`` (title, description, labels comma-separated,
due_date); read ``GET /projects/:id/issues/:issue_iid``; change ``PUT`` the same
(title, due_date, state_event close/reopen); list ``GET /projects/:id/issues?labels=``.
``:id`` is the URL-encoded ``group/project`` path. Header ``PRIVATE-TOKEN``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from kintsugi.core.trackers.mapping import LABEL
from kintsugi.core.trackers.model import Draft, Ticket
from kintsugi.core.trackers.payloads import gitlab_ticket, issue_number
from kintsugi.trackers.providers.base import MAX_PAGES, PAGE, Http, TrackerError, token_for

if TYPE_CHECKING:
    from kintsugi.trackers.models import TrackerConnection


class GitLab:
    # "Issue creation": 300 requests a minute per user by default (docs.gitlab.com,
    # "Rate limits on issue and epic creation"); an hour's cap follows from it.
    writes_per_minute = 200
    writes_per_hour = 10_000

    def __init__(self, connection: TrackerConnection, *, timeout: float) -> None:
        self.connection = connection
        self.project = quote(connection.project, safe="")
        self.http = Http(
            connection.base_url,
            {"PRIVATE-TOKEN": token_for(connection), "User-Agent": "kintsugi"},
            timeout=timeout,
        )

    def _ticket(self, answer: Any) -> Ticket:
        ticket = gitlab_ticket(answer)
        if ticket is None:
            raise TrackerError("GitLab's answer holds no issue.", retryable=False)
        return ticket

    def create(self, draft: Draft) -> Ticket:
        body: dict[str, Any] = {
            "title": draft.title,
            "description": draft.body,
            "labels": ",".join(draft.labels),
        }
        if draft.due_on:
            body["due_date"] = draft.due_on.isoformat()
        created = self._ticket(self.http.call("POST", f"/projects/{self.project}/issues", body))
        if draft.closed:
            return self.update(
                created.key, Draft(title=draft.title, due_on=draft.due_on, closed=True)
            )
        return created

    def fetch(self, key: str) -> Ticket:
        return self._ticket(self.http.call("GET", f"/projects/{self.project}/issues/{int(key)}"))

    def update(self, key: str, draft: Draft) -> Ticket:
        body: dict[str, Any] = {
            "title": draft.title,
            "due_date": draft.due_on.isoformat() if draft.due_on else "",
        }
        if draft.closed is not None:
            body["state_event"] = "close" if draft.closed else "reopen"
        if draft.assignee is not None:
            body["assignee_ids"] = [self._user_id(draft.assignee)] if draft.assignee else []
        return self._ticket(
            self.http.call("PUT", f"/projects/{self.project}/issues/{int(key)}", body)
        )

    def find_created(self, marker: str) -> Ticket | None:
        query = f"?labels={LABEL}&scope=all&order_by=created_at&sort=desc&per_page=50"
        found = self.http.call("GET", f"/projects/{self.project}/issues{query}")
        for issue in found if isinstance(found, list) else []:
            if isinstance(issue, dict) and marker in str(issue.get("description") or ""):
                return self._ticket(issue)
        return None

    def changed_since(self, since: datetime) -> list[Ticket]:
        """``GET /projects/:id/issues?updated_after=`` (ISO 8601), a page of 100 at a time."""
        stamp = since.strftime("%Y-%m-%dT%H:%M:%SZ")
        found: list[Ticket] = []
        for page in range(1, MAX_PAGES + 1):
            query = f"?scope=all&updated_after={stamp}&order_by=updated_at&sort=asc&per_page={PAGE}&page={page}"
            rows = self.http.call("GET", f"/projects/{self.project}/issues{query}")
            rows = rows if isinstance(rows, list) else []
            found.extend(t for t in (gitlab_ticket(r) for r in rows) if t is not None)
            if len(rows) < PAGE:
                break
        return found

    def _user_id(self, username: str) -> int:
        """``GET /users?username=`` (docs.gitlab.com/api/users): assignees go by id."""
        found = self.http.call("GET", f"/users?username={quote(username, safe='')}")
        first = found[0] if isinstance(found, list) and found else None
        user_id = first.get("id") if isinstance(first, dict) else None
        if not isinstance(user_id, int):
            raise TrackerError(f"GitLab has no user {username!r}.", retryable=False)
        return user_id

    def account_for(self, email: str) -> str | None:
        """``GET /users?search=<email>`` matches public emails (all emails for admins)."""
        found = self.http.call("GET", f"/users?search={quote(email, safe='')}")
        for person in found if isinstance(found, list) else []:
            if not isinstance(person, dict):
                continue
            emails = {str(person.get(n) or "").lower() for n in ("email", "public_email")}
            if email.lower() in emails:
                username = person.get("username")
                return username if isinstance(username, str) else None
        return None

    def number_in(self, reference: str) -> str | None:
        host = urlsplit(self.connection.web_url).netloc
        return issue_number(reference, project=self.connection.project, host=host)
