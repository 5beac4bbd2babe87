"""Which way an owner change travels: tracker assignee -> Kintsugi owner, or back.

Compared with what was last agreed (the link's snapshot keeps the tracker's ``assignee`` and
Kintsugi's ``owner_id``): an assignee changed in the tracker becomes the owner (when it maps
to a user; docs/integrations.md, "Owners"); an owner changed in Kintsugi becomes the
assignee. Changed on both sides, the tracker's assignee is kept, as for every other field,
and the conflict is said. A first link has nothing agreed: the tracker's assignee is read.
A snapshot from before owners were pushed has no ``owner_id``: nothing is pushed until one
is agreed, so an upgrade never reassigns tickets by itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

CONFLICT = "owner changed on both sides; the tracker's assignee was kept"


@dataclass(frozen=True)
class OwnerWay:
    to_item: bool
    to_tracker: bool
    conflict: str = ""


def owner_way(*, agreed: Mapping[str, Any] | None, owner_id: int | None, assignee: str) -> OwnerWay:
    if agreed is None:
        return OwnerWay(to_item=True, to_tracker=False)
    remote_changed = str(agreed.get("assignee") or "") != assignee
    local_changed = "owner_id" in agreed and agreed["owner_id"] != owner_id
    if remote_changed:
        return OwnerWay(to_item=True, to_tracker=False, conflict=CONFLICT if local_changed else "")
    return OwnerWay(to_item=False, to_tracker=local_changed)


def unmapped_note(username: str) -> str:
    """Shown on the row when Kintsugi's owner has no account in the tracker."""
    return (
        f"The owner {username} has no account in the tracker that Kintsugi can find (by email "
        "or in the mappings under Settings → Trackers); the ticket's assignee was left as it was"
    )
