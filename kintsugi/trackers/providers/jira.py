"""Jira Cloud (REST v3) and Jira Data Center (REST v2).

Both: create ``POST /rest/api/{v}/issue`` with ``fields`` (project key, issue type Task,
summary, description, labels, priority by name, duedate) answering 201 ``{id, key, self}``;
read ``GET .../issue/{key}?fields=``; change ``PUT .../issue/{key}`` (204); move the
status ``GET``/``POST .../issue/{key}/transitions`` (a transition is chosen by the status
category it leads to: ``done`` to close, ``new`` or ``indeterminate`` to reopen). The
assignee is Cloud's ``accountId`` or DC's ``name``, found by email with ``GET
.../user/search``. Differences: Cloud's description is an ADF document and its JQL search
is ``GET /rest/api/3/search/jql`` paged by ``nextPageToken``; DC's description is wiki
text and ``GET /rest/api/2/search`` pages by ``startAt``/``maxResults``/``total``. Cloud
authenticates with Basic ``email:api-token``, DC with a Bearer personal access token.

JQL uses a relative window (``updated >= "-90m"``): absolute JQL dates are read in the
token owner's time zone, a relative one means the same thing everywhere.

Rate limits: Cloud publishes no fixed numbers and answers 429 with ``Retry-After``
(developer.atlassian.com/cloud/jira/platform/rate-limiting/), sometimes a 503 with one too;
DC's admin-configured token bucket answers 429 with ``retry-after``
(confluence.atlassian.com/adminjiraserver/improving-instance-stability-with-rate-limiting).
Both are retried by the worker (``base.Http``); the pacing below stays modest.
"""

from __future__ import annotations

import base64
import math
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode, urlsplit

from kintsugi.core.trackers.jira import (
    JIRA_MARKER,
    PRIORITIES,
    adf_description,
    adf_text,
    issue_key,
    jira_ticket,
    visible_markers,
    wiki_description,
)
from kintsugi.core.trackers.mapping import LABEL
from kintsugi.core.trackers.model import Draft, Ticket
from kintsugi.trackers.providers.base import MAX_PAGES, PAGE, Http, TrackerError, token_for

if TYPE_CHECKING:
    from kintsugi.trackers.models import TrackerConnection

FIELDS = "summary,status,resolution,assignee,duedate,resolutiondate,updated,labels"
_PRIORITY_LINE = re.compile(r"^Priority: P\d.*$", re.MULTILINE)
_HIDDEN = re.compile(r"<!-- kintsugi:(\S{1,64}) -->")


