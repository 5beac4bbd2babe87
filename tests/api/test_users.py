from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import assert_refused_anonymous, error_of


def test_it_refuses_anonymous_callers(api):
    assert_refused_anonymous(api, "get", "/users")


def test_it_lists_active_users_without_email(api, viewer, owner, make_user):
    make_user("gone", is_active=False)
    body = api.get("/users", user=viewer).json()
    assert [row["username"] for row in body["results"]] == ["alice", "victor"]
    assert body["results"][0] == {"username": "alice", "display_name": "Alice Ng"}


def test_it_searches_by_name(api, viewer, owner, teammate):
    body = api.get("/users", user=viewer, params={"q": "diaz"}).json()
    assert [row["username"] for row in body["results"]] == ["bob"]


def test_it_is_read_only(api, admin_user):
    response = api.post("/users", user=admin_user, json={"username": "x"})
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


def test_it_lists_with_a_constant_number_of_queries(browser, viewer, make_user):
    session = browser(viewer)
    for number in range(2):
        make_user(f"few{number}")
    with CaptureQueriesContext(connection) as few:
        assert session.get("/users").json()["count"] == 3
    for number in range(27):
        make_user(f"many{number}")
    with CaptureQueriesContext(connection) as many:
        assert len(session.get("/users").json()["results"]) == 30
    assert len(few) == len(many)
