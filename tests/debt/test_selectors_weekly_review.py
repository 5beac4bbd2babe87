"""The agenda page (counts and first entries in SQL) agrees with the core's full agenda."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from kintsugi.core.debt.weeks import IsoWeek
from kintsugi.debt.selectors.filters import visible_items
from kintsugi.debt.selectors.policy import policy_book
from kintsugi.debt.selectors.weekly_review import weekly_review, weekly_review_page
from kintsugi.postmortems.models import ActionItem
from kintsugi.teams.models import Team
from tests.debt.conftest import TODAY


@pytest.fixture
def agenda_data(mixed, make_item, teammate):
    """The shared data, plus items opened in this week and the last with nothing missing
    (the shared data has none), one of them closed since."""
    for days_ago in (1, 2, 3, 8, 9):
        make_item(
            f"Opened {days_ago} days ago",
            owner=teammate,
            ticket_id=f"OPS-{days_ago}",
            due_on=TODAY + timedelta(days=40),
            created=TODAY - timedelta(days=days_ago),
            **({"status": "done"} if days_ago == 9 else {}),
            closed=TODAY - timedelta(days=1) if days_ago == 9 else None,
        )
    # Created on the stroke of Monday midnight: the first instant of the week is in it.
    monday = make_item("Opened at midnight", owner=teammate, ticket_id="OPS-0", due_on=TODAY)
    ActionItem.objects.filter(pk=monday.pk).update(
        created_at=datetime.combine(IsoWeek.of(TODAY).monday, time(0), tzinfo=UTC)
    )


@pytest.mark.parametrize("limit", [1, 3, 1000])
@pytest.mark.parametrize("weeks_back", [0, 1, 3])
@pytest.mark.parametrize("team_slug", [None, "data"])
def test_the_page_keeps_the_first_entries_and_counts_all(
    agenda_data,
    admin_user,
    limit,
    weeks_back,
    team_slug,
):
    week = IsoWeek.of(TODAY - timedelta(weeks=weeks_back))
    team = Team.objects.get(slug=team_slug) if team_slug else None
    items = visible_items(admin_user)
    full = weekly_review(items, week=week, today=TODAY, book=policy_book(), team=team)
    page = weekly_review_page(
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


@pytest.mark.parametrize("who", ["admin_user", "outsider"])
@pytest.mark.parametrize("weeks_back", [0, 2])
def test_one_section_page_by_page_is_the_core_section_cut(agenda_data, request, who, weeks_back):
    user = request.getfixturevalue(who)
    week = IsoWeek.of(TODAY - timedelta(weeks=weeks_back))
    full = weekly_review(visible_items(user), week=week, today=TODAY, book=policy_book())
    for section in full.sections:
        for offset in (0, 1, 2, 5):
            page = weekly_review_page(
                visible_items(user),
                week=week,
                today=TODAY,
                book=policy_book(),
                limit=2,
                offset=offset,
                only=section.key,
            )
            assert page.summary == full.summary
            (cut, shown, after, total) = page.sections()[0]
            assert cut.key == section.key and total == len(section.entries)
            expected = [e.item.id for e in section.entries[offset : offset + 2]]
            assert [e.item.id for e in shown] == expected
            assert after == max(0, total - offset - 2)
            others = [s for s in page.agenda.sections if s.key != section.key]
            assert not any(s.entries for s in others)  # only the asked section is loaded


@pytest.mark.parametrize("who", ["admin_user", "outsider"])
@pytest.mark.parametrize("weeks_back", [0, 1, 3])
def test_both_ways_of_picking_agree_with_the_core(agenda_data, request, who, weeks_back):
    """Index ranges per section and one ranked pass, for everything and for what an
    outsider may see (restricted incidents left out)."""
    week = IsoWeek.of(TODAY - timedelta(weeks=weeks_back))
    items = visible_items(request.getfixturevalue(who))
    full = weekly_review(items, week=week, today=TODAY, book=policy_book())
    for by_parts in (True, False):
        page = weekly_review_page(
            items, week=week, today=TODAY, book=policy_book(), limit=2, by_parts=by_parts
        )
        assert page.summary == full.summary
        for cut, whole in zip(page.agenda.sections, full.sections, strict=True):
            assert page.counts[cut.key] == len(whole.entries)
            assert [e.item.id for e in cut.entries] == [e.item.id for e in whole.entries[:2]]
