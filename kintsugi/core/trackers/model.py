"""A ticket as Kintsugi sees it, whichever tracker holds it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Ticket:
    """The fields Kintsugi syncs, read from a tracker's answer or webhook.

    ``closed`` is the tracker's own word reduced to two states; ``not_planned`` marks a
    ticket closed as won't do (GitHub's ``state_reason``). ``assignee`` is the tracker's
    account name and ``assignee_email`` its email where the tracker tells it.
    """

    key: str
    url: str
    title: str
    closed: bool = False
    not_planned: bool = False
    assignee: str = ""
    assignee_email: str = ""
    due_on: date | None = None
    updated_at: str = ""
    closed_at: str = ""
    closed_by: str = ""
    labels: tuple[str, ...] = field(default_factory=tuple)

    def snapshot(self) -> dict[str, Any]:
        """The JSON kept on the link: what was last agreed with the tracker."""
        data = asdict(self)
        data["due_on"] = self.due_on.isoformat() if self.due_on else None
        data["labels"] = list(self.labels)
        return data


@dataclass(frozen=True)
class Draft:
    """What Kintsugi asks a tracker to create or change."""

    title: str
    body: str = ""
    labels: tuple[str, ...] = ()
    due_on: date | None = None
    closed: bool | None = None
    not_planned: bool = False
    # The tracker account to assign: None leaves the assignee alone, "" unassigns.
    assignee: str | None = None
