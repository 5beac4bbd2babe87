"""The agenda page (counts and first entries in SQL) agrees with the core's full agenda."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kintsugi.core.debt.weeks import IsoWeek
from kintsugi.debt.selectors.agenda import weekly_agenda, weekly_agenda_page
from kintsugi.debt.selectors.filters import visible_items
from kintsugi.debt.selectors.policy import policy_book
from kintsugi.teams.models import Team
from tests.debt.conftest import TODAY


@pytest.mark.parametrize("limit", [1, 3, 1000])
@pytest.mark.parametrize("weeks_back", [0, 1, 3])
@pytest.mark.parametrize("team_slug", [None, "data"])
def test_the_page_keeps_the_first_entries_and_counts_all(
    mixed,  # noqa: F811
    admin_user,
    limit,
    weeks_back,
    team_slug,
):
    week = IsoWeek.of(TODAY - timedelta(weeks=weeks_back))
    team = Team.objects.get(slug=team_slug) if team_slug else None
    items = visible_items(admin_user)
    full = weekly_agenda(items, week=week, today=TODAY, book=policy_book(), team=team)
    page = weekly_agenda_page(
        items, week=week, today=TODAY, book=policy_book(), team=team, limit=limit
    )
    assert page.summary == full.summary
    for cut, whole in zip(page.agenda.sections, full.sections, strict=True):
        assert cut.key == whole.key
        assert page.counts[cut.key] == len(whole.entries)
        assert [e.item.id for e in cut.entries] == [e.item.id for e in whole.entries[:limit]]
        assert [(e.age_days, e.days_over, e.state) for e in cut.entries] == [
            (e.age_days, e.days_over, e.state) for e in whole.entries[:limit]
        ]
