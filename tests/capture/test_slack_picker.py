"""The picker of Slack candidates: keep, edit, drop, add the kept ones to the timeline."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kintsugi.capture.models import TimelineCandidate
from kintsugi.capture.services.slack import slack_import
from kintsugi.postmortems.models import TimelineEvent
from tests.conftest import PASSWORD
from tests.core.capture.slack_export import export_zip, message

HTMX = {"HTTP_HX_REQUEST": "true"}


def imported(incident, days=None):
    slack_import(
        user=None,
        incident=incident,
        file_name="export.zip",
        body=export_zip(days),
        body_size=1,
        channel="inc-checkout",
        start=datetime(2026, 3, 1, 14, 0, tzinfo=UTC),
        end=datetime(2026, 3, 1, 16, 0, tzinfo=UTC),
        workspace_url="https://acme.slack.com",
        reactions="white_check_mark",
    )
    return list(TimelineCandidate.objects.filter(incident=incident).order_by("occurred_at", "id"))


@pytest.fixture
def signed_in(client, owner):
    client.login(username=owner.username, password=PASSWORD)
    return client


def picker(incident) -> str:
    return f"/incidents/{incident.pk}/slack/candidates/"


def row(incident, candidate, edit=False) -> str:
    return f"{picker(incident)}{candidate.pk}/" + ("edit/" if edit else "")


def test_it_lists_candidates_with_links_to_the_messages(signed_in, incident):
    rows = imported(incident)
    page = signed_in.get(picker(incident)).content.decode()
    assert page.count('data-testid="candidate-row"') == len(rows) == 4
    assert rows[0].permalink in page and 'rel="noopener noreferrer"' in page


def test_keep_and_drop_answer_the_row_to_htmx_and_redirect_others(signed_in, incident):
    first, second, *_ = imported(incident)
    answer = signed_in.post(row(incident, second), {"state": "kept"}, **HTMX)
    assert answer.status_code == 200
    assert f'id="candidate-{second.pk}"' in answer.content.decode()
    assert 'data-state="kept"' in answer.content.decode()
    answer = signed_in.post(row(incident, first), {"state": "dropped"})
    assert answer.status_code == 302 and answer["Location"].endswith(f"#candidate-{first.pk}")
    states = dict(TimelineCandidate.objects.values_list("pk", "state"))
    assert states[first.pk] == "dropped" and states[second.pk] == "kept"


@pytest.mark.parametrize("state", ["added", "", "x" * 1000, "<script>"])
def test_unknown_states_are_refused(signed_in, incident, state):
    first, *_ = imported(incident)
    answer = signed_in.post(row(incident, first), {"state": state}, **HTMX)
    assert answer.status_code == 422
    # htmx swaps a 422 in: the row comes back whole, with the reason.
    assert f'id="candidate-{first.pk}"' in answer.content.decode()
    assert 'data-testid="candidate-problem"' in answer.content.decode()
    first.refresh_from_db()
    assert first.state == "kept"


def test_edit_saves_and_keeps(signed_in, incident):
    _, second, *_ = imported(incident)
    form = signed_in.get(row(incident, second, edit=True), **HTMX).content.decode()
    assert 'data-testid="candidate-form"' in form and "2026-03-01 14:06 UTC" in form
    answer = signed_in.post(
        row(incident, second, edit=True),
        {"occurred_at": "2026-03-01 15:07+01:00", "text": "Bob opened the dashboard"},
        **HTMX,
    )
    assert answer.status_code == 200 and 'data-state="kept"' in answer.content.decode()
    second.refresh_from_db()
    assert second.text == "Bob opened the dashboard"
    assert second.occurred_at == datetime(2026, 3, 1, 14, 7, tzinfo=UTC)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"occurred_at": "2026-03-01 14:07", "text": "x"}, "occurred_at"),
        ({"occurred_at": "yesterday", "text": "x"}, "occurred_at"),
        ({"occurred_at": "2026-03-01 14:07 UTC", "text": ""}, "text"),
        ({"occurred_at": "2026-03-01 14:07 UTC", "text": "x" * 2001}, "text"),
        ({"occurred_at": "2026-03-01 14:07 UTC", "text": "bell\x07"}, "text"),
    ],
)
def test_bad_edits_are_refused_and_change_nothing(signed_in, incident, data, field):
    _, second, *_ = imported(incident)
    answer = signed_in.post(row(incident, second, edit=True), data, **HTMX)
    assert answer.status_code == 422
    body = answer.content.decode()
    assert f'data-testid="error-{field}"' in body or 'data-testid="form-error"' in body
    before = second.text
    second.refresh_from_db()
    assert second.text == before and second.state == "pending"


def test_kept_messages_are_added_to_the_timeline_once(signed_in, incident):
    rows = imported(incident)
    answer = signed_in.post(picker(incident))
    assert answer.status_code == 302
    assert answer["Location"] == f"/incidents/{incident.pk}/#timeline"
    events = list(TimelineEvent.objects.filter(incident=incident).order_by("occurred_at"))
    assert [e.text for e in events] == [
        "alice.ng: Checkout is throwing 500s, @Bob Diaz can you look?",
        "Bob Diaz: Rolled back deploy 42 & errors dropped",
    ]
    assert events[0].evidence_url == rows[0].permalink and events[0].kind == "note"
    assert set(
        TimelineCandidate.objects.filter(event__isnull=False).values_list("state", flat=True)
    ) == {"added"}
    # Again: nothing is kept any more, nothing is added twice.
    signed_in.post(picker(incident))
    assert TimelineEvent.objects.filter(incident=incident).count() == 2
    # An added candidate can no longer be changed here.
    answer = signed_in.post(row(incident, rows[0]), {"state": "dropped"}, **HTMX)
    assert answer.status_code == 409 and "on the timeline already" in answer.content.decode()
    assert 'data-state="added"' in answer.content.decode()
    answer = signed_in.post(
        row(incident, rows[0], edit=True), {"occurred_at": "2026-03-01 14:07 UTC", "text": "x"}
    )
    assert answer.status_code == 422


def test_reimport_after_adding_does_not_bring_messages_back(signed_in, incident):
    imported(incident)
    signed_in.post(picker(incident))
    imported(incident)
    assert TimelineCandidate.objects.filter(state="kept").count() == 0
    assert TimelineEvent.objects.filter(incident=incident).count() == 2


def test_a_candidate_of_another_incident_is_not_found(signed_in, incident, restricted_incident):
    first, *_ = imported(restricted_incident)
    assert signed_in.post(row(incident, first), {"state": "dropped"}).status_code == 404
    assert signed_in.get(row(incident, first, edit=True)).status_code == 404


def test_people_who_may_not_edit_are_refused(
    client, viewer, outsider, incident, restricted_incident
):
    first, *_ = imported(incident)
    hidden, *_ = imported(restricted_incident)
    client.login(username=viewer.username, password=PASSWORD)
    assert client.get(picker(incident)).status_code == 403
    assert client.post(row(incident, first), {"state": "dropped"}).status_code == 403
    assert client.post(picker(incident)).status_code == 403
    client.login(username=outsider.username, password=PASSWORD)
    assert client.get(picker(restricted_incident)).status_code == 404
    assert client.post(row(restricted_incident, hidden), {"state": "dropped"}).status_code == 404
    assert client.post(picker(restricted_incident)).status_code == 404
    assert not TimelineEvent.objects.exists()
    assert TimelineCandidate.objects.filter(state="dropped").count() == 0


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_picker_costs_the_same_queries_for_few_and_many(signed_in, incident):
    imported(incident)
    few = _queries(signed_in, picker(incident))
    many = {"2026-03-02": [message(86400 - 3600 + i, f"m{i}") for i in range(450)]}
    TimelineCandidate.objects.all().delete()
    slack_import(
        user=None,
        incident=incident,
        file_name="x.zip",
        body=export_zip(many),
        body_size=1,
        channel="inc-checkout",
        start=datetime(2026, 3, 1, 14, 0, tzinfo=UTC),
        end=datetime(2026, 3, 2, 16, 0, tzinfo=UTC),
        workspace_url="https://acme.slack.com",
    )
    assert TimelineCandidate.objects.count() == 450
    assert _queries(signed_in, picker(incident)) == few
    assert _queries(signed_in, picker(incident) + "?page=3") == few


def test_the_picker_pages_and_a_row_action_returns_to_its_page(signed_in, incident):
    days = {"2026-03-01": [message(i, f"m{i}") for i in range(450)]}
    rows = imported(incident, days)
    page = signed_in.get(picker(incident) + "?page=3").content.decode()
    assert page.count('data-testid="candidate-row"') == 50 and "m449" in page
    assert "Messages 401–450 of 450" in page
    for hostile in ("abc", "-1", "0", "9" * 40, "<script>"):
        answer = signed_in.get(picker(incident), {"page": hostile})
        assert answer.status_code == 200
        assert answer.content.decode().count('data-testid="candidate-row"') in (200, 50)
    answer = signed_in.post(row(incident, rows[250]), {"state": "kept"})
    assert answer["Location"].endswith(f"?page=2#candidate-{rows[250].pk}")
