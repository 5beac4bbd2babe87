"""Importing a Slack export for an incident: the upload page, raw storage, idempotence,
hostile uploads and who may do it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kintsugi.capture.models import CandidateState, SlackImport, TimelineCandidate
from kintsugi.core.capture import upload_zip
from tests.conftest import PASSWORD
from tests.core.capture.slack_export import CHANNEL_ID, export_zip, message

FORM = {
    "channel": "#inc-checkout",
    "start": "2026-03-01 14:00 UTC",
    "end": "2026-03-01 16:00 UTC",
    "workspace_url": "https://acme.slack.com",
    "reactions": "white_check_mark",
}


def url(incident) -> str:
    return f"/incidents/{incident.pk}/slack/"


def upload(client, incident, data: bytes | None = None, name="export.zip", **fields):
    body = export_zip() if data is None else data
    form = {**FORM, **fields, "export": SimpleUploadedFile(name, body, "application/zip")}
    return client.post(url(incident), form)


@pytest.fixture
def signed_in(client, owner):
    client.login(username=owner.username, password=PASSWORD)
    return client


def test_it_shows_the_form_with_the_incidents_hours(signed_in, incident):
    page = signed_in.get(url(incident))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'enctype="multipart/form-data"' in body and "2026-03-01 13:00 UTC" in body


def test_it_stores_the_upload_and_makes_candidates(signed_in, incident):
    answer = upload(signed_in, incident)
    assert answer.status_code == 302
    assert answer["Location"] == f"/incidents/{incident.pk}/slack/candidates/"
    record = SlackImport.objects.get()
    assert bytes(record.body) == export_zip() and record.status == "processed"
    assert record.channel_id == CHANNEL_ID and record.candidates_added == 4
    rows = list(TimelineCandidate.objects.order_by("occurred_at"))
    assert [r.state for r in rows] == ["kept", "pending", "kept", "pending"]
    assert rows[0].permalink.startswith(f"https://acme.slack.com/archives/{CHANNEL_ID}/p")
    assert rows[0].author == "alice.ng" and rows[0].slack_import == record


def test_a_second_import_adds_only_new_messages_and_keeps_decisions(signed_in, incident):
    upload(signed_in, incident)
    first = TimelineCandidate.objects.order_by("occurred_at").first()
    first.state = CandidateState.DROPPED
    first.save()
    days = {"2026-03-01": [message(0, "changed text"), message(600, "a new one")]}
    assert upload(signed_in, incident, export_zip(days)).status_code == 302
    assert TimelineCandidate.objects.count() == 5
    first.refresh_from_db()
    assert first.state == "dropped" and first.text != "changed text"
    assert upload(signed_in, incident, export_zip(days)).status_code == 302
    last = SlackImport.objects.order_by("-id").first()
    assert last.status == "duplicate" and last.candidates_added == 0
    assert TimelineCandidate.objects.count() == 5


@pytest.mark.parametrize(
    ("data", "fields", "reason"),
    [
        (b"not a zip", {}, "not a zip archive"),
        (export_zip(extra={"../../etc/cron.d/x": b"[]"}), {}, "points outside"),
        (export_zip({"2026-03-01": b"[{"}), {}, "not valid JSON"),
        (export_zip(), {"channel": "random"}, "has no channel"),
        (export_zip(), {"workspace_url": "javascript:alert(1)"}, "workspace address"),
        (export_zip(), {"reactions": "<b>"}, "not a reaction"),
        (export_zip(), {"end": "2026-03-01 13:00 UTC"}, "end after"),
    ],
)
def test_bad_uploads_are_kept_with_their_reason_and_write_nothing(
    signed_in, incident, data, fields, reason
):
    answer = upload(signed_in, incident, data, **fields)
    assert answer.status_code == 422
    assert reason in answer.content.decode().replace("&#x27;", "'")
    record = SlackImport.objects.get()
    assert record.status == "rejected" and reason in record.reason
    assert bytes(record.body) == data
    assert not TimelineCandidate.objects.exists()


def test_an_oversized_upload_is_recorded_without_its_body(signed_in, incident, monkeypatch):
    from kintsugi.capture.services import slack as service
    from kintsugi.capture.views import slack as views

    for module in (upload_zip, service, views):
        monkeypatch.setattr(module, "MAX_ZIP_BYTES", 100)
    answer = upload(signed_in, incident)
    assert answer.status_code == 413
    record = SlackImport.objects.get()
    assert record.status == "rejected" and bytes(record.body) == b""
    assert record.body_size == len(export_zip()) and "larger than" in record.reason


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"start": "2026-03-01 14:00"}, "start"),
        ({"start": "x" * 100}, "start"),
        ({"channel": ""}, "channel"),
        ({"workspace_url": "h" * 400}, "workspace_url"),
    ],
)
def test_malformed_forms_are_refused_before_anything_is_stored(signed_in, incident, fields, field):
    answer = upload(signed_in, incident, **fields)
    assert answer.status_code == 422
    assert f'data-testid="error-{field}"' in answer.content.decode()
    assert not SlackImport.objects.exists()


def test_a_missing_file_is_refused(signed_in, incident):
    answer = signed_in.post(url(incident), FORM)
    assert answer.status_code == 422 and 'data-testid="error-export"' in answer.content.decode()


def test_hostile_text_is_escaped_on_the_picker(signed_in, incident):
    days = {"2026-03-01": [message(0, "&lt;script&gt;alert(1)&lt;/script&gt; <javascript:x|y>")]}
    upload(signed_in, incident, export_zip(days))
    page = signed_in.get(f"/incidents/{incident.pk}/slack/candidates/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert "javascript:" not in page


def test_people_who_may_not_edit_are_refused(
    client, viewer, outsider, restricted_incident, incident
):
    client.login(username=viewer.username, password=PASSWORD)
    assert client.get(url(incident)).status_code == 403
    assert upload(client, incident).status_code == 403
    client.login(username=outsider.username, password=PASSWORD)
    assert client.get(url(restricted_incident)).status_code == 404
    assert upload(client, restricted_incident).status_code == 404
    assert not SlackImport.objects.exists()
    client.logout()
    assert client.get(url(incident)).status_code == 302


def test_csrf_is_required(owner, incident):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.login(username=owner.username, password=PASSWORD)
    assert upload(strict, incident).status_code == 403
    assert not SlackImport.objects.exists()


def test_an_earlier_upload_is_read_again_without_storing_it_twice(signed_in, incident):
    assert 'name="earlier"' not in signed_in.get(url(incident)).content.decode()
    assert upload(signed_in, incident, channel="random").status_code == 422
    first = SlackImport.objects.get()
    page = signed_in.get(url(incident)).content.decode()
    assert f'<option value="{first.pk}">' in page and 'value="random"' in page  # last choices
    answer = signed_in.post(url(incident), {**FORM, "earlier": str(first.pk)})
    assert answer.status_code == 302
    again = SlackImport.objects.order_by("-id").first()
    assert again.reread_of == first and bytes(again.body) == b""
    assert again.status == "processed" and again.candidates_added == 4
    assert again.file_name == "export.zip" and again.body_size == first.body_size
    # Reading the re-read again points at the upload itself.
    signed_in.post(url(incident), {**FORM, "earlier": str(first.pk), "channel": CHANNEL_ID})
    assert SlackImport.objects.order_by("-id").first().reread_of == first
    assert TimelineCandidate.objects.count() == 4


@pytest.mark.parametrize("earlier", ["999999", "abc", "-1", "<script>"])
def test_an_earlier_upload_must_be_this_incidents(
    signed_in, incident, restricted_incident, earlier
):
    upload(signed_in, incident)
    upload(signed_in, restricted_incident)
    other = SlackImport.objects.get(incident=restricted_incident)
    for choice in (earlier, str(other.pk)):
        answer = signed_in.post(url(incident), {**FORM, "earlier": choice})
        assert answer.status_code == 422
        assert 'data-testid="error-earlier"' in answer.content.decode()
    assert SlackImport.objects.count() == 2
