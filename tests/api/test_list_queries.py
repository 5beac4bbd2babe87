"""The API's list endpoints read a page as the web list does (issue 20): the page's ids
first, then only its rows, so a page costs the same queries at 20 rows as at 200, and a
late page does not read or join the rows it skips."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kintsugi.postmortems.models import ActionItem, Factor, Incident, Lesson, TimelineEvent
from kintsugi.teams.models import Membership, Service, Team
from tests.api.conftest import T0

pytestmark = pytest.mark.django_db


def _incidents(count: int, start: int, *, restricted_every: int = 0) -> None:
    Incident.objects.bulk_create(
        Incident(
            title=f"Incident {start + n}",
            started_at=T0 + timedelta(hours=start + n),
            is_restricted=bool(restricted_every) and (start + n) % restricted_every == 0,
        )
        for n in range(count)
    )


def _parts(kind: str, incident: Incident, count: int, start: int, owner) -> None:
    make = {
        "timeline-events": lambda n: TimelineEvent(
            incident=incident,
            occurred_at=T0 + timedelta(minutes=n),
            text=f"event {n}",
            author=owner,
        ),
        "action-items": lambda n: ActionItem(incident=incident, title=f"item {n}", owner=owner),
        "factors": lambda n: Factor(incident=incident, title=f"factor {n}", position=n),
        "lessons": lambda n: Lesson(incident=incident, kind="went_well", text=f"l {n}", position=n),
    }[kind]
    model = {"timeline-events": TimelineEvent, "action-items": ActionItem, "factors": Factor,
             "lessons": Lesson}[kind]  # fmt: skip
    model.objects.bulk_create(make(start + n) for n in range(count))


def _page(api, user, path: str, **params) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path, user=user, params={"limit": 200, **params})
    assert response.status_code == 200, response.content
    return len(captured), response.json()


@pytest.mark.parametrize("kind", ["timeline-events", "action-items", "factors", "lessons"])
def test_a_page_of_parts_costs_the_same_at_20_and_200_rows(api, owner, incident, kind) -> None:
    path = f"/incidents/{incident.pk}/{kind}"
    _parts(kind, incident, 20, 0, owner)
    _page(api, owner, path)  # the token's first use is recorded once
    few, small = _page(api, owner, path)
    _parts(kind, incident, 180, 20, owner)
    many, large = _page(api, owner, path)
    assert len(small["results"]) == 20 and len(large["results"]) == 200
    assert few == many
    # The deferred join keeps the order of the full list: a late page is its tail.
    _, tail = _page(api, owner, path, limit=50, offset=150)
    assert [row["id"] for row in tail["results"]] == [row["id"] for row in
                                                      large["results"]][150:]  # fmt: skip


def test_a_page_of_incidents_costs_the_same_at_20_and_200_rows(api, teammate, team) -> None:
    _incidents(20, 0)
    _page(api, teammate, "/incidents")
    few, small = _page(api, teammate, "/incidents")
    _incidents(180, 20)
    many, large = _page(api, teammate, "/incidents")
    assert (len(small["results"]), len(large["results"])) == (20, 200)
    assert few == many
    assert large["count"] == 200


def test_the_incident_page_hides_what_the_reader_may_not_see(api, teammate, admin_user) -> None:
    """Every fifth incident is restricted and nobody involves the teammate in them."""
    _incidents(200, 0, restricted_every=5)
    _page(api, teammate, "/incidents")
    _, everything = _page(api, admin_user, "/incidents")
    _, page = _page(api, teammate, "/incidents", limit=40, offset=40)
    visible = [row for row in everything["results"] if not row["is_restricted"]]
    assert page["count"] == 160 == len(visible)
    assert [row["id"] for row in page["results"]] == [row["id"] for row in visible[40:80]]
    assert not any(row["is_restricted"] for row in page["results"])


def test_the_rows_are_read_by_the_pages_ids_only(api, teammate) -> None:
    """The page's read names its ids by a sliced subquery: the skipped incidents are never
    joined to their teams."""
    _incidents(60, 0)
    _page(api, teammate, "/incidents")
    with CaptureQueriesContext(connection) as captured:
        api.get("/incidents", user=teammate, params={"limit": 10, "offset": 40})
    joined = [q["sql"] for q in captured if "teams_team" in q["sql"] and "LIMIT" in q["sql"]]
    assert joined, [q["sql"] for q in captured]
    outer, _, inner = joined[0].partition(" IN (SELECT")
    assert inner and "LIMIT" in inner and "teams_team" in outer


def test_teams_and_services_cost_the_same_at_20_and_200_rows(api, owner) -> None:
    def add(count: int, start: int) -> None:
        teams = Team.objects.bulk_create(
            Team(name=f"Team {start + n:03}", slug=f"team-{start + n}") for n in range(count)
        )
        Service.objects.bulk_create(
            Service(name=f"Service {t.name}", slug=f"service-{t.slug}", team=t) for t in teams
        )

    Membership.objects.filter(user=owner).delete()
    Team.objects.all().delete()
    Service.objects.all().delete()
    add(20, 0)
    _page(api, owner, "/teams")
    counts = [_page(api, owner, path)[0] for path in ("/teams", "/services")]
    add(180, 20)
    after = [_page(api, owner, path) for path in ("/teams", "/services")]
    assert [queries for queries, _ in after] == counts
    assert [len(body["results"]) for _, body in after] == [200, 200]


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 201},
        {"limit": "ten"},
        {"offset": -1},
        {"offset": "1e9"},
        {"limit": "9" * 400},
        {"offset": "1; DROP TABLE x"},
    ],  # fmt: skip
)
def test_bad_paging_is_refused_with_a_reason(api, owner, incident, params) -> None:
    for path in ("/incidents", f"/incidents/{incident.pk}/timeline-events"):
        response = api.get(path, user=owner, params=params)
        assert response.status_code == 422, (path, params, response.content)
        assert "limit" in response.content.decode() or "offset" in response.content.decode()


def test_an_offset_past_the_end_is_an_empty_page(api, owner, incident) -> None:
    body = api.get("/incidents", user=owner, params={"offset": 10**6}).json()
    assert body["results"] == [] and body["count"] == 1 and body["next"] is None