class Jira:
    """What Cloud and DC share; ``api`` and the few differences are set by the subclasses."""

    api = ""
    cloud = True
    writes_per_minute = 100
    writes_per_hour = 3_000

    def __init__(self, connection: TrackerConnection, *, timeout: float) -> None:
        self.connection = connection
        self.project = connection.project
        self.browse = connection.web_url or connection.base_url
        self.http = Http(
            connection.base_url,
            {
                "Authorization": self.authorization(token_for(connection)),
                "Accept": "application/json",
                "User-Agent": "kintsugi",
            },
            timeout=timeout,
        )

    def authorization(self, token: str) -> str:
        raise NotImplementedError

    def description(self, body: str) -> Any:
        raise NotImplementedError

    def _ticket(self, answer: Any, closed_by: str = "") -> Ticket:
        ticket = jira_ticket(answer, browse=self.browse, closed_by=closed_by, cloud=self.cloud)
        if ticket is None:
            raise TrackerError("Jira's answer holds no issue.", retryable=False)
        return ticket

    def _path(self, key: str, tail: str = "") -> str:
        return f"{self.api}/issue/{quote(key, safe='')}{tail}"

    # -- create -------------------------------------------------------------------------

    def create(self, draft: Draft) -> Ticket:
        priority = next(
            (PRIORITIES[p.split(":")[1]] for p in draft.labels if p.startswith("priority:")), ""
        )
        fields: dict[str, Any] = {
            "project": {"key": self.project},
            "issuetype": {"name": "Task"},
            "summary": draft.title,
            "description": self.description(visible_markers(draft.body)),
            "labels": [LABEL],
        }
        if priority:
            fields["priority"] = {"name": priority}
        if draft.due_on:
            fields["duedate"] = draft.due_on.isoformat()
        try:
            made = self.http.call("POST", f"{self.api}/issue", {"fields": fields})
        except TrackerError as error:
            # A project whose create screen lacks Priority or Due date refuses those fields
            # (400 "Field 'priority' cannot be set"): create without them rather than fail.
            optional = [name for name in ("priority", "duedate") if f"{name}:" in error.message]
            if error.retryable or not optional:
                raise
            for name in optional:
                fields.pop(name, None)
            made = self.http.call("POST", f"{self.api}/issue", {"fields": fields})
        key = made.get("key") if isinstance(made, dict) else None
        if not isinstance(key, str):
            raise TrackerError("Jira's answer to the create holds no key.", retryable=False)
        if draft.closed or draft.assignee:
            return self.update(
                key,
                Draft(
                    title=draft.title,
                    due_on=draft.due_on,
                    closed=draft.closed,
                    not_planned=draft.not_planned,
                    assignee=draft.assignee,
                ),
            )
        return self.fetch(key)

    # -- read ---------------------------------------------------------------------------

    def fetch(self, key: str) -> Ticket:
        path = self._path(key, f"?fields={FIELDS}&expand=changelog")  # who closed it
        return self._ticket(self.http.call("GET", path))

    def find_created(self, marker: str) -> Ticket | None:
        """The issue whose description carries the marker, among the project's recent
        Kintsugi issues (a create whose answer was lost is minutes old)."""
        found = _HIDDEN.fullmatch(marker)
        needle = JIRA_MARKER.format(key=found.group(1)) if found else marker
        jql = (
            f'project = "{self.project}" AND labels = "{LABEL}" AND created >= "-7d" '
            "ORDER BY created DESC"
        )
        for issue in self._search(jql, f"{FIELDS},description", pages=1, size=50):
            text = issue.get("fields", {}).get("description") if isinstance(issue, dict) else None
            if needle in adf_text(text):
                return self._ticket(issue)
        return None

    def changed_since(self, since: datetime) -> list[Ticket]:
        minutes = max(1, math.ceil((datetime.now(UTC) - since).total_seconds() / 60))
        jql = f'project = "{self.project}" AND updated >= "-{minutes}m" ORDER BY updated ASC'
        found = (
            jira_ticket(i, browse=self.browse, cloud=self.cloud) for i in self._search(jql, FIELDS)
        )
        return [t for t in found if t is not None]

    def _search(
        self, jql: str, fields: str, *, pages: int = MAX_PAGES, size: int = PAGE
    ) -> list[Any]:
        raise NotImplementedError

    def number_in(self, reference: str) -> str | None:
        site = urlsplit(self.browse)
        return issue_key(reference, project=self.project, host=site.netloc, root=site.path)

    # -- change -------------------------------------------------------------------------

    def update(self, key: str, draft: Draft) -> Ticket:
        fields: dict[str, Any] = {
            "summary": draft.title,
            "duedate": draft.due_on.isoformat() if draft.due_on else None,
        }
        if draft.assignee is not None:
            fields["assignee"] = self.assignee_field(draft.assignee)
        self.http.call("PUT", self._path(key), {"fields": fields})
        if draft.closed is not None:
            current = self.fetch(key)
            if current.closed != draft.closed:
                self._transition(key, close=draft.closed, not_planned=draft.not_planned)
        return self.fetch(key)

    def assignee_field(self, account: str) -> dict[str, str] | None:
        raise NotImplementedError

    def _transition(self, key: str, *, close: bool, not_planned: bool) -> None:
        answer = self.http.call("GET", self._path(key, "/transitions"))
        rows = answer.get("transitions") if isinstance(answer, dict) else None
        choices = []
        for row in rows if isinstance(rows, list) else []:
            target = row.get("to") if isinstance(row, dict) else None
            category = (
                target.get("statusCategory", {}).get("key") if isinstance(target, dict) else None
            )
            if (category == "done") == close and isinstance(row.get("id"), str):
                name = f"{row.get('name', '')} {target.get('name', '') if isinstance(target, dict) else ''}".lower()
                wont = "won't" in name or "wont" in name or "declin" in name
                # Closing: a "won't do" transition for won't do, otherwise any other one.
                # Reopening: "To Do" (new) before "In Progress" (indeterminate).
                rank = (wont != not_planned) if close else (category != "new")
                choices.append((rank, row["id"]))
        if not choices:
            where = "Done" if close else "an open status"
            raise TrackerError(
                f"No transition of {key} leads to {where} in its workflow; move it in Jira.",
                retryable=False,
            )
        choices.sort()
        self.http.call(
            "POST", self._path(key, "/transitions"), {"transition": {"id": choices[0][1]}}
        )

    def account_for(self, email: str) -> str | None:
        """The account of the person with that email, if Jira shows it to the token."""
        raise NotImplementedError


