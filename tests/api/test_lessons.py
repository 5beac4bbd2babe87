from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kintsugi.postmortems import services
from kintsugi.postmortems.models import Lesson
from tests.api.conftest import XSS, assert_csrf_refused, assert_refused_anonymous, error_of

LESSON = {"kind": "went_well", "text": "Paging reached the right team in a minute."}


@pytest.fixture
def lesson(owner, incident):
    return services.lesson_add(user=owner, incident=incident, kind="got_lucky", text="Low traffic")


def endpoints(incident_id: int, lesson_id: int) -> list[tuple[str, str]]:
    return [
        ("get", f"/incidents/{incident_id}/lessons"),
        ("post", f"/incidents/{incident_id}/lessons"),
        ("get", f"/lessons/{lesson_id}"),
        ("patch", f"/lessons/{lesson_id}"),
        ("delete", f"/lessons/{lesson_id}"),
    ]


def test_it_refuses_anonymous_callers_everywhere(api, incident, lesson):
    for method, path in endpoints(incident.pk, lesson.pk):
        assert_refused_anonymous(api, method, path)


def test_it_refuses_browser_writes_without_the_csrf_token(browser, owner, incident, lesson):
    session = browser(owner)
    for method, path in endpoints(incident.pk, lesson.pk):
        if method != "get":
            assert_csrf_refused(session, method, path, {**LESSON, "version": 1})
    assert Lesson.objects.count() == 1


def test_it_hides_lessons_of_restricted_incidents(api, owner, outsider, restricted_incident):
    hidden = services.lesson_add(
        user=owner, incident=restricted_incident, kind="went_well", text="s"
    )
    for method, path in endpoints(restricted_incident.pk, hidden.pk):
        response = api.call(method, path, user=outsider, json={"text": 5})
        assert response.status_code == 404, (method, path, response.content)


def test_it_refuses_writes_from_a_viewer(api, viewer, incident, lesson):
    for method, path in endpoints(incident.pk, lesson.pk):
        response = api.call(method, path, user=viewer, json={**LESSON, "version": 1})
        assert response.status_code == (200 if method == "get" else 403), (method, path)


def test_it_adds_and_lists_lessons_by_kind(api, owner, incident, lesson):
    response = api.post(f"/incidents/{incident.pk}/lessons", user=owner, json=LESSON)
    assert response.status_code == 201, response.content
    everything = api.get(f"/incidents/{incident.pk}/lessons", user=owner).json()
    assert everything["count"] == 2
    lucky = api.get(f"/incidents/{incident.pk}/lessons", user=owner, params={"kind": "got_lucky"})
    assert [row["text"] for row in lucky.json()["results"]] == ["Low traffic"]


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("kind", "went_sideways", "went_well"),
        ("text", "", "required"),
        ("text", "x" * 2001, "2000"),
        ("text", None, "string"),
    ],
)
def test_it_refuses_bad_fields(api, owner, incident, field, value, words):
    response = api.post(
        f"/incidents/{incident.pk}/lessons", user=owner, json={**LESSON, field: value}
    )
    assert response.status_code == 422, response.content
    assert words in " ".join(error_of(response)["fields"][field])


def test_it_refuses_malformed_json(api, owner, incident):
    response = api.post(f"/incidents/{incident.pk}/lessons", user=owner, body="{")
    assert error_of(response)["code"] == "malformed_json"


def test_it_stores_script_payloads_verbatim(api, owner, incident):
    body = api.post(f"/incidents/{incident.pk}/lessons", user=owner, json={**LESSON, "text": XSS})
    assert body.json()["text"] == XSS


def test_it_updates_and_refuses_a_stale_version(api, owner, teammate, lesson):
    assert (
        api.patch(f"/lessons/{lesson.pk}", user=owner, json={"version": 1, "text": "A"}).json()[
            "version"
        ]
        == 2
    )
    stale = api.patch(
        f"/lessons/{lesson.pk}",
        user=teammate,
        json={"kind": "went_poorly"},
        headers={"If-Match": '"1"'},
    )
    assert stale.status_code == 409
    assert error_of(stale)["current"]["text"] == "A"
    assert error_of(stale)["current"]["kind"] == "got_lucky"


def test_it_deletes_a_lesson(api, owner, lesson):
    assert api.delete(f"/lessons/{lesson.pk}", user=owner).status_code == 204


def test_it_lists_with_a_constant_number_of_queries(browser, owner, incident):
    session = browser(owner)
    url = f"/incidents/{incident.pk}/lessons"

    def add(count: int) -> None:
        for number in range(count):
            services.lesson_add(user=owner, incident=incident, kind="went_well", text=str(number))

    add(3)
    with CaptureQueriesContext(connection) as few:
        assert session.get(url).json()["count"] == 3
    add(27)
    with CaptureQueriesContext(connection) as many:
        assert len(session.get(url).json()["results"]) == 30
    assert len(few) == len(many)
