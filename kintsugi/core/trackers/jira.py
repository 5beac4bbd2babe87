"""Jira's shapes without Django: an issue read into ``Ticket``, a description written for
Cloud (Atlassian Document Format) or Data Center (wiki text), keys and browse URLs, the
webhook signature.

Sources (Atlassian's documentation): the issue object of "Issues" in the Cloud REST API v3
(developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/) and the Server/Data
Center REST API v2 (docs.atlassian.com/software/jira/docs/api/REST/latest/): ``key``,
``fields.summary``, ``fields.status.statusCategory.key`` (``new``, ``indeterminate``,
``done``), ``fields.resolution.name``, ``fields.assignee`` (Cloud ``accountId``, DC ``name``,
both ``emailAddress`` when the profile shares it, ``displayName``), ``fields.duedate``
(YYYY-MM-DD), ``fields.resolutiondate``, ``fields.updated``, ``fields.labels``. The
webhook ("Webhooks", developer.atlassian.com/cloud/jira/platform/webhooks/) sends
``webhookEvent`` (``jira:issue_updated`` ...), ``user`` and ``issue``; an admin webhook with
a secret signs the raw body: ``X-Hub-Signature: sha256=<hex HMAC-SHA256>``.

A field missing or of the wrong type reads as empty; a payload never crashes the reader.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from kintsugi.core.trackers.model import Ticket

# Jira project keys: a capital letter, then capitals, digits or _ (2 to 10 in all by
# default; admins may allow more, so up to 30 here).
PROJECT_KEY = re.compile(r"[A-Z][A-Z0-9_]{1,29}")
_ISSUE_KEY = re.compile(r"([A-Za-z][A-Za-z0-9_]{1,29})-(\d{1,12})")
# The marker written in a ticket's description, found again after a lost create answer.
# Jira renders HTML comments as text, so the marker is plain and short.
JIRA_MARKER = "kintsugi-ref: {key}"
PRIORITIES = {"P0": "Highest", "P1": "High", "P2": "Medium", "P3": "Low"}
WONT_DO = {
    "won't do",
    "won't fix",
    "wont do",
    "wont fix",
    "declined",
    "duplicate",
    "cannot reproduce",
}
SYNCED_EVENTS = {"jira:issue_created", "jira:issue_updated"}


def _get(data: Any, *path: str) -> Any:
    for name in path:
        if not isinstance(data, dict):
            return None
        data = data.get(name)
    return data


def _str(data: Any, *path: str) -> str:
    value = _get(data, *path)
    return value if isinstance(value, str) else ""


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def jira_ticket(
    issue: Any, *, browse: str, closed_by: str = "", cloud: bool = True
) -> Ticket | None:
    """An issue (REST answer, search row or webhook ``issue``) as a ``Ticket``.

    ``browse`` is the site's root; the URL people open is ``<browse>/browse/<key>``. The
    assignee's account is Cloud's ``accountId`` or DC's ``name``.
    """
    key = _str(issue, "key")
    if not _ISSUE_KEY.fullmatch(key):
        return None
    fields = _get(issue, "fields")
    done = _str(fields, "status", "statusCategory", "key") == "done"
    resolution = _str(fields, "resolution", "name").strip().lower()
    account = _str(fields, "assignee", "accountId" if cloud else "name")
    labels = _get(fields, "labels")
    return Ticket(
        key=key,
        url=f"{browse.rstrip('/')}/browse/{key}",
        title=_str(fields, "summary"),
        closed=done,
        not_planned=done and resolution in WONT_DO,
        assignee=account,
        assignee_email=_str(fields, "assignee", "emailAddress"),
        due_on=_date(_str(fields, "duedate")),
        updated_at=_str(fields, "updated"),
        closed_at=_str(fields, "resolutiondate") if done else "",
        closed_by=(closed_by or _status_changed_by(issue)) if done else "",
        labels=tuple(x for x in labels if isinstance(x, str)) if isinstance(labels, list) else (),
    )


def _status_changed_by(issue: Any) -> str:
    """Who last changed the status, from ``changelog.histories`` (``expand=changelog``):
    for a done issue, who closed it."""
    histories = _get(issue, "changelog", "histories")
    latest = ("", "")
    for history in histories if isinstance(histories, list) else []:
        items = _get(history, "items")
        moved = isinstance(items, list) and any(
            isinstance(i, dict) and i.get("field") == "status" for i in items
        )
        when = _str(history, "created")
        if moved and when >= latest[0]:
            who = _str(history, "author", "displayName") or _str(history, "author", "name")
            latest = (when, who)
    return latest[1]


def jira_hook_ticket(payload: Any, *, browse: str, cloud: bool) -> Ticket | None:
    """The issue of a ``jira:issue_*`` event; its ``user`` closed it when the status moved
    into the done category in this event's changelog."""
    if not isinstance(payload, dict) or _str(payload, "webhookEvent") not in SYNCED_EVENTS:
        return None
    items = _get(payload, "changelog", "items")
    items = items if isinstance(items, list) else []
    moved = any(isinstance(i, dict) and i.get("field") == "status" for i in items)
    who = _str(payload, "user", "displayName") or _str(payload, "user", "name")
    return jira_ticket(
        payload.get("issue"), browse=browse, closed_by=who if moved else "", cloud=cloud
    )


