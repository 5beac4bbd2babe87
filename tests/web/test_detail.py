"""The post-mortem page: the SRE template in order, access, and a constant query count."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kintsugi.postmortems import services
from tests.web.conftest import T0

SECTIONS = [
    'data-testid="section-header"',
    'data-testid="section-executive-summary"',
    'data-testid="metrics"',
    'data-testid="section-narrative"',
    'data-testid="section-timeline"',
    'data-testid="section-factors"',
    'data-testid="section-lessons"',
    'data-testid="section-action-items"',
]
EDIT_CONTROLS = [
    'data-testid="header-edit"',
    'data-testid="summary-edit"',
    'data-testid="narrative-edit"',
    'data-testid="timeline-add"',
    'data-testid="event-edit"',
    'data-testid="event-delete"',
    'data-testid="factor-add"',
    'data-testid="factor-edit"',
    'data-testid="evidence-add"',
    'data-testid="evidence-delete"',
    'data-testid="lesson-add-went_well"',
    'data-testid="lesson-edit"',
    'data-testid="action-add"',
    'data-testid="action-edit"',
    'data-testid="action-delete"',
]


def _url(incident):
    return f"/incidents/{incident.pk}/"


def test_it_shows_the_sre_template_in_order(login, owner, incident, filled):
    filled(2)
    body = login(owner).get(_url(incident)).content.decode()
    positions = [body.index(marker) for marker in SECTIONS]
    assert positions == sorted(positions)
    assert "All times UTC" in body
    assert "Checkout returned errors for 40 minutes." in body
    assert "Major: a core feature is unavailable" in body  # SEV2 definition


def test_it_shows_every_edit_control_to_an_editor(login, owner, incident, filled):
    filled(2)
    body = login(owner).get(_url(incident)).content.decode()
    for control in EDIT_CONTROLS:
        assert control in body, control


def test_it_shows_no_edit_controls_to_viewers(login, viewer, incident, filled):
    filled(2)
    body = login(viewer).get(_url(incident)).content.decode()
    for control in EDIT_CONTROLS:
        assert control not in body, control
    assert 'data-testid="export-md"' in body  # reading and exporting are allowed


def test_it_hides_restricted_incidents_from_outsiders(login, outsider, restricted_incident):
    assert login(outsider).get(_url(restricted_incident)).status_code == 404


def test_it_shows_restricted_incidents_to_the_team(login, teammate, restricted_incident):
    response = login(teammate).get(_url(restricted_incident))
    assert response.status_code == 200
    assert 'data-testid="restricted-badge"' in response.content.decode()


def test_it_answers_404_for_unknown_incidents(login, owner):
    assert login(owner).get("/incidents/999999/").status_code == 404


def test_it_computes_the_metrics_from_the_timeline(login, owner, incident):
    for minutes, kind in [
        (4, "alert_fired"),
        (7, "page_acknowledged"),
        (38, "mitigated"),
        (52, "fully_recovered"),
    ]:
        services.timeline_event_add(
            user=owner,
            incident=incident,
            kind=kind,
            text=kind,
            occurred_at=T0 + timedelta(minutes=minutes),
        )
    body = login(owner).get(_url(incident)).content.decode()
    assert 'data-testid="metric-downtime">38m<' in body
    assert 'data-testid="metric-ttd">4m<' in body
    assert 'data-testid="metric-tta">3m<' in body
    assert 'data-testid="metric-ttm">38m<' in body
    assert 'data-testid="metric-ttr">52m<' in body
    assert 'data-testid="moment-recovered">2026-03-01 14:52 UTC<' in body


def test_it_flags_incomplete_action_items_and_links_tickets(login, owner, teammate, incident):
    factor = services.factor_add(user=owner, incident=incident, title="Pool too small")
    services.action_item_add(
        user=owner,
        incident=incident,
        title="Bigger pool",
        priority="P1",
        owner=teammate,
        ticket_id="OPS-7",
        ticket_url="https://jira.example.com/OPS-7",
        due_on=date(2026, 3, 10),
        factor=factor,
    )
    services.action_item_add(user=owner, incident=incident, title="Think about it", priority="P0")
    services.action_item_add(
        user=owner,
        incident=incident,
        title="Rewrite in Rust",
        priority="P3",
        status="wont_do",
        status_reason="Not worth it.",
    )
    body = login(owner).get(_url(incident)).content.decode()
    # sorted by priority: P0, P1, P3
    assert body.index("Think about it") < body.index("Bigger pool") < body.index("Rewrite in Rust")
    assert "⚠ Missing owner, ticket" in body  # the target date defaults from the policy
    assert (
        '<a href="https://jira.example.com/OPS-7" rel="noopener noreferrer nofollow" target="_blank">OPS-7</a>'
        in body
    )
    assert "Won&#x27;t do" in body and "Not worth it." in body
    assert "F1 · Pool too small" in body
    assert 'data-testid="action-overdue"' in body  # 2026-03-10 is past


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("user_fixture", ["owner", "viewer"])
def test_it_uses_a_constant_number_of_queries(request, login, incident, filled, user_fixture):
    client = login(request.getfixturevalue(user_fixture))
    filled(2)
    _queries(client, _url(incident))  # warm the organisation's linter cache
    few = _queries(client, _url(incident))
    filled(38)
    many = _queries(client, _url(incident))
    assert few == many


def test_it_uses_a_constant_number_of_queries_on_restricted_incidents(
    login, teammate, owner, restricted_incident, filled
):
    client = login(teammate)
    _queries(client, _url(restricted_incident))  # warm the organisation's linter cache
    few = _queries(client, _url(restricted_incident))
    for index in range(40):
        services.timeline_event_add(
            user=owner,
            incident=restricted_incident,
            text=f"e{index}",
            occurred_at=T0 + timedelta(days=1, minutes=index),
        )
        services.lesson_add(
            user=owner, incident=restricted_incident, kind="got_lucky", text=f"l{index}"
        )
    # No action items here: their tracker links are not read (one query fewer).
    assert _queries(client, _url(restricted_incident)) == few == PAGE_QUERIES - 1


def _tables(client, url):
    """The tables each query of one page view reads from, in order."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"].split(" FROM ", 1)[1].split()[0].strip('"') for query in captured]


