"""Bounds in the web forms: a number or time past its limit is a message next to its field.

Each of these once reached the database or a date calculation and gave HTTP 500; the value
at the limit must still be accepted.
"""

from __future__ import annotations

import pytest

from kintsugi.core.validation import MAX_ID
from kintsugi.postmortems import services
from kintsugi.postmortems.models import ActionItem, Incident, TimelineEvent
from tests.web.conftest import HTMX


def _item_data(**overrides):
    data = {
        "title": "Alert on credential expiry",
        "priority": "P1",
        "owner": "",
        "ticket_id": "",
        "ticket_url": "",
        "due_on": "2026-03-15",
        "status": "open",
        "status_reason": "",
        "factor": "",
        "description": "Kept description",
        "due_reason": "Agreed with the vendor",
    }
    data.update(overrides)
    return data


def _add_item(client, incident, **overrides):
    return client.post(f"/incidents/{incident.pk}/actions/add/", _item_data(**overrides), **HTMX)


@pytest.mark.parametrize(
    "overrides",
    [
        {"planned_sprint": "1"},
        {"planned_sprint": "100000"},
        {"estimate": "100000"},
        {"estimate": "0.5"},
        {"due_on": "8999-12-31"},
        {"due_on": "1970-01-01"},
    ],
)
def test_an_action_item_at_the_limits_is_added(login, owner, incident, overrides):
    response = _add_item(login(owner), incident, **overrides)
    assert response.status_code == 200, response.content.decode()[:500]
    assert ActionItem.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"planned_sprint": "0"}, "The sprint must be from 1 to 100,000."),
        ({"planned_sprint": "100001"}, "The sprint must be from 1 to 100,000."),
        ({"planned_sprint": str(2**63)}, "The sprint must be from 1 to 100,000."),
        ({"estimate": "100000.5"}, "The estimate must be from 0 to 100,000."),
        ({"estimate": "-1"}, "The estimate must be from 0 to 100,000."),
        ({"estimate": "1e400"}, "Enter a number."),
        ({"due_on": "9000-01-01"}, "A date must be between 1970-01-01 and 9000-01-01."),
        ({"due_on": "9999-12-31"}, "A date must be between 1970-01-01 and 9000-01-01."),
        ({"due_on": "1969-12-31"}, "A date must be between 1970-01-01 and 9000-01-01."),
    ],
)
def test_an_action_item_past_the_limits_is_refused_next_to_its_field(
    login, owner, incident, overrides, message
):
    response = _add_item(login(owner), incident, **overrides)
    assert response.status_code == 422
    body = response.content.decode()
    field = next(iter(overrides))
    # The message sits next to its own field, not above the form.
    assert f'data-testid="error-{field}">{message}</p>' in body
    assert "Kept description" in body
    assert not ActionItem.objects.exists()


def test_an_edit_based_on_a_version_past_a_bigint_asks_for_a_reload(login, owner, incident):
    item = services.action_item_add(user=owner, incident=incident, title="Keep me")
    response = login(owner).post(
        f"/incidents/{incident.pk}/actions/{item.pk}/edit/",
        {**_item_data(title="Changed"), "version": str(MAX_ID + 1)},
        **HTMX,
    )
    assert response.status_code == 422
    assert "not valid; reload the page" in response.content.decode()
    item.refresh_from_db()
    assert item.title == "Keep me"


def _create(client, started_at):
    data = {"title": "Edge", "severity": "SEV2", "started_at": started_at, "team": ""}
    return client.post("/incidents/new/", data)


@pytest.mark.parametrize("started_at", ["1970-01-01 00:00 UTC", "8999-12-31 23:59 UTC"])
def test_an_incident_starting_at_the_limits_is_created(login, owner, started_at):
    response = _create(login(owner), started_at)
    assert response.status_code == 302
    assert Incident.objects.filter(title="Edge").exists()


@pytest.mark.parametrize(
    "started_at",
    [
        "9999-12-31 12:00-14:00",
        "0001-01-01 00:00+01:00",
        "9000-01-01 00:00 UTC",
        "1969-12-31 23:59 UTC",
    ],
)
def test_an_incident_starting_past_the_limits_is_refused(login, owner, started_at):
    response = _create(login(owner), started_at)
    assert response.status_code == 422
    body = response.content.decode()
    message = "A time must be between 1970-01-01 and 9000-01-01 (UTC)."
    assert f'data-testid="error-started_at">{message}</p>' in body
    assert f'value="{started_at}"' in body
    assert not Incident.objects.filter(title="Edge").exists()


def _event(client, incident, occurred_at):
    data = {"occurred_at": occurred_at, "kind": "note", "text": "Edge", "author": ""}
    return client.post(f"/incidents/{incident.pk}/timeline/add/", data, **HTMX)


@pytest.mark.parametrize(
    ("occurred_at", "accepted"),
    [
        ("2026-03-01 14:05 UTC", True),
        ("9999-12-31 12:00-14:00", False),
        ("0001-01-01 00:00+01:00", False),
    ],
)
def test_a_timeline_time_is_bounded(login, owner, incident, occurred_at, accepted):
    response = _event(login(owner), incident, occurred_at)
    if accepted:
        assert response.status_code == 200
        assert TimelineEvent.objects.count() == 1
    else:
        assert response.status_code == 422
        message = "A time must be between 1970-01-01 and 9000-01-01 (UTC)."
        assert f'data-testid="error-occurred_at">{message}</p>' in response.content.decode()
        assert not TimelineEvent.objects.exists()
