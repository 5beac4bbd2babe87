"""Every debt page for the logged-out visitor, the outsider, the viewer, the lead and the admin."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from kintsugi.debt.models import Delivery, DeliveryKind

PAGES = [
    "/debt/",
    "/debt/items/",
    "/debt/items/?state=overdue&team=platform",
    "/debt/weekly-review/",
    "/debt/weekly-review/?week=2026-W48&team=platform",
    "/debt/weekly-review/?week=2026-W48&format=md",
    "/debt/weekly-review/?week=2026-W48&format=json",
    "/debt/sprints/?team=platform",
    "/debt/deliveries/",
    "/debt/policy/",
    "/debt/me/",
]


@pytest.fixture
def secret(make_incident, make_item, teammate):
    """An overdue item of a restricted incident, and one of an open incident."""
    hidden = make_incident("Leaked signing key", restricted=True)
    make_item("Rotate the signing key", incident=hidden, owner=teammate, due_on=date(2026, 11, 10))
    public = make_incident("Pool exhausted")
    make_item("Cap the pool", incident=public, owner=teammate, due_on=date(2026, 11, 10))


@pytest.mark.parametrize("url", PAGES)
def test_it_sends_logged_out_visitors_to_the_login_page(db, url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("url", PAGES)
def test_it_shows_every_page_to_a_viewer(clock, secret, login, viewer, url):
    response = login(viewer).get(url)
    assert response.status_code == 200, response.content[:500]
    body = response.content.decode()
    assert "Rotate the signing key" not in body  # restricted: not a member
    assert "Leaked signing key" not in body


@pytest.mark.parametrize("url", PAGES)
def test_it_shows_restricted_items_to_the_team(clock, secret, login, teammate, url):
    assert login(teammate).get(url).status_code == 200


def test_it_lists_restricted_items_for_members_only(clock, secret, login, teammate, outsider):
    url = "/debt/items/?state=overdue"
    assert "Rotate the signing key" in login(teammate).get(url).content.decode()
    body = login(outsider).get(url).content.decode()
    assert "Rotate the signing key" not in body and "Cap the pool" in body
    review = login(outsider).get("/debt/weekly-review/?week=2026-W48").content.decode()
    assert "Rotate the signing key" not in review and "Cap the pool" in review


def test_it_lets_only_leads_and_admins_open_team_settings(
    clock, login, owner, teammate, viewer, admin_user
):
    url = "/debt/teams/platform/settings/"
    assert login(owner).get(url).status_code == 200  # alice leads Platform
    assert login(admin_user).get(url).status_code == 200
    assert login(teammate).get(url).status_code == 403
    assert login(viewer).get(url).status_code == 403
    assert login(teammate).post(url, {"timezone": "UTC"}).status_code == 403
    assert login(viewer).get("/debt/teams/nope/settings/").status_code == 404


def test_it_lets_only_admins_change_the_organisation_policy(clock, login, owner, admin_user):
    data = {
        "window_p0": "7",
        "window_p1": "10",
        "window_p2": "30",
        "window_p3": "60",
        "at_risk_days": "2",
    }
    assert login(owner).post("/debt/policy/", data).status_code == 403
    assert login(admin_user).post("/debt/policy/", data).status_code == 302
    body = login(owner).get("/debt/policy/").content.decode()
    assert "10 days (organisation default)" in body


def test_it_shows_deliveries_only_to_those_concerned(
    clock, login, team, owner, outsider, admin_user
):
    Delivery.objects.create(
        idempotency_key="debt-review:1:2026-W48",
        channel="email",
        recipient="alice@example.com",
        kind=DeliveryKind.WEEKLY_REVIEW,
        subject="Weekly review 2026-W48 - team Platform",
        team=team,
    )
    assert "alice@example.com" in login(owner).get("/debt/deliveries/").content.decode()
    assert "alice@example.com" in login(admin_user).get("/debt/deliveries/").content.decode()
    assert "alice@example.com" not in login(outsider).get("/debt/deliveries/").content.decode()


def test_it_refuses_a_viewer_marking_an_item_reviewed(clock, secret, login, viewer, teammate):
    from kintsugi.postmortems.models import ActionItem

    item = ActionItem.objects.get(title="Cap the pool")
    hidden = ActionItem.objects.get(title="Rotate the signing key")
    url = f"/debt/weekly-review/items/{item.pk}/reviewed/"
    assert login(viewer).post(url, {"note": "x", "week": "2026-W48"}).status_code == 403
    assert (
        login(viewer)
        .post(f"/debt/weekly-review/items/{hidden.pk}/reviewed/", {"note": "x"})
        .status_code
        == 404
    )
    assert login(teammate).post(url, {"note": "ok", "week": "2026-W48"}).status_code == 302