# Session and user; the incident (with its 5 Whys tree's version); its services, authors
# and members (one union); timeline, factors with their evidence (one join), lessons,
# action items with their owners; the due policies (one union); the 5 Whys steps. 21 before the 5 Whys section and the
# debt box reused the factors and action items the page had loaded, and recurrence (open
# items of earlier incidents) moved to a request of its own, made once the page is shown.
# 11 since issue 17: the items' tracker links and whether the team has a tracker (one union).
# 12 since issue 19: the organisation's severity names and definitions (one read, lazily,
# for the header and the summary box).
PAGE_QUERIES = 12


@pytest.mark.parametrize("user_fixture", ["owner", "viewer"])
def test_it_reads_each_part_of_the_page_once(request, login, incident, filled, user_fixture):
    client = login(request.getfixturevalue(user_fixture))
    filled(3)
    tables = _tables(client, _url(incident))
    assert len(tables) == PAGE_QUERIES, tables
    assert tables.count("postmortems_incident_services") == 1  # with authors and members
    # The 5 Whys section and the debt box used to read these again.
    assert tables.count("postmortems_factor") == 1  # with the evidence
    assert "postmortems_evidence" not in tables
    assert tables.count("postmortems_actionitem") == 1
    assert tables.count("trackers_ticketlink") == 1  # with the team's tracker (one union)
    assert tables.count("teams_severitydefinition") == 1
    # No 5 Whys answer to check for blameful wording: the language settings are not read.
    assert "blameless_languagesettings" not in tables


def test_the_debt_box_describes_the_action_items_the_page_loaded(login, owner, incident, filled):
    filled(2)
    done, late = incident.action_items.order_by("id")
    services.action_item_update(user=owner, item=done, version=done.version, status="done")
    body = login(owner).get(_url(incident)).content.decode()
    assert "1 of 2 action items closed (50 %)" in body
    assert 'data-testid="debt-overdue"' in body  # due 2026-03-15, long past
    overdue = body.split('data-testid="debt-overdue"', 1)[1].split("</p>", 1)[0]
    assert late.title in overdue and done.title not in overdue


@pytest.mark.parametrize("pk", ["9223372036854775808", "99999999999999999999999999"])
def test_an_id_beyond_what_the_database_holds_is_not_found(login, owner, admin_user, pk):
    for user in (owner, admin_user):  # both ways of reading an incident
        assert login(user).get(f"/incidents/{pk}/").status_code == 404
