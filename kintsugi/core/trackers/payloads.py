"""Reading the trackers' JSON (REST answers and webhooks) into ``Ticket``.

GitHub: the issue object of "Issues" in the REST API (``number``, ``title``, ``state``
open/closed, ``state_reason`` completed/not_planned, ``assignee.login``, ``html_url``,
``updated_at``, ``closed_at``) and the ``issues`` webhook (``action``, ``issue``,
``sender.login``, header ``X-GitHub-Delivery``). GitLab: the issue object of the Issues API
(``iid``, ``title``, ``state`` opened/closed, ``due_date``, ``assignees[].username``,
``web_url``, ``updated_at``, ``closed_at``, ``closed_by.username``) and the "Issue Hook"
webhook (``object_kind: issue``, ``object_attributes`` with the same fields as ``url``,
``assignees``, ``user``). A field missing or of the wrong type reads as empty: a payload
never crashes the reader, and a payload without a key is refused by the caller.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from kintsugi.core.trackers.model import Ticket


def _str(data: Any, *path: str) -> str:
    for name in path:
        if not isinstance(data, dict):
            return ""
        data = data.get(name)
    if isinstance(data, bool) or data is None:
        return ""
    return str(data) if isinstance(data, str | int) else ""


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _labels(raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list):
        return ()
    names = [item.get("name") if isinstance(item, dict) else item for item in raw]
    return tuple(name for name in names if isinstance(name, str))


def github_ticket(issue: Any, *, closed_by: str = "") -> Ticket | None:
    number = _str(issue, "number")
    if not number.isdigit():
        return None
    body = _str(issue, "body")
    return Ticket(
        key=number,
        url=_str(issue, "html_url"),
        title=_str(issue, "title"),
        closed=_str(issue, "state") == "closed",
        not_planned=_str(issue, "state_reason") == "not_planned",
        assignee=_str(issue, "assignee", "login"),
        due_on=_due_in_body(body),
        updated_at=_str(issue, "updated_at"),
        closed_at=_str(issue, "closed_at"),
        closed_by=closed_by or _str(issue, "closed_by", "login"),
        labels=_labels(issue.get("labels") if isinstance(issue, dict) else None),
    )


DUE_LINE = re.compile(r"Target date: (\d{4}-\d{2}-\d{2})")


def _due_in_body(body: str) -> date | None:
    """GitHub has no due date: the one Kintsugi wrote in the body is read back."""
    found = DUE_LINE.search(body)
    return _date(found.group(1)) if found else None


def gitlab_ticket(issue: Any, *, assignees: Any = None, closed_by: str = "") -> Ticket | None:
    number = _str(issue, "iid")
    if not number.isdigit():
        return None
    people = (
        assignees
        if assignees is not None
        else (issue.get("assignees") if isinstance(issue, dict) else None)
    )
    first = people[0] if isinstance(people, list) and people else {}
    state = _str(issue, "state")
    return Ticket(
        key=number,
        url=_str(issue, "web_url") or _str(issue, "url"),
        title=_str(issue, "title"),
        closed=state == "closed",
        assignee=_str(first, "username"),
        assignee_email=_str(first, "email"),
        due_on=_date(_str(issue, "due_date")),
        updated_at=_str(issue, "updated_at"),
        closed_at=_str(issue, "closed_at"),
        closed_by=closed_by or _str(issue, "closed_by", "username"),
        labels=_labels(issue.get("labels") if isinstance(issue, dict) else None),
    )


def github_hook_ticket(payload: Any) -> Ticket | None:
    """An ``issues`` event's issue; the sender is who closed it when it was closed."""
    if not isinstance(payload, dict):
        return None
    closer = _str(payload, "sender", "login") if _str(payload, "action") == "closed" else ""
    return github_ticket(payload.get("issue"), closed_by=closer)


def gitlab_hook_ticket(payload: Any) -> Ticket | None:
    if not isinstance(payload, dict) or payload.get("object_kind") != "issue":
        return None
    attrs = payload.get("object_attributes")
    closer = _str(payload, "user", "username") if _str(attrs, "action") == "close" else ""
    return gitlab_ticket(attrs, assignees=payload.get("assignees", []), closed_by=closer)


_NUMBER = re.compile(r"#?(\d{1,12})")


def issue_number(reference: str, *, project: str, host: str) -> str | None:
    """The issue number in ``12``, ``#12``, ``project#12`` or the issue's URL on ``host``.

    A URL or ``other/project#12`` naming another project is refused (None): a link must
    stay inside the connection the team chose.
    """
    text = reference.strip()
    if "://" in text:
        parts = urlsplit(text)
        path = parts.path.strip("/")
        for infix in ("/-/issues/", "/issues/"):
            if infix in "/" + path:
                where, _, number = ("/" + path).partition(infix)
                same = where.strip("/").lower() == project.lower()
                if parts.netloc.lower() == host.lower() and same and number.isdigit():
                    return number
        return None
    where, hash_sign, number = text.rpartition("#")
    if hash_sign and where and where.lower() != project.lower():
        return None
    found = _NUMBER.fullmatch(text if not where else f"#{number}")
    return found.group(1) if found else None
