"""Action item <-> ticket: what a new ticket says, and who wins when both sides changed.

The conflict rule (docs/integrations.md, "Trackers"): each synced field (title, status,
target date) is compared with the snapshot last agreed with the tracker. A field changed on
one side only goes to the other side. A field changed on both sides to different values
takes the tracker's value, because the work happens there, and the conflict is recorded on
the link and shown beside the item. The assignee follows the same rule (``owners.py``): an
account that maps to a user becomes the owner, one that does not is shown; an owner changed
in Kintsugi becomes the assignee where the tracker knows them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from kintsugi.core.trackers.model import Draft, Ticket
from kintsugi.core.vocabulary import ActionStatus

# The hidden line that makes a created ticket findable again after a lost answer (a
# timeout after the tracker created it): the idempotency key in the body.
MARKER = "<!-- kintsugi:{key} -->"
LABEL = "kintsugi"
MAX_TITLE = 250
MAX_BODY = 60_000


@dataclass(frozen=True)
class Side:
    """The synced fields of one side, in the same terms on both."""

    title: str
    closed: bool
    not_planned: bool = False
    due_on: date | None = None

    @classmethod
    def of_ticket(cls, ticket: Ticket) -> Side:
        return cls(ticket.title, ticket.closed, ticket.not_planned and ticket.closed, ticket.due_on)

    @classmethod
    def of_snapshot(cls, snapshot: dict[str, Any]) -> Side:
        due = snapshot.get("due_on")
        return cls(
            title=str(snapshot.get("title", "")),
            closed=bool(snapshot.get("closed")),
            not_planned=bool(snapshot.get("not_planned")) and bool(snapshot.get("closed")),
            due_on=date.fromisoformat(due) if isinstance(due, str) and due else None,
        )

    @classmethod
    def of_item(cls, title: str, status: str, due_on: date | None) -> Side:
        state = ActionStatus(status)
        return cls(title, state.is_closed, state == ActionStatus.WONT_DO, due_on)


@dataclass
class Reconciliation:
    """What to write where after comparing both sides with the last agreed snapshot."""

    to_item: dict[str, Any] = field(default_factory=dict)
    to_tracker: dict[str, Any] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)


_FIELDS = {"title": ("title",), "status": ("closed", "not_planned"), "due_on": ("due_on",)}


def _value(side: Side, name: str) -> tuple[object, ...]:
    return tuple(getattr(side, part) for part in _FIELDS[name])


def reconcile(*, snapshot: Side | None, item: Side, remote: Side) -> Reconciliation:
    """Three-way merge per field; with no snapshot (a first link) the tracker wins."""
    result = Reconciliation()
    for name in _FIELDS:
        mine, theirs = _value(item, name), _value(remote, name)
        if mine == theirs:
            continue
        base = _value(snapshot, name) if snapshot is not None else None
        if base == theirs:  # only Kintsugi changed it
            result.to_tracker[name] = _field(item, name)
            continue
        if base is not None and base != mine:
            result.conflicts.append(
                f"{name.replace('_on', ' date').replace('_', ' ')} changed on both sides; "
                f"the tracker's value was kept"
            )
        result.to_item[name] = _field(remote, name)
    return result


def _field(side: Side, name: str) -> object:
    if name == "status":
        if not side.closed:
            return ActionStatus.OPEN.value
        return (ActionStatus.WONT_DO if side.not_planned else ActionStatus.DONE).value
    return getattr(side, name)


def status_from_remote(remote_status: str, current: str) -> str:
    """Keep "in progress" while the ticket stays open: the tracker has no such state."""
    if remote_status == ActionStatus.OPEN and current == ActionStatus.IN_PROGRESS:
        return current
    return remote_status


def draft_for_item(
    *,
    key: str,
    title: str,
    description: str,
    priority: str,
    status: str,
    due_on: date | None,
    postmortem_title: str,
    postmortem_url: str,
) -> Draft:
    """A new ticket: the item's words, a link back, its priority and target date.

    GitHub issues have no due date field, so the date is written in the body too; the
    priority becomes a label (``priority:P1``) beside ``kintsugi``.
    """
    lines = [description.strip()] if description.strip() else []
    lines.append(f"Action item from the post-mortem [{postmortem_title}]({postmortem_url}).")
    lines.append(
        f"Priority: {priority}" + (f" · Target date: {due_on.isoformat()}" if due_on else "")
    )
    lines.append(MARKER.format(key=key))
    body = "\n\n".join(lines)
    if len(body) > MAX_BODY:
        body = description[: MAX_BODY - 1000] + "\n\n…\n\n" + "\n\n".join(lines[1:])
    side = Side.of_item(title, status, due_on)
    return Draft(
        title=title[:MAX_TITLE],
        body=body,
        labels=(LABEL, f"priority:{priority}"),
        due_on=due_on,
        closed=side.closed or None,
        not_planned=side.not_planned,
    )


def draft_for_changes(changes: dict[str, Any], current: Ticket) -> Draft:
    """A change to send: only the fields in ``changes`` differ from the ticket."""
    status = changes.get("status")
    closed = None if status is None else ActionStatus(status).is_closed
    base = Draft(title=current.title, due_on=current.due_on)
    return replace(
        base,
        title=str(changes.get("title", current.title))[:MAX_TITLE],
        due_on=changes.get("due_on", current.due_on),
        closed=closed,
        not_planned=status == ActionStatus.WONT_DO,
    )
