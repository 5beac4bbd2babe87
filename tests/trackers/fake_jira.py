"""A loopback Jira, Cloud (REST v3) or Data Center (REST v2) flavour, speaking the subset
Kintsugi uses. Built from Atlassian's documentation, not from Jira's code:

- Issues, Cloud v3 (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/):
  "Create issue" ``POST /rest/api/3/issue`` with ``fields`` (``project.key``,
  ``issuetype.name``, ``summary``, ``description`` as an Atlassian Document Format document,
  ``labels``, ``priority.name``, ``duedate``) answers 201 ``{"id", "key", "self"}``; a field
  not on the create screen answers 400 ``{"errorMessages": [], "errors": {"priority":
  "Field 'priority' cannot be set. It is not on the appropriate screen, or unknown."}}``.
  "Get issue" ``GET /rest/api/3/issue/{key}`` (404 "Issue does not exist or you do not have
  permission to see it."); "Edit issue" ``PUT`` answers 204; "Get transitions" and
  "Transition issue" ``/rest/api/3/issue/{key}/transitions`` (POST ``{"transition": {"id"}}``
  answers 204; each transition has ``to.statusCategory.key`` new/indeterminate/done).
- Search, Cloud (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/):
  "Search for issues using JQL enhanced search" ``GET /rest/api/3/search/jql`` with ``jql``,
  ``fields``, ``maxResults`` and ``nextPageToken``; the answer has ``issues``,
  ``nextPageToken`` (left out on the last page, JRACLOUD-92184) and ``isLast``.
- Data Center v2 (https://docs.atlassian.com/software/jira/docs/api/REST/9.12.0/): the same
  issue resources under ``/rest/api/2`` with the description as wiki text, and ``GET
  /rest/api/2/search`` paged by ``startAt``/``maxResults``/``total``. Users: Cloud ``GET
  /rest/api/3/user/search?query=`` (``accountId``), DC ``GET /rest/api/2/user/search?username=``
  (``name``); both give ``emailAddress`` where the profile shows it.
- Authentication: Cloud Basic ``email:api-token``
  (https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/); DC
  ``Authorization: Bearer <personal access token>``
  (https://confluence.atlassian.com/enterprise/using-personal-access-tokens-1026032365.html).
  401 answers ``{"errorMessages": [...]}``.
- Rate limits (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/): "429
  responses may be accompanied by Retry-After and X-RateLimit-Reset headers"; "a 503
  response may be returned when a resource limit has been reached" (faults queue).
- Webhooks (https://developer.atlassian.com/cloud/jira/platform/webhooks/#secure-admin-webhooks):
  an admin webhook with a secret signs the body, ``X-Hub-Signature: sha256=<hex
  HMAC-SHA256>`` (the WebSub "method=signature" form); ``X-Atlassian-Webhook-Identifier``
  is the same on retries of one delivery; the body has ``timestamp``, ``webhookEvent``
  (``jira:issue_updated``), ``user``, ``issue`` and ``changelog.items[]``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.trackers.fakes import TOKEN, FakeTracker

EMAIL = "bot@acme.test"
STATUSES = {
    "To Do": "new",
    "In Progress": "indeterminate",
    "Done": "done",
    "Won't Do": "done",
}
TRANSITIONS = {"11": "To Do", "21": "In Progress", "31": "Done", "41": "Won't Do"}
_CLAUSE = re.compile(
    r'(project|labels) = "([^"]+)"|(updated|created) >= "-(\d+)([mhd])"', re.IGNORECASE
)


def _stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def _parse(stamp: str) -> datetime:
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.000+0000").replace(tzinfo=UTC)


class FakeJira(FakeTracker):
    """Issues of project ``OPS`` in memory; ``cloud`` picks the flavour."""

    unauthorised = {"errorMessages": ["You are not authenticated."], "errors": {}}

    def __init__(self, *, cloud: bool, project: str = "OPS") -> None:
        super().__init__()
        self.cloud = cloud
        self.kind = "jira_cloud" if cloud else "jira_dc"
        self.project = project
        self.api = "/rest/api/3" if cloud else "/rest/api/2"
        self.refuse_fields: set[str] = set()  # fields not on the create screen
        self.workflow = dict(TRANSITIONS)  # the transitions this project's workflow offers
        self.histories: dict[int, list[dict[str, Any]]] = {}  # "expand=changelog"
        self.people = [
            {"accountId": "5b10a2844c20165700ede21g", "name": "bobby",
             "emailAddress": "bobby@acme.test", "displayName": "Bobby Tables"},
            {"accountId": "557058:f58131cb", "name": "stranger",
             "emailAddress": "", "displayName": "A Stranger"},
        ]  # fmt: skip

    @property
    def web(self) -> str:  # type: ignore[override]
        return self.url

    def authorised(self, headers: Any) -> bool:
        if self.cloud:
            basic = base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode()
            return headers.get("Authorization") == f"Basic {basic}"
        return headers.get("Authorization") == f"Bearer {TOKEN}"

    def key(self, number: int) -> str:
        return f"{self.project}-{number}"

    def issue(self, number: int) -> dict[str, Any]:
        return self.issues[number]

    def fields(self, number: int) -> dict[str, Any]:
        return self.issues[number]["fields"]

    # -- routing --------------------------------------------------------------------------

    def route(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        parts = urlsplit(path)
        where = unquote(parts.path)
        query = parse_qs(parts.query)
        if not where.startswith(self.api + "/"):
            return 404, {"errorMessages": ["Not found."], "errors": {}}
        rest = where.removeprefix(self.api)
        if rest == "/issue" and method == "POST":
            return self.create(body)
        if rest == ("/search/jql" if self.cloud else "/search") and method == "GET":
            return self.search(query)
        if rest == "/user/search" and method == "GET":
            wanted = query.get("query" if self.cloud else "username", [""])[0].lower()
            found = [p for p in self.people if wanted and wanted in p["emailAddress"].lower()]
            return 200, [self.person(p) for p in found]
        found = re.fullmatch(r"/issue/([A-Z][A-Z0-9_]*)-(\d+)(/transitions)?", rest)
        if not found or found.group(1) != self.project or int(found.group(2)) not in self.issues:
            return 404, {
                "errorMessages": ["Issue does not exist or you do not have permission to see it."],
                "errors": {},
            }
        number = int(found.group(2))
        if found.group(3):
            return self.transitions(number, method, body)
        if method == "GET":
            return 200, self.shown(number, query)
        if method == "PUT":
            return self.edit(number, body)
        return 405, {"errorMessages": ["Method not allowed."], "errors": {}}

    def shown(self, number: int, query: dict[str, list[str]]) -> dict[str, Any]:
        """The issue, with ``changelog.histories`` only when ``expand=changelog`` asks."""
        issue = self.issues[number]
        if "changelog" not in query.get("expand", [""])[0].split(","):
            return issue
        histories = self.histories.get(number, [])
        return {
            **issue,
            "changelog": {"startAt": 0, "total": len(histories), "histories": histories},
        }

    def person(self, person: dict[str, str]) -> dict[str, str]:
        """Cloud identifies people by ``accountId``, DC by ``name``."""
        shown = {"displayName": person["displayName"], "emailAddress": person["emailAddress"]}
        if self.cloud:
            return {"accountId": person["accountId"], **shown}
        return {"name": person["name"], "key": person["name"], **shown}

    def _find_person(self, ref: Any) -> dict[str, str] | None:
        field = "accountId" if self.cloud else "name"
        wanted = ref.get(field) if isinstance(ref, dict) else None
        return next((p for p in self.people if p[field] == wanted), None)

    def create(self, body: Any) -> tuple[int, Any]:
        fields = body.get("fields") if isinstance(body, dict) else None
        if not isinstance(fields, dict):
            return 400, {"errorMessages": ["No fields given."], "errors": {}}
        errors: dict[str, str] = {}
        if (fields.get("project") or {}).get("key") != self.project:
            errors["project"] = "valid project is required"
        if not fields.get("summary"):
            errors["summary"] = "You must specify a summary of the issue."
        description = fields.get("description")
        if self.cloud and not (isinstance(description, dict) and description.get("type") == "doc"):
            errors["description"] = "Operation value must be an Atlassian Document (see ADF)."
        if not self.cloud and not isinstance(description, str):
            errors["description"] = "Operation value must be a string"
        for name in self.refuse_fields & set(fields):
            errors[name] = (
                f"Field '{name}' cannot be set. It is not on the appropriate screen, or unknown."
            )
        priority = (fields.get("priority") or {}).get("name")
        if priority and priority not in ("Highest", "High", "Medium", "Low", "Lowest"):
            errors["priority"] = "The priority selected is invalid."
        if errors:
            return 400, {"errorMessages": [], "errors": errors}
        number = next(self.numbers)
        now = _stamp(datetime.now(UTC))
        self.issues[number] = {
            "id": str(10000 + number),
            "key": self.key(number),
            "self": f"{self.url}{self.api}/issue/{10000 + number}",
            "fields": {
                "summary": fields["summary"],
                "description": description,
                "labels": list(fields.get("labels") or []),
                "priority": {"name": priority or "Medium"},
                "duedate": fields.get("duedate"),
                "status": self._status("To Do"),
                "resolution": None,
                "resolutiondate": None,
                "assignee": None,
                "created": now,
                "updated": now,
            },
        }
        issue = self.issues[number]
        return 201, {"id": issue["id"], "key": issue["key"], "self": issue["self"]}

    def _status(self, name: str) -> dict[str, Any]:
        return {"name": name, "statusCategory": {"key": STATUSES[name]}}

    def edit(self, number: int, body: Any) -> tuple[int, Any]:
        fields = body.get("fields") if isinstance(body, dict) else None
        if not isinstance(fields, dict):
            return 400, {"errorMessages": ["No fields given."], "errors": {}}
        if "summary" in fields and not 0 < len(str(fields["summary"] or "")) <= 255:
            return 400, {"errorMessages": [], "errors": {"summary": "Summary is required."}}
        chosen = fields.get("assignee")
        if chosen is not None and self._find_person(chosen) is None:
            return 400, {"errorMessages": [], "errors": {"assignee": "User does not exist."}}
        self.change(number, **fields)
        return 204, None

    def transitions(self, number: int, method: str, body: Any) -> tuple[int, Any]:
        current = self.fields(number)["status"]["name"]
        if method == "GET":
            rows = [
                {"id": tid, "name": name, "to": {"name": name, **self._status(name)}}
                for tid, name in self.workflow.items()
                if name != current
            ]
            return 200, {"transitions": rows}
        tid = ((body or {}).get("transition") or {}).get("id")
        if tid not in self.workflow or self.workflow[tid] == current:
            return 400, {"errorMessages": ["Transition id is not valid for this issue."]}
        self.change(number, status=self.workflow[tid])
        return 204, None

    def search(self, query: dict[str, list[str]]) -> tuple[int, Any]:
        jql = query.get("jql", [""])[0]
        condition, _, order = jql.partition(" ORDER BY ")
        clauses = [c.strip() for c in re.split(r"\s+AND\s+", condition) if c.strip()]
        now = datetime.now(UTC)
        rows = list(self.issues.values())
        for clause in clauses:
            found = _CLAUSE.fullmatch(clause)
            if not found:
                return 400, {"errorMessages": [f"Error in the JQL Query: {clause!r}"], "errors": {}}
            if found.group(1):
                name, value = found.group(1).lower(), found.group(2)
                if name == "project":
                    rows = [r for r in rows if r["key"].startswith(value + "-")]
                else:
                    rows = [r for r in rows if value in r["fields"]["labels"]]
            else:
                unit = {"m": "minutes", "h": "hours", "d": "days"}[found.group(5)]
                since = now - timedelta(**{unit: int(found.group(4))})
                name = found.group(3).lower()
                rows = [r for r in rows if _parse(r["fields"][name]) >= since]
        field, _, direction = order.strip().partition(" ")
        if field:
            rows.sort(key=lambda r: (r["fields"][field], int(r["id"])))
            if direction.upper() == "DESC":
                rows.reverse()
        size = min(100, int(query.get("maxResults", ["50"])[0]))
        if self.cloud:
            start = int(query.get("nextPageToken", ["0"])[0].removeprefix("page-") or 0)
            page = rows[start : start + size]
            page = [self.shown(int(r["id"]) - 10000, query) for r in page]
            answer: dict[str, Any] = {"issues": page, "isLast": start + size >= len(rows)}
            if start + size < len(rows):
                answer["nextPageToken"] = f"page-{start + size}"
            return 200, answer
        start = int(query.get("startAt", ["0"])[0])
        return 200, {
            "startAt": start,
            "maxResults": size,
            "total": len(rows),
            "issues": [self.shown(int(r["id"]) - 10000, query) for r in rows[start : start + size]],
        }

    # -- changes made in Jira (by the API or by a person) ---------------------------------

    def change(self, number: int, **changes: Any) -> dict[str, Any]:
        fields = self.fields(number)
        if "summary" in changes:
            fields["summary"] = changes["summary"]
        if "duedate" in changes:
            fields["duedate"] = changes["duedate"] or None
        if "assignee" in changes:
            ref = changes["assignee"]
            person = (
                ref if isinstance(ref, dict) and "displayName" in ref else self._find_person(ref)
            )
            fields["assignee"] = self.person(person) if person else None
        if "status" in changes:
            name = changes["status"]
            self.histories.setdefault(number, []).append(
                {"id": str(len(self.histories.get(number, [])) + 1),
                 "author": {"displayName": changes.get("by", "Kintsugi Bot")},
                 "created": _stamp(datetime.now(UTC)),
                 "items": [{"field": "status", "fromString": fields["status"]["name"],
                            "toString": name}]}
            )  # fmt: skip
            fields["status"] = self._status(name)
            if STATUSES[name] == "done":
                fields["resolution"] = {"name": name if name != "Done" else "Done"}
                fields["resolutiondate"] = fields["resolutiondate"] or _stamp(datetime.now(UTC))
            else:
                fields["resolution"] = fields["resolutiondate"] = None
        fields["updated"] = _stamp(datetime.now(UTC))
        return self.issues[number]

    def hook(
        self,
        number: int,
        secret: str,
        *,
        event: str = "jira:issue_updated",
        user: str = "Jo Jira",
        status_changed: bool = False,
    ) -> tuple[bytes, dict[str, str]]:
        """The webhook Jira would send now: body and headers, signed with the secret."""
        items = [{"field": "status", "fromString": "To Do", "toString": "Done"}]
        body = json.dumps(
            {"timestamp": 1765112141000, "webhookEvent": event,
             "issue_event_type_name": "issue_generic", "user": {"displayName": user},
             "issue": self.issues[number], "changelog": {"items": items if status_changed else []}}
        ).encode()  # fmt: skip
        digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return body, {
            "X-Hub-Signature": f"sha256={digest}",
            "X-Atlassian-Webhook-Identifier": str(uuid.uuid4()),
        }


def serve(kind: str, monkeypatch: Any, env: str) -> FakeJira:
    """A fake of flavour ``kind`` (jira_cloud, jira_dc), its token put in ``env`` in the form
    that flavour expects; use it as a context manager."""
    cloud = kind == "jira_cloud"
    monkeypatch.setenv(env, f"{EMAIL}:{TOKEN}" if cloud else TOKEN)
    return FakeJira(cloud=cloud)
