"""What a post-mortem's sections hold now, as the plain snapshots the history stores.

Read with a fixed number of queries (one per section, two for factors and 5 Whys links),
whatever the size of the post-mortem. Times are ISO 8601 in UTC; people are usernames (or
the name kept as written when they are not users); a 5 Whys step's links are the titles
of its factors and action items, which read better in a diff than numbers that move.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from kintsugi.core.history.sections import SECTIONS, Snapshot
from kintsugi.five_whys.models import WhyNode
from kintsugi.postmortems.models import ActionItem, Evidence, Factor, Incident, Lesson

SUMMARY_FIELDS = (
    "title",
    "severity",
    "started_at",
    "ended_at",
    "regions",
    "summary",
    "impact",
    "trigger",
    "detection",
    "resolution",
    "appendix",
)
ACTION_FIELDS = (
    "title",
    "description",
    "priority",
    "ticket_id",
    "ticket_url",
    "due_on",
    "due_reason",
    "status",
    "status_reason",
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def summary(incident: Incident) -> dict[str, Any]:
    return {name: _plain(getattr(incident, name)) for name in SUMMARY_FIELDS}


def timeline(incident: Incident) -> list[dict[str, Any]]:
    rows = incident.events.order_by("occurred_at", "id").values_list(
        "id", "occurred_at", "kind", "text", "author__username", "author_name", "evidence_url"
    )
    return [
        {
            "id": pk,
            "at": at.isoformat(),
            "kind": kind,
            "text": text,
            "author": username or name,
            "evidence_url": url,
        }
        for pk, at, kind, text, username, name, url in rows
    ]


def factors(incident: Incident) -> list[dict[str, Any]]:
    links: dict[int, list[dict[str, str]]] = {}
    evidence = Evidence.objects.filter(factor__incident=incident).order_by("id")
    for factor_id, kind, url, label in evidence.values_list("factor_id", "kind", "url", "label"):
        links.setdefault(factor_id, []).append({"kind": kind, "url": url, "label": label})
    rows = Factor.objects.filter(incident=incident).order_by("position", "id")
    return [
        {"id": pk, "title": title, "description": description, "evidence": links.get(pk, [])}
        for pk, title, description in rows.values_list("id", "title", "description")
    ]


def lessons(incident: Incident) -> list[dict[str, Any]]:
    rows = Lesson.objects.filter(incident=incident).order_by("kind", "position", "id")
    return [
        {"id": pk, "kind": kind, "text": text}
        for pk, kind, text in rows.values_list("id", "kind", "text")
    ]


def actions(incident: Incident) -> list[dict[str, Any]]:
    rows = ActionItem.objects.filter(incident=incident).order_by("id")
    values = rows.values("id", "owner__username", "owner_name", *ACTION_FIELDS)
    return [
        {
            "id": row["id"],
            **{name: _plain(row[name]) for name in ACTION_FIELDS},
            "owner": row["owner__username"] or row["owner_name"],
        }
        for row in values
    ]


def whys(incident: Incident) -> list[dict[str, Any]]:
    nodes = WhyNode.objects.filter(incident=incident).order_by("position", "id")
    factor_links = WhyNode.factors.through.objects.filter(whynode__incident=incident)
    action_links = WhyNode.action_items.through.objects.filter(whynode__incident=incident)
    linked_factors: dict[int, list[str]] = {}
    for node_id, title in factor_links.order_by("factor_id").values_list(
        "whynode_id", "factor__title"
    ):
        linked_factors.setdefault(node_id, []).append(title)
    linked_actions: dict[int, list[str]] = {}
    for node_id, title in action_links.order_by("actionitem_id").values_list(
        "whynode_id", "actionitem__title"
    ):
        linked_actions.setdefault(node_id, []).append(title)
    fields = ("id", "parent_id", "position", "question", "answer", "starts_branch")
    fields += ("branch_title", "trigger", "is_root_cause", "evidence")
    return [
        {
            "id": row["id"],
            "parent": row["parent_id"],
            "position": row["position"],
            "question": row["question"],
            "answer": row["answer"],
            "starts_branch": row["starts_branch"],
            "branch_title": row["branch_title"],
            "trigger": row["trigger"],
            "is_root_cause": row["is_root_cause"],
            "evidence": row["evidence"],
            "factors": linked_factors.get(row["id"], []),
            "actions": linked_actions.get(row["id"], []),
        }
        for row in nodes.values(*fields)
    ]


READERS = {
    "summary": summary,
    "timeline": timeline,
    "factors": factors,
    "whys": whys,
    "lessons": lessons,
    "actions": actions,
}
assert set(READERS) == set(SECTIONS)


def section_now(incident: Incident, section: str) -> Snapshot:
    return READERS[section](incident)


def all_sections(incident: Incident) -> dict[str, Snapshot]:
    return {key: read(incident) for key, read in READERS.items()}
