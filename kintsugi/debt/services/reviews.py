"""Marking an item as reviewed in the weekly meeting, with a note the next agenda shows."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from kintsugi.accounts.models import User
from kintsugi.core.debt.items import review_note
from kintsugi.core.debt.weeks import IsoWeek
from kintsugi.debt.models import ReviewMark
from kintsugi.postmortems.models import ActionItem
from kintsugi.postmortems.services.guards import require_edit


@transaction.atomic
def review_mark_add(
    *, user: User, item: ActionItem, note: str | None, week: IsoWeek, now: datetime
) -> ReviewMark:
    """Record that ``item`` was discussed; editors of its incident may do so."""
    require_edit(user, item.incident)
    mark = review_note(reviewed_at=now, reviewer=user.username, note=note)
    return ReviewMark.objects.create(
        action_item=item,
        reviewer=user,
        reviewer_name=mark.reviewer,
        reviewed_at=mark.reviewed_at,
        week=str(week),
        note=mark.note,
    )
