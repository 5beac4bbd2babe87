"""The read view of a published post-mortem, its share link and the executive summary:
what each shows to whom, access, hostile text, and query counts that do not grow."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kintsugi.postmortems import services
from kintsugi.postmortems.models import Incident
from tests.reviews.conftest import complete  # noqa: F401 - fixture
from tests.web.test_detail import EDIT_CONTROLS

pytestmark = pytest.mark.django_db


def _publish(incident: Incident) -> Incident:
    """Published as the workflow would leave it (the gate is the reviews tests' business)."""
    Incident.objects.filter(pk=incident.pk).update(status="published")
    incident.refresh_from_db()
    return incident


def _body(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def test_it_opens_a_published_post_mortem_as_a_document(login, owner, incident, filled):
    filled(2)
    body = _body(login(owner), f"/incidents/{_publish(incident).pk}/")
    assert 'data-testid="read-view"' in body
    for control in EDIT_CONTROLS:
        assert control not in body, control
    document = body.split('data-testid="read-view"', 1)[1]
    assert "hx-get" not in document and "<form" not in document  # nothing to swap or submit
    assert "lint-summary" not in document and 'data-testid="why-findings"' not in document
    assert f'href="/incidents/{incident.pk}/edit/" data-testid="read-edit"' in body
    assert 'data-testid="section-review"' not in body and "review-loader" not in body
    for section in ("timeline", "factors", "five-whys", "lessons", "action-items"):
        assert f'id="{section}"' in body, section
    assert "Event 1" in body and "Factor 1" in body and "Action 1" in body


def test_it_offers_readers_comments_instead_of_edit(login, viewer, incident):
    body = _body(login(viewer), f"/incidents/{_publish(incident).pk}/")
    assert 'data-testid="read-edit"' not in body
    assert f'href="/incidents/{incident.pk}/edit/#comments" data-testid="read-discuss"' in body


def test_it_keeps_the_editing_page_for_drafts(login, owner, incident, filled):
    filled(1)
    body = _body(login(owner), f"/incidents/{incident.pk}/")
    assert 'data-testid="read-view"' not in body
    for control in EDIT_CONTROLS:
        assert control in body, control
    assert 'data-testid="open-read-view"' in body and f"/p/{incident.pk}/" in body


def test_the_edit_page_edits_a_published_post_mortem(login, owner, viewer, incident, filled):
    filled(1)
    _publish(incident)
    body = _body(login(owner), f"/incidents/{incident.pk}/edit/")
    for control in EDIT_CONTROLS:
        assert control in body, control
    assert "Back to the read view" in body
    seen = _body(login(viewer), f"/incidents/{incident.pk}/edit/")
    for control in EDIT_CONTROLS:
        assert control not in seen, control
    assert f'hx-get="/incidents/{incident.pk}/comments/"' in seen  # readers still comment


def test_the_share_link_survives_a_new_title(login, owner, incident):
    client = login(owner)
    link = f"/p/{incident.pk}/"
    assert f"http://testserver{link}" in _body(client, f"/incidents/{incident.pk}/")
    services.incident_update(
        user=owner, incident=incident, version=incident.version, title="Renamed: pool outage"
    )
    body = _body(client, link)
    assert "Renamed: pool outage" in body and 'data-testid="read-view"' in body
    assert 'data-testid="read-draft-notice"' in body  # a draft says it is one


def test_the_share_link_of_a_published_post_mortem_has_no_draft_notice(login, owner, incident):
    body = _body(login(owner), f"/p/{_publish(incident).pk}/")
    assert 'data-testid="read-draft-notice"' not in body


@pytest.mark.parametrize("url", ["/p/{pk}/", "/incidents/{pk}/executive/", "/incidents/{pk}/edit/"])
def test_a_restricted_post_mortem_shows_nothing_to_outsiders(
    login, outsider, teammate, restricted_incident, url
):
    _publish(restricted_incident)
    path = url.format(pk=restricted_incident.pk)
    response = login(outsider).get(path)
    assert response.status_code == 404
    assert "leaked token" not in response.content.decode()
    assert "leaked token" in _body(login(teammate), path)


@pytest.mark.parametrize("url", ["/p/{pk}/", "/incidents/{pk}/executive/"])
def test_it_asks_for_a_sign_in_first(client, incident, url):
    response = client.get(url.format(pk=incident.pk))
    assert response.status_code == 302 and response.url.startswith("/login/")


@pytest.mark.parametrize(
    "path",
    [
        "/p/999999/",
        "/p/99999999999999999999999/",
        "/p/-1/",
        "/p/abc/",
        "/p/1%00/",
        "/incidents/999999/executive/",
        "/incidents/99999999999999999999999/executive/",
    ],
)
def test_hostile_ids_are_not_found(login, owner, incident, path):
    assert login(owner).get(path).status_code == 404


def test_hostile_text_is_escaped(login, owner, incident, teammate):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    incident = services.incident_update(
        user=owner, incident=incident, version=incident.version, title=hostile, impact=hostile
    )
    services.action_item_add(user=owner, incident=incident, title=hostile, owner=teammate)
    _publish(incident)
    client = login(owner)
    for url in (
        f"/incidents/{incident.pk}/",
        f"/p/{incident.pk}/",
        f"/incidents/{incident.pk}/executive/",
    ):
        body = _body(client, url)
        assert "<script>alert" not in body and "<img src=x" not in body, url
        assert "&lt;script&gt;alert" in body, url


def test_the_executive_summary_has_what_a_manager_asks(login, viewer, complete):  # noqa: F811
    body = _body(login(viewer), f"/incidents/{complete.pk}/executive/")
    assert 'data-testid="exec-severity"' in body and "SEV2" in body
    assert "Major: a core feature is unavailable" in body
    assert "About 3,000 customers could not pay for 40 minutes." in body  # who was affected
    assert 'data-testid="exec-downtime">40 min' in body or 'data-testid="exec-downtime">40m' in body
    assert "The pool size was never revisited after traffic doubled." in body  # root cause
    assert "Addressed by “Size the checkout connection pool from measured peak load”" in body
    assert 'data-testid="exec-action-owner">Bob Diaz' in body
    assert 'data-testid="exec-action-due">2026-03-20' in body
    assert 'data-testid="exec-action-status">Open' in body
    assert 'data-testid="exec-print"' in body
    assert f"/incidents/{complete.pk}/header/edit/" not in body


def test_the_executive_summary_lists_the_top_five_open_items(login, owner, incident, teammate):
    for number, priority in enumerate(["P3", "P0", "P2", "P1", "P2", "P3", "P1"]):
        services.action_item_add(
            user=owner,
            incident=incident,
            title=f"Item {number} {priority}",
            priority=priority,
            owner=teammate,
            due_on=date(2026, 3, 2) + timedelta(days=number),
            due_reason="Agreed with the team at the review.",
        )
    done = services.action_item_add(user=owner, incident=incident, title="Closed P0", priority="P0")
    services.action_item_update(user=owner, item=done, version=done.version, status="done")
    body = _body(login(owner), f"/incidents/{incident.pk}/executive/")
    titles = [part.split("<", 1)[0] for part in body.split('data-testid="exec-action-title">')[1:]]
    assert titles == ["Item 1 P0", "Item 3 P1", "Item 6 P1", "Item 2 P2", "Item 4 P2"]
    assert "Closed P0" not in body
    assert 'data-testid="exec-more-actions">2 more open action items' in body
    assert 'data-testid="exec-action-counts">7 open · 1 done · 8 in all' in body
    assert "overdue" in body  # March 2026 has passed


def test_the_executive_summary_without_analysis_says_so(login, owner, incident):
    body = _body(login(owner), f"/incidents/{incident.pk}/executive/")
    assert 'data-testid="exec-no-root-cause"' in body
    assert 'data-testid="exec-no-actions"' in body


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url", ["/incidents/{pk}/", "/p/{pk}/", "/incidents/{pk}/executive/", "/incidents/{pk}/edit/"]
)
@pytest.mark.parametrize("user_fixture", ["owner", "viewer"])
def test_it_uses_a_constant_number_of_queries(request, login, incident, filled, url, user_fixture):
    client = login(request.getfixturevalue(user_fixture))
    path = url.format(pk=_publish(filled(2)).pk)
    _queries(client, path)  # warm the organisation's linter cache
    few = _queries(client, path)
    filled(30)
    assert _queries(client, path) == few


def test_without_javascript_editing_a_published_one_returns_to_the_edit_page(
    login, owner, incident
):
    _publish(incident)
    response = login(owner).post(
        f"/incidents/{incident.pk}/narrative/edit/",
        {"version": incident.version, "trigger": "A deploy", "detection": "", "resolution": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/incidents/{incident.pk}/edit/#narrative"
    incident.refresh_from_db()
    assert incident.trigger == "A deploy"
