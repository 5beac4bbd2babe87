"""The weekly review page shows the first entries of each section and says how many it left
out; its old address (``/debt/review/``, before issue 15) still leads to it."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import unquote, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kintsugi.debt.models import ReviewMark, TallyState


def _overdue(make_item, teammate, count: int) -> None:
    for n in range(count):
        make_item(f"Overdue {n:02}", owner=teammate, due_on=date(2026, 10, 1) + timedelta(days=n))


def test_it_shows_25_entries_per_section_and_links_to_the_rest(clock, make_item, teammate, login):
    _overdue(make_item, teammate, 30)
    page = login(teammate).get("/debt/weekly-review/?week=2026-W48").content.decode()
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
    page = client.get("/debt/weekly-review/?week=2026-W48&section=overdue").content.decode()
    assert page.count('data-testid="agenda-entry"') == 30
    assert "Entries 1 to 30 of 30." in page and "…and" not in page
    assert 'data-testid="section-at_risk"' not in page
    assert 'data-testid="review-back"' in page
    second = client.get(
        "/debt/weekly-review/?week=2026-W48&section=overdue&page=2"
    ).content.decode()
    assert second.count('data-testid="agenda-entry"') == 0
    # An unknown section or page shows the whole agenda rather than an error.
    whole = client.get("/debt/weekly-review/?week=2026-W48&section=nope&page=x").content.decode()
    assert whole.count('data-testid="agenda-entry"') == 25


@pytest.mark.parametrize(
    ("who", "url", "queries"),
    [
        # This week: the sizes from the tally (the teams, their states, the incidents
        # logged since the worker's pass, the rows) instead of a counting statement; one
        # statement picks (index ranges).
        ("admin_user", "/debt/weekly-review/?week=2026-W48", 13),
        ("teammate", "/debt/weekly-review/?week=2026-W48", 13),
        ("admin_user", "/debt/weekly-review/?week=2026-W48&section=overdue", 13),
        ("admin_user", "/debt/weekly-review/?week=2026-W48&team=platform", 13),
        # Another week: one statement counts, one picks.
        ("admin_user", "/debt/weekly-review/?week=2026-W47", 10),
        # One team, another week: one statement ranks and counts.
        ("admin_user", "/debt/weekly-review/?week=2026-W47&team=platform", 10),
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


# --- The old address ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["", "week=2026-W48", "week=2026-W48&team=platform&format=md", "section=overdue&page=2"],
)
def test_the_old_address_redirects_permanently_with_its_query(clock, login, teammate, query):
    suffix = f"?{query}" if query else ""
    response = login(teammate).get(f"/debt/review/{suffix}")
    assert response.status_code == 301
    assert response["Location"] == f"/debt/weekly-review/{suffix}"


def test_the_old_address_shows_what_the_new_one_shows(clock, make_item, teammate, login):
    make_item("Cap the pool", owner=teammate, due_on=date(2026, 11, 20))
    client = login(teammate)
    for fmt in ("md", "json", "txt"):
        old = client.get(f"/debt/review/?week=2026-W48&format={fmt}", follow=True)
        new = client.get(f"/debt/weekly-review/?week=2026-W48&format={fmt}")
        assert old.redirect_chain == [(f"/debt/weekly-review/?week=2026-W48&format={fmt}", 301)]
        assert old.content == new.content and b"Cap the pool" in new.content


def test_the_old_address_asks_a_stranger_to_sign_in(db):
    response = Client().get("/debt/review/?week=2026-W48")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("login")


@pytest.mark.parametrize(
    "query",
    [
        "next=//evil.example/&week=2026-W48",  # never leaves the site
        "week=%0d%0aSet-Cookie:%20x=1",  # encoded line breaks stay encoded
        "week=<script>alert(1)</script>",
        "week=2026-W48&team=" + "x" * 5000,  # oversized: redirected, then refused by the page
    ],
)
def test_the_old_address_keeps_a_hostile_query_on_the_page(clock, login, teammate, query):
    client = login(teammate)
    response = client.get(f"/debt/review/?{query}")
    assert response.status_code == 301
    location = response["Location"]
    assert unquote(location) == unquote(f"/debt/weekly-review/?{query}")  # "<" is sent as %3C
    assert "\r" not in location and "\n" not in location and "x" not in response.cookies
    landed = client.get(location)
    # What the new address answers: the page (a bad week explained), or 404 for no such team.
    assert landed.status_code == (404 if "team=" in query else 200)
    assert b"<script>alert(1)" not in landed.content


def test_marks_posted_to_the_old_address_are_recorded(clock, make_item, teammate, login):
    item = make_item("Cap the pool", owner=teammate, due_on=date(2026, 11, 20))
    client = login(teammate)
    answer = client.post(
        f"/debt/review/items/{item.pk}/reviewed/",
        {"note": "waiting for the vendor", "week": "2026-W48"},
        HTTP_HX_REQUEST="true",
    )
    assert answer.status_code == 200
    assert "Reviewed 2026-11-25 by bob: waiting for the vendor" in answer.content.decode()
    plain = client.post(f"/debt/review/items/{item.pk}/reviewed/", {"week": "2026-W48"})
    assert plain.status_code == 302
    assert plain["Location"] == f"/debt/weekly-review/?week=2026-W48#item-{item.pk}"
    assert ReviewMark.objects.filter(action_item=item).count() == 2
    too_long = client.post(
        f"/debt/review/items/{item.pk}/reviewed/", {"note": "x" * 2001}, HTTP_HX_REQUEST="true"
    )
    assert too_long.status_code == 422
    assert ReviewMark.objects.filter(action_item=item).count() == 2


def test_the_debt_menu_links_the_new_address(clock, login, teammate):
    page = login(teammate).get("/debt/").content.decode()
    assert '<a href="/debt/weekly-review/">Weekly review</a>' in page
    current = login(teammate).get("/debt/weekly-review/").content.decode()
    assert '<a href="/debt/weekly-review/" aria-current="page">Weekly review</a>' in current
