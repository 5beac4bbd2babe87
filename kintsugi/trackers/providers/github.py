"""GitHub Issues over the REST API (docs.github.com/rest/issues/issues).

Create ``POST /repos/{owner}/{repo}/issues`` (title, body, labels); read
``GET .../issues/{number}``; change ``PATCH .../issues/{number}`` (title, body, state
open/closed, state_reason completed/not_planned); list ``GET .../issues?labels=&state=all``.
Headers: ``Authorization: Bearer``, ``Accept: application/vnd.github+json``,
``X-GitHub-Api-Version: 2022-11-28``. Issues have no due date: Kintsugi writes it in the
body ("Target date: ...") and reads it back from there.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from kintsugi.core.trackers.mapping import LABEL
from kintsugi.core.trackers.model import Draft, Ticket
from kintsugi.core.trackers.payloads import DUE_LINE, github_ticket, issue_number
from kintsugi.trackers.providers.base import MAX_PAGES, PAGE, Http, TrackerError, token_for

if TYPE_CHECKING:
    from kintsugi.trackers.models import TrackerConnection


class GitHub:
    # "Secondary rate limits": no more than 80 content-generating requests a minute and 500
    # an hour (docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api); kept
    # below both, so a bulk create paces itself instead of being refused.
    writes_per_minute = 60
    writes_per_hour = 450

    def __init__(self, connection: TrackerConnection, *, timeout: float) -> None:
        self.connection = connection
        self.repo = "/".join(quote(part, safe="") for part in connection.project.split("/"))
        self.http = Http(
            connection.base_url,
            {
                "Authorization": f"Bearer {token_for(connection)}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
                "User-Agent": "kintsugi",
            },
            timeout=timeout,
        )

    def _ticket(self, answer: Any) -> Ticket:
        ticket = github_ticket(answer)
        if ticket is None:
            raise TrackerError("GitHub's answer holds no issue.", retryable=False)
        return ticket

    def create(self, draft: Draft) -> Ticket:
        body: dict[str, Any] = {
            "title": draft.title,
            "body": draft.body,
            "labels": list(draft.labels),
        }
        created = self._ticket(self.http.call("POST", f"/repos/{self.repo}/issues", body))
        if draft.closed:
            return self.update(
                created.key, Draft(title=draft.title, closed=True, not_planned=draft.not_planned)
            )
        return created

    def fetch(self, key: str) -> Ticket:
        return self._ticket(self.http.call("GET", f"/repos/{self.repo}/issues/{int(key)}"))

    def update(self, key: str, draft: Draft) -> Ticket:
        path = f"/repos/{self.repo}/issues/{int(key)}"
        body: dict[str, Any] = {"title": draft.title}
        if draft.assignee is not None:
            body["assignees"] = [draft.assignee] if draft.assignee else []
        if draft.closed is not None:
            body["state"] = "closed" if draft.closed else "open"
            if draft.closed:
                body["state_reason"] = "not_planned" if draft.not_planned else "completed"
        current = self.http.call("GET", path)
        text = current.get("body") if isinstance(current, dict) else None
        if isinstance(text, str):
            due = f"Target date: {draft.due_on.isoformat()}" if draft.due_on else ""
            changed = DUE_LINE.sub(due, text) if DUE_LINE.search(text) else text
            if changed != text:
                body["body"] = changed
        return self._ticket(self.http.call("PATCH", path, body))

    def find_created(self, marker: str) -> Ticket | None:
        query = f"?labels={LABEL}&state=all&sort=created&direction=desc&per_page=50"
        found = self.http.call("GET", f"/repos/{self.repo}/issues{query}")
        for issue in found if isinstance(found, list) else []:
            if isinstance(issue, dict) and marker in str(issue.get("body") or ""):
                return self._ticket(issue)
        return None

    def changed_since(self, since: datetime) -> list[Ticket]:
        """``GET .../issues?state=all&since=`` (ISO 8601), a page of 100 at a time."""
        stamp = since.strftime("%Y-%m-%dT%H:%M:%SZ")
        found: list[Ticket] = []
        for page in range(1, MAX_PAGES + 1):
            query = (
                f"?state=all&since={stamp}&sort=updated&direction=asc&per_page={PAGE}&page={page}"
            )
            rows = self.http.call("GET", f"/repos/{self.repo}/issues{query}")
            rows = rows if isinstance(rows, list) else []
            found.extend(t for t in (github_ticket(r) for r in rows) if t is not None)
            if len(rows) < PAGE:
                break
        return found

    def account_for(self, email: str) -> str | None:
        """GitHub finds people by email only where they made it public: no lookup; the
        mapping table (Settings → Trackers) names the login."""
        return None

    def number_in(self, reference: str) -> str | None:
        host = urlsplit(self.connection.web_url).netloc
        return issue_number(reference, project=self.connection.project, host=host)
