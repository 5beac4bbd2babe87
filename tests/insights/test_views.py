"""The Insights page, its CSV downloads and the digest page: figures, access, bad input
and constant query counts."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from kintsugi.insights.models import FactLog
from tests.insights.conftest import fold

NOV = datetime(2026, 11, 3, 9, tzinfo=UTC)


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def _severity_row(client, month: str = "2026-11", **params) -> list[str]:
    response = client.get("/insights/csv/incidents-by-severity/", params)
    assert response.status_code == 200
    return next(row for row in _csv(response) if row[0] == month)


@pytest.mark.parametrize("folded", [True, False])
def test_it_counts_incidents_by_month_and_severity(build, viewer, login, folded):
    build(NOV, severity="SEV1")
    build(NOV + timedelta(days=1), severity="SEV3")
    build(NOV - timedelta(days=40), severity="SEV3")
    if folded:
        fold()
    client = login(viewer)
    page = client.get("/insights/")
    assert page.status_code == 200
    assert b'data-testid="chart-incidents-by-severity"' in page.content
    assert _severity_row(client) == ["2026-11", "1", "0", "1", "0", "2"]
    assert _severity_row(client, "2026-09") == ["2026-09", "0", "0", "1", "0", "1"]


def test_it_shows_response_time_percentiles(build, viewer, login):
    for minutes in (5, 10, 20, 40, 80):
        build(NOV, detect=minutes)
    fold()
    response = login(viewer).get("/insights/csv/time-to-detect/")
    row = next(r for r in _csv(response) if r[0] == "2026-11")
    assert row == ["2026-11", "5", "1200", "4800"]
    page = login(viewer).get("/insights/").content.decode()
    assert "20 min" in page and "1 h 20 min" in page


def test_restricted_incidents_count_only_for_those_who_may_see_them(
    build, login, outsider, teammate, admin_user
):
    build(NOV, severity="SEV1", restricted=True)
    build(NOV, severity="SEV2")
    fold()
    assert _severity_row(login(outsider))[1:] == ["0", "1", "0", "0", "1"]
    assert _severity_row(login(teammate))[1:] == ["1", "1", "0", "0", "2"]
    assert _severity_row(login(admin_user))[1:] == ["1", "1", "0", "0", "2"]


def test_a_restricted_incident_logged_since_the_fold_stays_hidden(build, login, outsider):
    fold()
    build(NOV, severity="SEV1", restricted=True, items=[{"priority": "P1"}])
    assert FactLog.objects.exists()
    assert _severity_row(login(outsider))[1:] == ["0", "0", "0", "0", "0"]
    debt = _csv(login(outsider).get("/insights/csv/open-debt/"))
    assert all(row[-1] == "0" for row in debt[1:])


def test_it_filters_by_team_service_and_severity(build, viewer, login, service, team):
    from kintsugi.teams.models import Team

    other = Team.objects.create(name="Data", slug="data")
    build(NOV, severity="SEV1", services=[service])
    build(NOV, severity="SEV2", team=other)
    fold()
    client = login(viewer)
    assert _severity_row(client, team="data")[-1] == "1"
    assert _severity_row(client, service="web")[1:] == ["1", "0", "0", "0", "1"]
    assert _severity_row(client, severity="SEV2")[1:] == ["0", "1", "0", "0", "1"]
    teams = _csv(client.get("/insights/csv/incidents-by-team/"))
    assert {row[0] for row in teams[1:]} == {"Platform", "Data"}


def test_it_measures_items_and_the_cost_of_debt(build, viewer, login, service):
    build(
        NOV - timedelta(days=60),
        services=[service],
        items=[
            {"priority": "P1", "created_at": NOV - timedelta(days=60)},
            {
                "priority": "P2",
                "status": "done",
                "due_on": (NOV - timedelta(days=40)).date(),
                "created_at": NOV - timedelta(days=60),
                "completed_at": NOV - timedelta(days=50),
            },
        ],
    )
    build(NOV, services=[service])
    fold()
    client = login(viewer)
    cost = next(r for r in _csv(client.get("/insights/csv/cost-of-debt/")) if r[0] == "2026-11")
    assert cost == ["2026-11", "1", "1"]
    completion = _csv(client.get("/insights/csv/completion-by-priority/"))
    assert completion[3] == ["P2", "1", "1", "1", "100.0"]
    debt = {r[0]: r[-1] for r in _csv(client.get("/insights/csv/open-debt/"))[1:]}
    assert debt["2026-09"] == "1" and debt["2026-11"] == "1"
    later = {"start": "2026-10", "end": "2026-12"}  # items opened before the range
    for params in (later, {**later, "service": "web"}, {**later, "team": "platform"}):
        rows = _csv(client.get("/insights/csv/open-debt/", params))[1:]
        assert [r[-1] for r in rows] == ["1", "1", "1"], params


def test_csv_cells_cannot_run_as_formulas(build, viewer, login):
    from kintsugi.teams.models import Team

    evil = Team.objects.create(name='=HYPERLINK("http://evil")', slug="evil")
    build(NOV, team=evil)
    fold()
    response = login(viewer).get("/insights/csv/incidents-by-team/")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert _csv(response)[1][0] == '\'=HYPERLINK("http://evil")'


def test_names_are_escaped_on_the_page(build, viewer, login):
    from kintsugi.teams.models import Team

    team = Team.objects.create(name="<script>alert(1)</script>", slug="xss")
    build(NOV, team=team)
    page = login(viewer).get("/insights/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-13"}, "no month 13"),
        ({"end": "yesterday"}, "YYYY-MM"),
        ({"start": "1970-01", "end": "2026-12"}, "limit is 120"),
        ({"start": "2026-06", "end": "2026-01"}, "after it ends"),
        ({"team": "nobody"}, "Unknown team"),
        ({"service": "' OR 1=1 --"}, "Unknown service"),
        ({"severity": "SEV9"}, "Unknown severity"),
        ({"team": "x" * 100_000}, "Unknown team"),
        ({"start": "\x00\x01"}, "YYYY-MM"),
    ],
)
def test_bad_filters_are_reported_and_ignored(viewer, login, params, message):
    response = login(viewer).get("/insights/", params)
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text and "That filter was ignored" in text
    assert len(text) < 200_000  # a huge value is not echoed back whole


def test_unknown_chart_and_bad_digest_month_are_not_found(viewer, login):
    client = login(viewer)
    assert client.get("/insights/csv/no-such-chart/").status_code == 404
    assert client.get("/insights/digest/2026-13/").status_code == 404
    assert client.get("/insights/digest/0001-01/").status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client, db):
    for url in ("/insights/", "/insights/csv/open-debt/", "/insights/digest/2026-11/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


def test_the_digest_lists_visible_published_post_mortems(build, login, outsider, teammate):
    build(NOV, title="Public outage", published_at=NOV + timedelta(days=2))
    build(NOV, title="Secret outage", restricted=True, published_at=NOV + timedelta(days=3))
    build(NOV, title="Draft outage")
    build(NOV, title="October one", published_at=NOV - timedelta(days=10))
    fold()
    seen = login(outsider).get("/insights/digest/2026-11/").content.decode()
    assert "Public outage" in seen
    assert "Secret outage" not in seen and "Draft outage" not in seen
    assert "October one" not in seen
    assert "Secret outage" in login(teammate).get("/insights/digest/2026-11/").content.decode()


def test_the_nav_links_to_insights(viewer, login):
    page = login(viewer).get("/insights/").content.decode()
    assert 'data-testid="nav-insights"' in page and 'aria-current="page"' in page


@pytest.mark.parametrize("folded", [True, False])
def test_query_counts_do_not_grow_with_the_data(
    build, service, viewer, login, django_assert_max_num_queries, folded
):
    def counted(n: int) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for i in range(n):
            build(
                NOV - timedelta(days=i * 7),
                services=[service],
                factors=["Pool exhausted"],
                items=[{"priority": "P1"}],
            )
        if folded:
            fold()
        client = login(viewer)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/insights/").status_code == 200
        return len(queries)

    few = counted(3)
    many = counted(30)
    assert few == many
    client = login(viewer)
    # 2 session, 1 visible restricted, 1 log, 4 stored and 7 live facts of the logged
    # incidents, 4 sums, 2 names, 2 filter menus and the rest of the page.
    with django_assert_max_num_queries(29):
        client.get("/insights/")


def test_reading_the_page_writes_nothing(build, viewer, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    build(NOV, items=[{"priority": "P1"}])
    client = login(viewer)
    with CaptureQueriesContext(connection) as queries:
        for url in ("/insights/", "/insights/csv/open-debt/", "/insights/digest/2026-11/"):
            assert client.get(url).status_code == 200
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
    assert FactLog.objects.exists()  # still waiting for the fold


def test_an_edit_since_the_fold_replaces_the_stored_facts(build, viewer, login, outsider):
    from kintsugi.postmortems.models import Incident

    incident = build(NOV, severity="SEV1", items=[{"priority": "P1", "created_at": NOV}])
    build(NOV, severity="SEV2", restricted=True, items=[{"priority": "P1", "created_at": NOV}])
    fold()
    Incident.objects.filter(pk=incident.pk).update(severity="SEV3")
    for user in (viewer, outsider):
        client = login(user)
        assert _severity_row(client)[1:] == ["0", "0", "1", "0", "1"]
        debt = {r[0]: r[1:] for r in _csv(client.get("/insights/csv/open-debt/"))[1:]}
        assert debt["2026-11"] == ["1", "0", "1"]


def test_the_list_links_to_insights_with_its_filters_and_back(build, viewer, login, service):
    import html
    import re

    from django.urls import reverse

    build(NOV, severity="SEV1", services=[service])
    client = login(viewer)
    params = {"team": "platform", "service": "web", "severity": "SEV1", "q": "pool"}
    page = client.get(reverse("postmortem-list"), params).content.decode()
    href = html.unescape(re.search(r'href="([^"]*)" data-testid="list-insights-link"', page)[1])
    assert href.startswith("/insights/?")
    assert "team=platform" in href and "service=web" in href and "severity=SEV1" in href
    assert "q=" not in href
    insights = client.get(href)
    assert insights.status_code == 200 and b"That filter was ignored" not in insights.content
    assert _severity_row(client, team="platform", service="web", severity="SEV1")[-1] == "1"
    back = re.search(r'href="([^"]*)" data-testid="insights-list-link"', insights.content.decode())
    assert back is not None
    assert "team=platform" in back[1] and "service=web" in back[1] and "severity=SEV1" in back[1]
    # A hostile value is escaped in the link and reported, not trusted, by Insights.
    hostile = client.get(
        reverse("postmortem-list"), {"team": '"><script>x</script>'}
    ).content.decode()
    assert "<script>x</script>" not in hostile
