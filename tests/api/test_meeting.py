"""The review meeting over the API: agenda, notes (with their version), the follow-up."""

from __future__ import annotations

import pytest

from kintsugi.reviews.models import ReviewMeeting
from tests.api.conftest import XSS
from tests.reviews.conftest import smtp  # noqa: F401 - fixture
from tests.reviews.test_meeting import _agenda
from tests.reviews.test_workflow_services import _wait_for

pytestmark = pytest.mark.django_db


def _url(incident, tail: str = "") -> str:
    return f"/incidents/{incident.pk}/meeting{tail}"


def test_it_reads_the_agenda_and_saves_the_notes(api, incident, owner, teammate, viewer):
    _agenda(incident, owner, teammate)
    read = api.get(_url(incident), user=viewer)
    assert read.status_code == 200, read.json()
    body = read.json()
    assert body["version"] == 0 and body["notes"] == "" and body["attendees"] == []
    agenda = body["agenda"]
    assert [t["comments"][0]["text"] for t in agenda["questions"]] == ["When did the page go out?"]
    assert [t["comments"][0]["text"] for t in agenda["discussions"]] == ["Impact needs numbers."]
    assert [i["title"] for i in agenda["proposed"]] == ["Alert on pool saturation"]
    assert all({"check", "key", "text"} <= set(p) for p in agenda["problems"])

    saved = api.call(
        "PUT", _url(incident), user=owner, json={"notes": XSS, "attendees": ["bob"], "version": 0}
    )
    assert saved.status_code == 200, saved.json()
    assert saved.json()["notes"] == XSS  # JSON carries the text as written; pages escape it
    assert saved.json()["attendees"] == ["bob"] and saved.json()["version"] == 1
    assert saved.json()["updated_by"] == "alice"

    stale = api.call("PUT", _url(incident), user=teammate, json={"notes": "Mine", "version": 0})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    assert "version 1" in stale.json()["error"]["message"]
    assert ReviewMeeting.objects.get(incident=incident).notes == XSS


def test_the_follow_up_goes_out_over_smtp(smtp, api, incident, owner, teammate):  # noqa: F811
    _agenda(incident, owner, teammate)
    refused = api.post(_url(incident, "/follow-up"), user=owner)
    assert refused.status_code == 422  # no notes yet
    api.call(
        "PUT",
        _url(incident),
        user=owner,
        json={"notes": "Decided.", "attendees": ["bob"], "version": 0},
    )
    sent = api.post(_url(incident, "/follow-up"), user=owner)
    assert sent.status_code == 200, sent.json()
    assert sent.json() == {"sent": 1, "recipients": ["bob"]}
    _wait_for(smtp, 1)
    assert [rcpt[0] for _, rcpt in smtp.envelopes] == ["bob@example.com"]


def test_access_follows_the_post_mortem(
    api, incident, restricted_incident, owner, viewer, outsider
):
    note = {"notes": "x", "version": 0}
    assert api.call("PUT", _url(incident), user=viewer, json=note).status_code == 403
    assert api.post(_url(incident, "/follow-up"), user=viewer).status_code == 403
    for method in ("get", "put", "post"):
        path = _url(restricted_incident, "/follow-up" if method == "post" else "")
        kwargs = {"json": note} if method == "put" else {}
        assert api.call(method, path, user=outsider, **kwargs).status_code == 404, method
    assert api.get(_url(incident)).status_code == 401
    assert not ReviewMeeting.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"notes": "x" * 20_001, "version": 0}, "notes"),
        ({"notes": "x", "version": -1}, "version"),
        ({"notes": "x", "version": 10**12}, "version"),
        ({"notes": "x", "version": "one"}, "version"),
        ({"notes": "x"}, "version"),
        ({"notes": "x", "version": 0, "attendees": ["nobody"]}, "attendees"),
        ({"notes": "x", "version": 0, "attendees": ["x" * 151]}, "attendees.0"),
        ({"notes": "x", "version": 0, "attendees": [f"u{i}" for i in range(51)]}, "attendees"),
        ({"notes": "x", "version": 0, "extra": 1}, "extra"),
        ({"notes": ["x"], "version": 0}, "notes"),
    ],
)
def test_bad_input_is_refused_with_the_field_and_nothing_saved(
    api, incident, owner, payload, field
):
    response = api.call("PUT", _url(incident), user=owner, json=payload)
    assert response.status_code == 422, response.json()
    assert field in response.json()["error"]["fields"], response.json()
    assert not ReviewMeeting.objects.exists()


def test_a_body_that_is_not_json_is_refused(api, incident, owner):
    response = api.call(
        "PUT", _url(incident), user=owner, body=b"{notes", content_type="application/json"
    )
    assert response.status_code in (400, 422)
    assert not ReviewMeeting.objects.exists()
