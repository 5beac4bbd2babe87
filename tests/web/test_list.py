"""The list of post-mortems: filters, search, pagination, restricted rows, query count."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kintsugi.postmortems import services
from kintsugi.teams.models import Service, Team
from tests.web.conftest import HTMX, T0, assert_fragment


def _make(owner, n, **fields):
    return [
        services.incident_create(
            user=owner, title=f"Incident {index}", started_at=T0 - timedelta(hours=index), **fields
        )
        for index in range(n)
    ]


def test_it_lists_incidents_with_their_details(login, owner, incident, filled):
    filled(2)
    response = login(owner).get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f"INC-{incident.pk}" in body
    assert "Checkout outage" in body
    assert 'class="badge sev sev-sev2"' in body
    assert "Draft" in body
    assert "Platform" in body and "Web" in body
    assert "2026-03-01 14:00 UTC" in body
    # two open action items of two
    assert '<span class="open-count">2</span><span class="muted"> / 2</span>' in body


def test_it_hides_restricted_incidents_from_outsiders(
    login, outsider, restricted_incident, incident
):
    body = login(outsider).get("/").content.decode()
    assert "Checkout outage" in body
    assert "leaked token" not in body


def test_it_shows_restricted_incidents_to_the_team(login, teammate, restricted_incident):
    body = login(teammate).get("/").content.decode()
    assert "leaked token" in body
    assert 'data-testid="incident-row"' in body


def test_it_filters_by_status_severity_team_and_service(login, owner, team, service):
    other_team = Team.objects.create(name="Payments", slug="payments")
    other_service = Service.objects.create(name="Checkout", slug="checkout")
    services.incident_create(
        user=owner, title="Alpha", started_at=T0, severity="SEV1", team=team, services=[service]
    )
    services.incident_create(
        user=owner,
        title="Bravo",
        started_at=T0,
        severity="SEV4",
        team=other_team,
        services=[other_service],
        status="published",
    )
    client = login(owner)

    def titles(query):
        body = client.get("/" + query).content.decode()
        return {t for t in ("Alpha", "Bravo") if f">{t}</a>" in body}

    assert titles("") == {"Alpha", "Bravo"}
    assert titles("?severity=SEV1") == {"Alpha"}
    assert titles("?status=published") == {"Bravo"}
    assert titles("?team=payments") == {"Bravo"}
    assert titles("?service=web") == {"Alpha"}
    assert titles("?q=alp") == {"Alpha"}
    assert titles("?q=alp&severity=SEV4") == set()


def test_it_explains_invalid_filter_values_instead_of_failing(login, owner, incident):
    client = login(owner)
    response = client.get("/?status=bogus&severity=SEV9&team=nope&service=<b>x</b>&page=abc")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Unknown status “bogus”" in body
    assert "Unknown severity “SEV9”" in body
    assert "Unknown team “nope”" in body
    assert "Unknown service “&lt;b&gt;x&lt;/b&gt;”" in body
    assert "is not a page number" in body
    assert "Checkout outage" in body  # the bad filters were ignored


def test_it_refuses_an_over_long_search(login, owner, incident):
    body = login(owner).get("/?q=" + "x" * 500).content.decode()
    assert "the limit is 200" in body


def test_it_paginates_25_per_page_and_keeps_filters_in_links(login, owner, team):
    _make(owner, 30, team=team, severity="SEV2")
    client = login(owner)
    first = client.get("/?severity=SEV2").content.decode()
    assert first.count('data-testid="incident-row"') == 25
    assert "Page 1 of 2" in first
    assert 'href="?severity=SEV2&amp;page=2"' in first
    second = client.get("/?severity=SEV2&page=2").content.decode()
    assert second.count('data-testid="incident-row"') == 5
    assert 'href="?severity=SEV2&amp;page=1"' in second
    # a page past the end shows the last page rather than an error
    assert client.get("/?page=99").status_code == 200


def test_it_answers_htmx_with_the_results_fragment_only(login, owner, incident):
    response = login(owner).get("/?severity=SEV2", **HTMX)
    assert response.status_code == 200
    assert_fragment(response)
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results"')
    assert "Checkout outage" in body
    assert "HX-Request" in response["Vary"]


def test_it_offers_new_only_to_people_who_may_create(login, owner, viewer):
    assert 'data-testid="new-incident"' in login(owner).get("/").content.decode()
    body = login(viewer).get("/").content.decode()
    assert 'data-testid="new-incident"' not in body
    assert 'data-testid="nav-new"' not in body


def test_it_shows_admin_link_only_to_site_and_team_admins(login, owner, viewer, admin_user):
    assert 'data-testid="nav-admin"' not in login(viewer).get("/").content.decode()
    assert (
        'href="/manage/my-team/" data-testid="nav-admin"' in login(owner).get("/").content.decode()
    )
    assert 'data-testid="nav-admin"' in login(admin_user).get("/").content.decode()


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("viewer_kind", ["owner", "outsider"])
def test_it_uses_a_constant_number_of_queries(login, owner, outsider, team, service, viewer_kind):
    user = {"owner": owner, "outsider": outsider}[viewer_kind]
    client = login(user)

    def fill(n):
        for incident in _make(owner, n, team=team, services=[service]):
            services.action_item_add(user=owner, incident=incident, title="Fix it")

    fill(3)
    few = _count_queries(client, "/?team=platform")
    fill(27)
    many = _count_queries(client, "/?team=platform")
    assert few == many


def test_a_later_page_shows_what_the_reader_may_see_in_order(login, owner, outsider, team):
    """The pages slice the visible incidents' ids, then read those rows (a deferred join):
    every page holds the next 25 the reader may see, in the list's order, and a later
    page costs the queries the first one does."""
    from kintsugi.postmortems.models import Incident
    from kintsugi.postmortems.selectors import incident_list

    made = _make(owner, 60, team=team)
    hidden = [incident.pk for incident in made[::3]]  # every third restricted to the team
    Incident.objects.filter(pk__in=hidden).update(is_restricted=True)
    client = login(outsider)
    expected = [incident.title for incident in incident_list(user=outsider)]
    assert len(expected) == 40 and not set(expected) & {f"Incident {i}" for i in range(0, 60, 3)}
    shown = []
    for number in (1, 2):
        html = client.get(f"/?page={number}").content.decode()
        shown += [title for title in expected if f">{title}<" in html]
        assert html.count('data-testid="incident-row"') == (25 if number == 1 else 15)
    assert shown == expected
    assert _count_queries(client, "/?page=2") == _count_queries(client, "/?page=1")
    # The team sees the restricted ones too, on the same pages.
    assert "Page 1 of 3" in login(owner).get("/?page=1").content.decode()
