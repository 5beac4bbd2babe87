"""The debt box of one post-mortem: its items as the page loaded them, and recurrence."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kintsugi.debt.selectors.policy import policy_book
from kintsugi.debt.selectors.postmortem import RECURRENCE_LIMIT, postmortem_debt, recurrence
from kintsugi.teams.models import Service
from tests.debt.conftest import TODAY


def _debt(incident, **kwargs):
    return postmortem_debt(incident=incident, today=TODAY, book=policy_book(), **kwargs)


def _recurrence(user, incident):
    return recurrence(user, incident, TODAY, policy_book())


def _titles(rows):
    return [row.item.title for row in rows]


def test_recurrence_lists_open_items_of_earlier_incidents_on_the_same_services(
    clock, make_incident, make_item, teammate, outsider, team, service
):
    other = Service.objects.create(name="Billing", slug="billing", team=team)
    earlier = make_incident("Earlier", date(2026, 10, 1), services_=[service, other])
    make_item("Due later", incident=earlier, due_on=date(2026, 12, 20))
    make_item("Due first", incident=earlier, due_on=date(2026, 10, 15))
    make_item("Closed", incident=earlier, status="done", closed=date(2026, 10, 20))
    hidden = make_incident("Hidden", date(2026, 9, 1), services_=[service], restricted=True)
    make_item("Restricted", incident=hidden, due_on=date(2026, 10, 1))
    elsewhere = make_incident("Elsewhere", date(2026, 9, 1), services_=[other])
    make_item("Other service", incident=elsewhere)
    now = make_incident("Now", date(2026, 11, 2), services_=[service])
    later = make_incident("Later", date(2026, 11, 20), services_=[service])
    make_item("After this one", incident=later)

    seen_by_team = _recurrence(teammate, now)
    assert _titles(seen_by_team.rows) == ["Restricted", "Due first", "Due later"]
    assert not seen_by_team.more
    assert seen_by_team.rows[0].item.incident.title == "Hidden"
    # Someone who may not see the restricted incident does not learn of its items.
    assert _titles(_recurrence(outsider, now).rows) == ["Due first", "Due later"]


def test_recurrence_is_one_query_and_says_when_there_are_more(
    clock, make_incident, make_item, teammate, service
):
    earlier = make_incident("Earlier", date(2026, 10, 1), services_=[service])
    for n in range(RECURRENCE_LIMIT + 2):
        make_item(f"Open {n}", incident=earlier, due_on=date(2026, 10, 1) + timedelta(days=n))
    now = make_incident("Now", date(2026, 11, 2), services_=[service])
    book = policy_book()
    with CaptureQueriesContext(connection) as captured:
        found = recurrence(teammate, now, TODAY, book)
    assert len(captured) == 1
    assert _titles(found.rows) == [f"Open {n}" for n in range(RECURRENCE_LIMIT)]
    assert found.more


def test_the_items_the_page_loaded_give_the_same_box_without_a_query(
    clock, make_incident, make_item, teammate
):
    now = make_incident("Now", date(2026, 11, 2))
    make_item("Late P2", incident=now, priority="P2", due_on=date(2026, 11, 10))
    make_item("Late P1", incident=now, priority="P1", due_on=date(2026, 11, 20))
    make_item("At risk", incident=now, priority="P1", due_on=date(2026, 11, 27))
    make_item("No date", incident=now, priority="P0", due_on=None)
    make_item("Done", incident=now, status="done", closed=date(2026, 11, 5))
    read = _debt(now)
    loaded = list(reversed(now.action_items.select_related("owner", "factor")))  # any order
    book = policy_book()
    with CaptureQueriesContext(connection) as captured:
        passed = postmortem_debt(incident=now, today=TODAY, book=book, items=loaded)
    assert len(captured) == 0
    assert _titles(read.overdue) == _titles(passed.overdue) == ["Late P1", "Late P2"]
    assert _titles(passed.at_risk) == ["At risk"]
    assert (passed.total, passed.closed, passed.completion_percent) == (5, 1, 20)
    assert (read.total, read.closed) == (5, 1)
