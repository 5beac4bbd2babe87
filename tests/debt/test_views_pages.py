"""The dashboard, review, sprint pages and the post-mortem fragment: content and query counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kintsugi.debt.models import ReviewMark, TallyState, TeamDebtSettings
from kintsugi.postmortems.models import ActionItem

HOSTILE = "<img src=x onerror=alert(1)> *bold* [x](javascript:alert(2))"


def _fill(make_item, teammate, count: int) -> None:
    for n in range(count):
        make_item(
            f"Item {n}",
            owner=teammate if n % 2 else None,
            due_on=date(2026, 11, 10) + timedelta(days=n % 30),
            created=date(2026, 11, 3) + timedelta(days=n % 20),
        )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        "/debt/",
        "/debt/?team=platform&severity=SEV2",
        "/debt/weekly-review/?week=2026-W48",
        "/debt/items/?state=overdue",
    ],
)
def test_it_uses_a_constant_number_of_queries(clock, make_item, teammate, login, url):
    client = login(teammate)
    _fill(make_item, teammate, 3)
    live_few = _queries(client, url)  # before the worker's first pass: the live aggregate
    _worker_pass()
    few = _queries(client, url)
    _fill(make_item, teammate, 3)
    written = _queries(client, url)  # the tally plus the incidents written since
    _worker_pass()
    _fill(make_item, teammate, 40)
    assert _queries(client, url) == written
    _worker_pass()
    assert _queries(client, url) == few
    TallyState.objects.update(computed_for=None)  # as before the first pass of a day
    assert _queries(client, url) == live_few


def _worker_pass() -> None:
    from kintsugi.debt.selectors.policy import policy_book
    from kintsugi.debt.tally.compute import refresh_all
    from tests.debt.conftest import NOW

    refresh_all(today=NOW.date(), book=policy_book(), now=NOW)


def test_the_dashboard_links_every_number_to_its_items(clock, make_item, teammate, login):
    _fill(make_item, teammate, 6)
    body = login(teammate).get("/debt/").content.decode()
    assert 'href="/debt/items/?state=overdue"' in body
    assert 'href="/debt/items/?team=platform&amp;state=overdue"' in body
    assert "<svg" in body and "Open and overdue items per week" in body
    items = login(teammate).get("/debt/items/?team=platform&state=overdue").content.decode()
    assert (
        items.count('data-testid="item-row"')
        == ActionItem.objects.filter(due_on__lt=date(2026, 11, 25)).count()
    )


def test_a_review_note_shows_on_the_next_agenda_escaped(clock, make_item, teammate, login):
    item = make_item("Cap the pool", owner=teammate, due_on=date(2026, 11, 20))
    client = login(teammate)
    response = client.post(
        f"/debt/weekly-review/items/{item.pk}/reviewed/",
        {"note": HOSTILE, "week": "2026-W48"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "<img" not in response.content.decode()
    assert "Reviewed 2026-11-25 by bob: &lt;img src=x" in response.content.decode()
    assert ReviewMark.objects.get().week == "2026-W48"
    clock.advance(timedelta(days=7))
    page = client.get("/debt/weekly-review/?week=2026-W49").content.decode()
    assert "Reviewed 2026-11-25 by bob: &lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img src=x" not in page
    markdown = client.get("/debt/weekly-review/?week=2026-W49&format=md").content.decode()
    assert "\\<img src=x onerror=alert(1)\\> \\*bold\\* \\[x\\](javascript:alert(2))" in markdown


def test_review_entries_are_escaped_and_only_editors_get_the_form(
    clock, make_item, teammate, viewer, login
):
    item = make_item(HOSTILE, owner=teammate, due_on=date(2026, 11, 20))
    page = login(teammate).get("/debt/weekly-review/?week=2026-W48").content.decode()
    entry = page.split(f'id="item-{item.pk}"', 1)[1].split("</li>", 1)[0]
    assert "&lt;img src=x onerror=alert(1)&gt; *bold* [x](javascript:alert(2))" in entry
    assert "<img" not in entry
    assert f'href="/incidents/{item.incident_id}/#action-{item.pk}"' in entry
    assert f'hx-post="/debt/weekly-review/items/{item.pk}/reviewed/"' in entry
    assert 'name="week" value="2026-W48"' in entry and 'name="csrfmiddlewaretoken"' in entry
    seen_by_viewer = login(viewer).get("/debt/weekly-review/?week=2026-W48").content.decode()
    assert f'id="item-{item.pk}"' in seen_by_viewer
    assert 'data-testid="review-form"' not in seen_by_viewer


def test_it_refuses_a_note_that_is_too_long(clock, make_item, teammate, login):
    item = make_item("Cap the pool", owner=teammate)
    response = login(teammate).post(
        f"/debt/weekly-review/items/{item.pk}/reviewed/",
        {"note": "x" * 2001},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422 and "limit is 2,000" in response.content.decode()
    assert not ReviewMark.objects.exists()


def test_a_malformed_week_is_explained(clock, login, teammate):
    page = login(teammate).get("/debt/weekly-review/?week=2026-48").content.decode()
    assert "&#x27;2026-48&#x27; is not an ISO week" in page
    response = login(teammate).get("/debt/weekly-review/?week=2026-W54&format=md")
    assert response.status_code == 400 and "2026 has no week 54" in response.content.decode()
    assert login(teammate).get("/debt/weekly-review/?team=nope").status_code == 404


def test_the_sprint_page_compares_reserved_planned_and_done(
    clock, make_item, teammate, login, team
):
    TeamDebtSettings.objects.create(
        team=team,
        sprint_start_on=date(2026, 1, 5),
        sprint_length_days=14,
        sprint_capacity=40,
        reserved_percent=20,
    )
    # Sprint 24 runs 2026-11-23 to 2026-12-06.
    make_item("Planned", owner=teammate, planned_sprint=24, estimate=3, priority="P2")
    make_item("Overdue P1", owner=teammate, due_on=date(2026, 11, 20))
    body = login(teammate).get("/debt/sprints/?team=platform").content.decode()
    assert "Sprint 24 (2026-11-23 to 2026-12-06)" in body
    assert 'data-testid="sprint-reserved">8 ' in body and 'data-testid="sprint-planned">3 ' in body
    assert 'data-kind="reserve_unused"' in body
    assert "<svg" in body


def test_the_sprint_page_explains_missing_settings(clock, login, teammate, admin_user):
    body = login(teammate).get("/debt/sprints/?team=platform").content.decode()
    assert "has not set its sprint cadence and capacity" in body
    assert 'data-testid="sprint-settings-link"' not in body  # not a lead: nothing to set
    body = login(admin_user).get("/debt/sprints/?team=platform").content.decode()
    assert 'href="/debt/teams/platform/settings/" data-testid="sprint-settings-link"' in body


def test_the_sprint_page_opens_on_the_person_s_own_team(clock, login, teammate, team):
    from kintsugi.teams.models import Membership, Team

    aardvark = Team.objects.create(name="Aardvark", slug="aardvark")  # first, not theirs
    body = login(teammate).get("/debt/sprints/").content.decode()
    assert "<h1>Sprint budget: Platform</h1>" in body
    # Of their teams, the one that has set its sprints comes first.
    data = Team.objects.create(name="Data", slug="data")
    Membership.objects.create(team=aardvark, user=teammate)
    Membership.objects.create(team=data, user=teammate)
    TeamDebtSettings.objects.create(team=data, sprint_start_on=date(2026, 1, 5))
    body = login(teammate).get("/debt/sprints/").content.decode()
    assert "<h1>Sprint budget: Data</h1>" in body


def test_the_postmortem_fragment_shows_completion_and_overdue_and_loads_recurrence(
    clock, make_incident, make_item, teammate, rf, service
):
    now = make_incident("Now", date(2026, 11, 2), services_=[service])
    make_item("Late", incident=now, owner=teammate, due_on=date(2026, 11, 16))
    make_item("Done", incident=now, owner=teammate, status="done", closed=date(2026, 11, 5))
    request = rf.get("/")
    request.user = teammate
    html = Template("{% load debt %}{% postmortem_debt incident %}").render(
        Context({"incident": now, "request": request})
    )
    assert "1 of 2 action items closed (50 %)" in html
    assert "1 overdue:" in html and "Late" in html and "9 days over" in html
    assert "P1 14 days (organisation default)" in html
    # Recurrence looks across other incidents: the box fetches it once shown.
    assert f'hx-get="/debt/incidents/{now.pk}/recurrence/" hx-trigger="load"' in html


def _earlier_and_now(make_incident, make_item, teammate, service, title=HOSTILE):
    earlier = make_incident("Earlier outage", date(2026, 10, 1), services_=[service])
    make_item(title, incident=earlier, owner=teammate, due_on=date(2026, 10, 15))
    hidden = make_incident("Leaked key", date(2026, 9, 1), services_=[service], restricted=True)
    make_item("Rotate the key", incident=hidden, due_on=date(2026, 10, 1))
    return make_incident("Now", date(2026, 11, 2), services_=[service])


def test_recurrence_lists_open_items_of_earlier_incidents_escaped(
    clock, make_incident, make_item, teammate, outsider, login, service
):
    now = _earlier_and_now(make_incident, make_item, teammate, service)
    url = f"/debt/incidents/{now.pk}/recurrence/"
    response = login(teammate).get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Still open from earlier incidents on the same services" in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body and "<img src=x" not in body
    assert "Earlier outage" in body and "41 d over" in body
    assert "Rotate the key" in body  # restricted, and the team's member may see it
    assert "HX-Request" in response["Vary"]
    # Someone outside the team does not learn of the restricted incident's items.
    assert "Rotate the key" not in login(outsider).get(url, HTTP_HX_REQUEST="true").content.decode()


def test_recurrence_without_javascript_is_a_page_and_says_when_there_is_none(
    clock, make_incident, teammate, login
):
    alone = make_incident("Alone", date(2026, 11, 2))
    url = f"/debt/incidents/{alone.pk}/recurrence/"
    assert login(teammate).get(url, HTTP_HX_REQUEST="true").content.decode().strip() == ""
    page = login(teammate).get(url).content.decode()
    assert "<html" in page and "No open action items from earlier incidents" in page
    assert f'href="/incidents/{alone.pk}/"' in page  # back to the post-mortem


def test_recurrence_refuses_what_it_must(clock, make_incident, login, outsider, teammate):
    hidden = make_incident("Leaked key", date(2026, 11, 2), restricted=True)
    url = f"/debt/incidents/{hidden.pk}/recurrence/"
    assert login(outsider).get(url).status_code == 404  # its existence is not revealed
    assert login(teammate).get(url).status_code == 200
    assert login(teammate).get("/debt/incidents/999999/recurrence/").status_code == 404
    assert login(teammate).get("/debt/incidents/12abc/recurrence/").status_code == 404
    assert login(teammate).get(f"/debt/incidents/{'9' * 400}/recurrence/").status_code == 404
    assert login(teammate).post(url).status_code == 405
    response = Client().get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_recurrence_uses_a_constant_number_of_queries(
    clock, make_incident, make_item, teammate, login, service
):
    now = _earlier_and_now(make_incident, make_item, teammate, service, title="First")
    client = login(teammate)
    url = f"/debt/incidents/{now.pk}/recurrence/"
    few = _queries(client, url)
    for n in range(30):
        earlier = make_incident(f"Earlier {n}", date(2026, 10, 2), services_=[service])
        make_item(f"Open {n}", incident=earlier, due_on=date(2026, 10, 20))
    assert _queries(client, url) == few


def test_the_action_policy_tag_shows_the_policy_and_the_exception(clock, make_item, teammate):
    item = make_item("Cap", owner=teammate, due_on=date(2026, 11, 30), due_reason="Vendor patch")
    ActionItem.objects.filter(pk=item.pk).update(due_reason="Vendor patch")
    item.refresh_from_db()
    html = Template("{% load debt %}{% action_policy item %}").render(Context({"item": item}))
    assert "Policy: 14 days (organisation default), by 2026-11-16" in html
    assert "later than the policy: Vendor patch" in html


def test_the_action_items_section_reads_the_policies_once_whatever_the_items(
    clock, make_incident, make_item, teammate, owner, login
):
    """The section alone (after a save, or "Cancel") shows ``{% action_policy %}`` on
    every row without the debt box above it: no query per item for its incident."""
    from django.urls import reverse

    incident = make_incident("Pool exhausted", date(2026, 11, 2))
    make_item("First", incident=incident, owner=teammate, due_on=date(2026, 11, 10))
    client = login(owner)
    url = reverse("action-items", args=[incident.pk])

    def section_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert response.content.decode().count('data-testid="action-policy"') == (
            ActionItem.objects.filter(incident=incident).count()
        )
        return len(captured)

    few = section_queries()
    for n in range(10):
        make_item(f"More {n}", incident=incident, due_on=date(2026, 11, 10) + timedelta(days=n))
    assert section_queries() == few


# ``/debt/`` from the tally: the session and user, the policies, the tally's state, the
# log (with the logged incidents' facts), the stored rows, the labels of the breakdowns
# (one statement for teams, owners and services; one each until December 2026), the oldest
# items and the filter menus. Right after an edit (before the worker's next
# pass; the bench's "dashboard right after an edit") no more, whatever the number of
# edits: the one statement that reads the log also reads the written incidents' facts as
# stored and as they are now, which of them the reader may not see, and the version that
# tells whether a pass landed meanwhile (five more statements until issue 15's leftovers).
DASHBOARD_QUERIES = 12
AFTER_AN_EDIT = DASHBOARD_QUERIES


@pytest.mark.parametrize("who", ["admin_user", "teammate"])
def test_the_dashboard_right_after_an_edit_reads_the_tally_in_fixed_queries(
    clock, make_item, teammate, login, request, who
):
    client = login(request.getfixturevalue(who))
    _fill(make_item, teammate, 6)
    _worker_pass()
    clean = _page_statements(client)
    edited_items = ActionItem.objects.order_by("pk")
    ActionItem.objects.filter(pk=edited_items[0].pk).update(due_on=date(2026, 12, 24))
    one_edit = _page_statements(client)
    _fill(make_item, teammate, 20)  # twenty more incidents written since the pass
    ActionItem.objects.filter(pk__in=edited_items.values("pk")[:10]).update(due_on=None)
    many_edits = _page_statements(client)
    assert len(clean) == DASHBOARD_QUERIES
    assert len(one_edit) == len(many_edits) == AFTER_AN_EDIT
    # Nothing counts the items: no statement groups the live action items (the live
    # aggregate would), and none writes.
    for sql in clean + many_edits:
        assert not ("postmortems_actionitem" in sql and "GROUP BY" in sql.upper()), sql
        assert not sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")), sql


def _page_statements(client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/debt/").status_code == 200
    return [query["sql"] for query in captured.captured_queries]
