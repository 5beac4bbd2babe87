"""Lessons learned in their three lists, edited in place."""

import pytest

from kintsugi.postmortems import services
from kintsugi.postmortems.models import Lesson
from tests.web.conftest import HTMX, assert_fragment


@pytest.mark.parametrize("kind", ["went_well", "went_poorly", "got_lucky"])
def test_it_adds_a_lesson_to_each_list(login, owner, incident, kind):
    client = login(owner)
    url = f"/incidents/{incident.pk}/lessons/add/{kind}/"
    form = client.get(url, **HTMX)
    assert_fragment(form)
    assert form.content.decode().lstrip().startswith(f'<div id="lessons-{kind}-add"')
    response = client.post(url, {"text": "Paging worked"}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#lessons"
    body = response.content.decode()
    assert "Paging worked" in body
    assert f'data-testid="lesson-add-form-{kind}"' in body  # open for the next one
    assert Lesson.objects.get().kind == kind


def test_it_answers_404_for_an_unknown_list(login, owner, incident):
    assert login(owner).get(f"/incidents/{incident.pk}/lessons/add/meh/", **HTMX).status_code == 404


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The lesson is required."),
        (" \t ", "The lesson is required."),
        ("x" * 2001, "the limit is 2,000"),
        ("bad\x07bell", "control characters"),
        ("bad\x00byte", "Null characters are not allowed"),
    ],
)
def test_it_refuses_bad_lessons(login, owner, incident, text, message):
    response = login(owner).post(
        f"/incidents/{incident.pk}/lessons/add/got_lucky/", {"text": text}, **HTMX
    )
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#lessons-got_lucky-add"
    assert message in response.content.decode()
    assert not Lesson.objects.exists()


def test_it_edits_a_lesson_and_refuses_a_stale_edit(login, owner, teammate, incident):
    lesson = services.lesson_add(user=owner, incident=incident, kind="went_well", text="Original")
    url = f"/incidents/{incident.pk}/lessons/{lesson.pk}/edit/"
    body = login(owner).get(url, **HTMX).content.decode()
    assert body.lstrip().startswith(f'<li id="lesson-{lesson.pk}"')
    assert login(owner).post(url, {"version": 1, "text": "Alice's"}, **HTMX).status_code == 200
    stale = login(teammate).post(url, {"version": 1, "text": "Bob's"}, **HTMX)
    assert stale.status_code == 409
    assert "Alice&#x27;s" in stale.content.decode() and "Bob&#x27;s" in stale.content.decode()
    lesson.refresh_from_db()
    assert lesson.text == "Alice's"


def test_it_deletes_a_lesson(login, owner, incident):
    lesson = services.lesson_add(user=owner, incident=incident, kind="went_well", text="Gone")
    response = login(owner).post(f"/incidents/{incident.pk}/lessons/{lesson.pk}/delete/", **HTMX)
    assert response.status_code == 200
    assert not Lesson.objects.exists()


def test_it_returns_the_row_for_cancel(login, owner, incident):
    lesson = services.lesson_add(user=owner, incident=incident, kind="went_well", text="Row")
    body = (
        login(owner).get(f"/incidents/{incident.pk}/lessons/{lesson.pk}/", **HTMX).content.decode()
    )
    assert body.lstrip().startswith(f'<li id="lesson-{lesson.pk}"') and "Row" in body
