"""The review page shows the first entries of each section and says how many it left out."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kintsugi.debt.models import TallyState


def _overdue(make_item, teammate, count: int) -> None:
    for n in range(count):
        make_item(f"Overdue {n:02}", owner=teammate, due_on=date(2026, 10, 1) + timedelta(days=n))


def test_it_shows_25_entries_per_section_and_links_to_the_rest(clock, make_item, teammate, login):
    _overdue(make_item, teammate, 30)
    page = login(teammate).get("/debt/review/?week=2026-W48").content.decode()
    overdue = page.split('data-testid="section-overdue"')[1].split("</section>")[0]
    assert overdue.count('data-testid="agenda-entry"') == 25
    assert "Overdue (30)" in overdue
    assert "Overdue 24" in overdue and "Overdue 25" not in overdue
    assert "…and 5 more" in overdue  # printed too: the link text is not all it says
    assert 'href="?week=2026-W48&section=overdue">show all 30</a>' in overdue
    assert "30 overdue" in page


def test_one_section_shows_every_entry_page_by_page(clock, make_item, teammate, login):
    _overdue(make_item, teammate, 30)
    client = login(teammate)
    page = client.get("/debt/review/?week=2026-W48&section=overdue").content.decode()
    assert page.count('data-testid="agenda-entry"') == 30
    assert "Entries 1 to 30 of 30." in page and "…and" not in page
    assert 'data-testid="section-at_risk"' not in page
    assert 'data-testid="review-back"' in page
    second = client.get("/debt/review/?week=2026-W48&section=overdue&page=2").content.decode()
    assert second.count('data-testid="agenda-entry"') == 0
    # An unknown section or page shows the whole agenda rather than an error.
    whole = client.get("/debt/review/?week=2026-W48&section=nope&page=x").content.decode()
    assert whole.count('data-testid="agenda-entry"') == 25


@pytest.mark.parametrize(
    ("who", "url", "queries"),
    [
        # This week: the sizes from the tally (the teams, their states, the incidents
        # logged since the worker's pass, the rows) instead of a counting statement; one
        # statement picks (index ranges).
        ("admin_user", "/debt/review/?week=2026-W48", 13),
        ("teammate", "/debt/review/?week=2026-W48", 13),
        ("admin_user", "/debt/review/?week=2026-W48&section=overdue", 13),
        ("admin_user", "/debt/review/?week=2026-W48&team=platform", 13),
        # Another week: one statement counts, one picks.
        ("admin_user", "/debt/review/?week=2026-W47", 10),
        # One team, another week: one statement ranks and counts.
        ("admin_user", "/debt/review/?week=2026-W47&team=platform", 10),
    ],
)
def test_it_uses_the_same_few_queries_for_any_number_of_items(
    clock, make_item, teammate, login, request, who, url, queries
):
    client = login(request.getfixturevalue(who))
    _overdue(make_item, teammate, 3)
    live = _queries(client, url)  # before the worker's first pass: counted live
    _worker_pass()
    assert _queries(client, url) == queries
    _overdue(make_item, teammate, 3)
    written = _queries(client, url)  # the incidents written since are added
    _worker_pass()
    _overdue(make_item, teammate, 130)
    assert _queries(client, url) == written
    _worker_pass()
    assert _queries(client, url) == queries
    TallyState.objects.update(computed_for=None)  # as before the first pass of a day
    assert _queries(client, url) == live


def _worker_pass() -> None:
    from kintsugi.debt.selectors.policy import policy_book
    from kintsugi.debt.tally.compute import refresh_all
    from tests.debt.conftest import NOW

    refresh_all(today=NOW.date(), book=policy_book(), now=NOW)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)