class JiraCloud(Jira):
    api = "/rest/api/3"
    cloud = True

    def authorization(self, token: str) -> str:
        if ":" not in token:
            raise TrackerError(
                f"{self.connection.token_env or 'The sealed token'} must hold email:api-token "
                "for Jira Cloud.",
                retryable=False,
            )
        return "Basic " + base64.b64encode(token.encode()).decode()

    def description(self, body: str) -> Any:
        return adf_description(body)

    def assignee_field(self, account: str) -> dict[str, str] | None:
        return {"accountId": account} if account else None

    def _search(
        self, jql: str, fields: str, *, pages: int = MAX_PAGES, size: int = PAGE
    ) -> list[Any]:
        """``/search/jql`` pages by ``nextPageToken`` (absent or null on the last page)."""
        rows: list[Any] = []
        token = ""
        for _ in range(pages):
            query = {"jql": jql, "fields": fields, "maxResults": str(size), "expand": "changelog"}
            if token:
                query["nextPageToken"] = token
            answer = self.http.call("GET", f"{self.api}/search/jql?{urlencode(query)}")
            page = answer.get("issues") if isinstance(answer, dict) else None
            rows.extend(page if isinstance(page, list) else [])
            token = answer.get("nextPageToken") if isinstance(answer, dict) else None
            if not isinstance(token, str) or not token or answer.get("isLast") is True:
                break
        return rows

    def account_for(self, email: str) -> str | None:
        found = self.http.call("GET", f"{self.api}/user/search?{urlencode({'query': email})}")
        for person in found if isinstance(found, list) else []:
            if (
                isinstance(person, dict)
                and str(person.get("emailAddress", "")).lower() == email.lower()
            ):
                account = person.get("accountId")
                return account if isinstance(account, str) else None
        return None


class JiraDataCenter(Jira):
    api = "/rest/api/2"
    cloud = False

    def authorization(self, token: str) -> str:
        return f"Bearer {token}"

    def description(self, body: str) -> Any:
        return wiki_description(body)

    def assignee_field(self, account: str) -> dict[str, str] | None:
        return {"name": account} if account else None

    def _search(
        self, jql: str, fields: str, *, pages: int = MAX_PAGES, size: int = PAGE
    ) -> list[Any]:
        """``/search`` pages by ``startAt`` until ``total`` is reached or a page is empty."""
        rows: list[Any] = []
        start = 0
        for _ in range(pages):
            query = {
                "jql": jql,
                "fields": fields,
                "startAt": str(start),
                "maxResults": str(size),
                "expand": "changelog",
            }
            answer = self.http.call("GET", f"{self.api}/search?{urlencode(query)}")
            page = answer.get("issues") if isinstance(answer, dict) else None
            page = page if isinstance(page, list) else []
            rows.extend(page)
            start += len(page)
            total = answer.get("total") if isinstance(answer, dict) else None
            if not page or not isinstance(total, int) or start >= total:
                break
        return rows

    def account_for(self, email: str) -> str | None:
        found = self.http.call("GET", f"{self.api}/user/search?{urlencode({'username': email})}")
        for person in found if isinstance(found, list) else []:
            if (
                isinstance(person, dict)
                and str(person.get("emailAddress", "")).lower() == email.lower()
            ):
                account = person.get("name")
                return account if isinstance(account, str) else None
        return None
