from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kintsugi.teams.models import Service, Team
from tests.api.conftest import XSS, assert_csrf_refused, assert_refused_anonymous, error_of

SERVICE = {"name": "Billing", "slug": "billing", "team": "platform"}


def endpoints() -> list[tuple[str, str]]:
    return [
        ("get", "/services"),
        ("post", "/services"),
        ("get", "/services/web"),
        ("patch", "/services/web"),
        ("delete", "/services/web"),
    ]


def test_it_refuses_anonymous_callers_everywhere(api, service):
    for method, path in endpoints():
        assert_refused_anonymous(api, method, path)


def test_it_refuses_browser_writes_without_the_csrf_token(browser, admin_user, service):
    session = browser(admin_user)
    for method, path in endpoints():
        if method != "get":
            assert_csrf_refused(session, method, path, SERVICE)
    assert Service.objects.count() == 1


def test_it_lets_everyone_read_services(api, viewer, service):
    body = api.get("/services", user=viewer).json()
    assert body["results"] == [
        {"id": service.pk, "slug": "web", "name": "Web", "description": "", "team": "platform"}
    ]
    assert api.get("/services", user=viewer, params={"team": "other"}).json()["count"] == 0
    assert api.get("/services/web", user=viewer).json()["team"] == "platform"
    assert api.get("/services/nope", user=viewer).status_code == 404


def test_it_refuses_writes_from_non_admins(api, owner, viewer, service):
    for user in (owner, viewer):
        for method, path in endpoints():
            if method != "get":
                response = api.call(method, path, user=user, json=SERVICE)
                assert response.status_code == 403, (user, method, path, response.content)
    assert Service.objects.count() == 1


def test_it_lets_admins_create_update_and_delete(api, admin_user, service):
    created = api.post("/services", user=admin_user, json=SERVICE)
    assert created.status_code == 201, created.content
    assert created.json()["team"] == "platform"
    detached = api.patch(
        "/services/billing", user=admin_user, json={"team": None, "description": XSS}
    )
    assert detached.json()["team"] is None
    assert detached.json()["description"] == XSS
    assert api.delete("/services/billing", user=admin_user).status_code == 204


def test_it_refuses_an_unknown_team(api, admin_user, team):
    response = api.post("/services", user=admin_user, json={**SERVICE, "team": "ghosts"})
    assert response.status_code == 422
    assert "ghosts" in error_of(response)["fields"]["team"][0]


def test_it_lists_with_a_constant_number_of_queries(browser, viewer):
    session = browser(viewer)

    def add(start: int, count: int) -> None:
        for number in range(start, start + count):
            team = Team.objects.create(name=f"T{number}", slug=f"t{number}")
            Service.objects.create(name=f"S{number}", slug=f"s{number}", team=team)

    add(0, 3)
    with CaptureQueriesContext(connection) as few:
        assert session.get("/services").json()["count"] == 3
    add(3, 27)
    with CaptureQueriesContext(connection) as many:
        assert len(session.get("/services").json()["results"]) == 30
    assert len(few) == len(many)
