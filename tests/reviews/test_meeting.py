"""The review meeting over HTTP: the agenda, notes (blameless-checked, conflict-checked,
hostile and oversized input refused with the reason), the follow-up mailed over real SMTP
on loopback, access, and a query count that does not grow with the agenda."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kintsugi.postmortems import services
from kintsugi.reviews.models import ReviewMeeting
from kintsugi.reviews.services.comments import thread_resolve, thread_start
from tests.debt.servers import free_port
from tests.reviews.test_workflow_services import _wait_for

pytestmark = pytest.mark.django_db


def _url(incident, part: str = "") -> str:
    return f"/incidents/{incident.pk}/meeting/{part}"


def _save(client, incident, notes: str, attendees: str = "", version: str = "0"):
    data = {"notes": notes, "attendees": attendees, "version": version}
    return client.post(_url(incident, "notes/"), data)


def _agenda(incident, owner, teammate):
    thread_start(
        user=owner, incident=incident, anchor="section:timeline", text="When did the page go out?"
    )
    thread_start(
        user=teammate, incident=incident, anchor="field:impact", text="Impact needs numbers."
    )
    done = thread_start(user=owner, incident=incident, anchor="section:factors", text="Resolved?")
    thread_resolve(user=owner, thread=done.comment.thread)
    services.action_item_add(user=owner, incident=incident, title="Alert on pool saturation")
    started = services.action_item_add(user=owner, incident=incident, title="Already started")
    services.action_item_update(
        user=owner, item=started, version=started.version, status="in_progress"
    )


def test_the_agenda_lists_what_is_still_open(login, viewer, owner, teammate, incident):
    _agenda(incident, owner, teammate)
    response = login(viewer).get(_url(incident))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('data-testid="agenda-question"') == 1
    assert "When did the page go out?" in body
    assert body.count('data-testid="agenda-thread"') == 1 and "Impact needs numbers." in body
    assert "Resolved?" not in body
    actions = body.split("3. Proposed action items")[1].split("4. Findings")[0]
    assert actions.count('data-testid="agenda-action"') == 1
    assert "Alert on pool saturation" in actions and "Already started" not in actions
    assert 'data-testid="agenda-problem"' in body  # the template is not complete
    # A reader reads; only editors take notes and send the follow-up.
    assert 'data-testid="meeting-form"' not in body and 'data-testid="meeting-send"' not in body


def test_an_editor_saves_notes_and_attendees(login, owner, teammate, incident):
    client = login(owner)
    response = _save(client, incident, "Agreed: alert on saturation.", "@bob, alice")
    assert response.status_code == 302 and response.url.endswith("?saved=1#notes")
    meeting = ReviewMeeting.objects.get(incident=incident)
    assert meeting.notes == "Agreed: alert on saturation." and meeting.version == 1
    assert sorted(u.username for u in meeting.attendees.all()) == ["alice", "bob"]
    body = client.get(_url(incident) + "?saved=1").content.decode()
    assert 'data-testid="meeting-saved"' in body and 'value="1"' in body
    assert "Email the follow-up to 2 attendees" in body


def test_blameful_notes_are_saved_with_their_findings(login, owner, incident):
    response = _save(login(owner), incident, "The outage was caused by human error.")
    assert response.status_code == 302
    meeting = ReviewMeeting.objects.get(incident=incident)
    assert meeting.findings and meeting.notes.endswith("human error.")
    body = login(owner).get(_url(incident)).content.decode()
    assert 'data-testid="meeting-finding"' in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"notes": "x" * 20_001}, "the limit is 20000"),
        ({"notes": "a\x00b"}, "NUL"),
        ({"notes": "ok", "version": "abc"}, "reload the page"),
        ({"notes": "ok", "version": "9" * 40}, "reload the page"),
        ({"notes": "ok", "attendees": "nobody-here"}, "no active user named"),
        ({"notes": "ok", "attendees": " ".join(f"u{i}" for i in range(60))}, "at most 50"),
        ({"notes": "ok", "attendees": "x" * 6000}, "too long"),
    ],
)
def test_bad_input_is_refused_with_the_reason_and_the_text_kept(
    login, owner, incident, data, message
):
    form = {"notes": "", "attendees": "", "version": "0", **data}
    response = login(owner).post(_url(incident, "notes/"), form)
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body
    assert not ReviewMeeting.objects.filter(incident=incident).exists()
    if data["notes"] == "ok":
        assert ">ok</textarea>" in body  # what was typed stays in the form


def test_an_attendee_who_may_not_see_it_is_refused(login, owner, outsider, restricted_incident):
    response = _save(login(owner), restricted_incident, "Notes", "mallory")
    assert response.status_code == 422
    assert "mallory may not see this post-mortem" in response.content.decode()


def test_hostile_notes_are_escaped(login, owner, viewer, incident):
    _save(login(owner), incident, "<script>alert(1)</script><img src=x onerror=alert(2)>")
    for user in (owner, viewer):
        body = login(user).get(_url(incident)).content.decode()
        assert "<script>alert(1)" not in body and "<img src=x" not in body
        assert "&lt;script&gt;alert(1)" in body


def test_a_second_note_taker_does_not_overwrite_the_first(login, owner, admin_user, incident):
    assert _save(login(owner), incident, "Alice's notes.").status_code == 302
    response = _save(login(admin_user), incident, "Root's notes.", version="0")
    assert response.status_code == 409
    body = response.content.decode()
    assert 'data-testid="meeting-conflict"' in body and "Alice&#x27;s notes." in body
    assert "Root&#x27;s notes.</textarea>" in body and 'name="version" value="1"' in body
    assert ReviewMeeting.objects.get(incident=incident).notes == "Alice's notes."
    assert _save(login(admin_user), incident, "Root's notes.", version="1").status_code == 302


def test_readers_may_not_write_and_outsiders_see_nothing(
    login, viewer, outsider, owner, restricted_incident, incident
):
    assert _save(login(viewer), incident, "x").status_code == 403
    assert login(viewer).post(_url(incident, "follow-up/")).status_code == 403
    for path in ("", "notes/", "follow-up/"):
        response = login(outsider).post(_url(restricted_incident, path), {"notes": "x"})
        assert response.status_code in (404, 405), path
    assert login(outsider).get(_url(restricted_incident)).status_code == 404
    assert not ReviewMeeting.objects.exists()


def test_the_follow_up_goes_to_each_attendee_over_smtp(
    smtp, login, owner, teammate, viewer, incident
):
    _agenda(incident, owner, teammate)
    client = login(owner)
    _save(client, incident, "Decided: alert at 80 % pool use.", "bob victor")
    response = client.post(_url(incident, "follow-up/"))
    assert response.status_code == 302 and "?sent=2" in response.url
    _wait_for(smtp, 2)
    assert sorted(rcpt[0] for _, rcpt in smtp.envelopes) == [
        "bob@example.com",
        "victor@example.com",
    ]
    message = smtp.messages[0]
    assert message["Subject"] == f"Review meeting notes: INC-{incident.pk} Checkout outage"
    body = message.get_payload(decode=True).decode()
    assert "Decided: alert at 80 % pool use." in body
    assert "  - When did the page go out?" in body
    assert "  - Alert on pool saturation (owner: none; target: 2026-03-" in body  # the policy's
    assert f"https://postmortems.example.com/incidents/{incident.pk}/" in body
    assert ReviewMeeting.objects.get(incident=incident).follow_up_sent_at is not None


def test_no_follow_up_before_the_notes(login, owner, incident):
    response = login(owner).post(_url(incident, "follow-up/"))
    assert response.status_code == 422
    assert "Save the meeting&#x27;s notes and attendees first." in response.content.decode()


def test_a_mail_server_that_is_down_loses_nothing(settings, login, owner, teammate, incident):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    client = login(owner)
    _save(client, incident, "Kept.", "bob")
    response = client.post(_url(incident, "follow-up/"))
    assert response.status_code == 503
    assert "send it again later" in response.content.decode()
    meeting = ReviewMeeting.objects.get(incident=incident)
    assert meeting.notes == "Kept." and meeting.follow_up_sent_at is None


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_agenda_reads_a_constant_number_of_queries(login, owner, teammate, incident):
    client = login(owner)
    _agenda(incident, owner, teammate)
    _save(client, incident, "Notes", "bob")
    _queries(client, _url(incident))  # warm the organisation's linter cache
    few = _queries(client, _url(incident))
    for number in range(15):
        thread_start(
            user=owner, incident=incident, anchor="section:timeline", text=f"Why {number}?"
        )
        thread_start(user=teammate, incident=incident, anchor="field:impact", text=f"Note {number}")
        services.action_item_add(
            user=owner, incident=incident, title=f"Item {number}", owner=teammate
        )
    # The first load after the writes lints once and stores the findings for this version
    # (blameless/summary_cache.py); the count compared is the steady one, as above.
    _queries(client, _url(incident))
    assert _queries(client, _url(incident)) == few