def issue_key(reference: str, *, project: str, host: str, root: str = "") -> str | None:
    """The key in ``OPS-12``, ``ops-12`` or ``https://<host><root>/browse/OPS-12`` (``root``
    is a Data Center context path such as ``/jira``).

    Another project's key, another host or any other path is refused (None): a link stays
    inside the connection the team chose.
    """
    text = reference.strip()
    if "://" in text:
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or parts.netloc.lower() != host.lower():
            return None
        path = parts.path.rstrip("/")
        browse = root.rstrip("/") + "/browse/"
        if not path.startswith(browse):
            return None
        text = path.removeprefix(browse)
    found = _ISSUE_KEY.fullmatch(text)
    if found is None or found.group(1).upper() != project.upper():
        return None
    return f"{found.group(1).upper()}-{int(found.group(2))}"


def _paragraphs(body: str) -> list[str]:
    return [part.strip() for part in body.split("\n\n") if part.strip()]


_LINK = re.compile(r"\[([^\]]*)\]\((https?://[^)\s]+)\)")


def adf_description(body: str) -> dict[str, Any]:
    """Kintsugi's Markdown-ish body as an ADF document (Cloud v3 accepts only ADF).

    Paragraphs stay paragraphs; ``[title](url)`` becomes a link mark; the rest is text.
    """
    content: list[dict[str, Any]] = []
    for paragraph in _paragraphs(body):
        nodes: list[dict[str, Any]] = []
        at = 0
        for found in _LINK.finditer(paragraph):
            if found.start() > at:
                nodes.append({"type": "text", "text": paragraph[at : found.start()]})
            nodes.append(
                {
                    "type": "text",
                    "text": found.group(1) or found.group(2),
                    "marks": [{"type": "link", "attrs": {"href": found.group(2)}}],
                }
            )
            at = found.end()
        if at < len(paragraph):
            nodes.append({"type": "text", "text": paragraph[at:]})
        content.append({"type": "paragraph", "content": nodes})
    return {"type": "doc", "version": 1, "content": content}


def wiki_description(body: str) -> str:
    """The same body as Jira wiki text (DC v2): ``[title|url]`` links."""
    return _LINK.sub(lambda m: f"[{m.group(1) or m.group(2)}|{m.group(2)}]", body)


def adf_text(document: Any) -> str:
    """All the text of an ADF document (to find the marker in a Cloud description)."""
    if isinstance(document, str):
        return document
    if isinstance(document, list):
        return " ".join(adf_text(node) for node in document)
    if not isinstance(document, dict):
        return ""
    text = document.get("text")
    own = text if isinstance(text, str) else ""
    return (own + " " + adf_text(document.get("content"))).strip()


def jira_signature(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def jira_signature_ok(body: bytes, header: str, secret: str) -> bool:
    """``X-Hub-Signature: sha256=<hex>`` in constant time; an empty secret never matches."""
    expected = jira_signature(body, secret or "no secret set")
    matches = hmac.compare_digest(expected.encode(), (header or "").strip().encode())
    return bool(secret) and matches


_HIDDEN = re.compile(r"<!-- kintsugi:(\S{1,64}) -->")


def visible_markers(text: str) -> str:
    """Kintsugi's hidden marker (an HTML comment) in the words Jira shows as they are."""
    return _HIDDEN.sub(lambda m: JIRA_MARKER.format(key=m.group(1)), text)
