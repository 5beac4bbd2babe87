"""A 409 tells the API client where the current version is ('current'), not "shown below",
which only the editor's page can say (issue 14, item 12)."""

from __future__ import annotations

import pytest

from kintsugi.postmortems import services
from tests.api.conftest import error_of


@pytest.fixture
def item(owner, incident):
    return services.action_item_add(user=owner, incident=incident, title="Alert on runner creds")


def _assert_says_where_current_is(response, current_version: int) -> None:
    assert response.status_code == 409
    error = error_of(response)
    assert "shown below" not in error["message"]
    assert "the current version is in 'current'" in error["message"].lower()
    assert error["fields"]["version"] == [error["message"]]
    assert error["current"]["version"] == current_version


def test_a_stale_incident_save_says_where_the_current_version_is(api, owner, teammate, incident):
    api.patch(f"/incidents/{incident.pk}", user=owner, json={"version": 1, "summary": "A"})
    stale = api.patch(
        f"/incidents/{incident.pk}", user=teammate, json={"version": 1, "summary": "B"}
    )
    _assert_says_where_current_is(stale, 2)


def test_a_stale_action_item_save_says_where_the_current_version_is(api, owner, teammate, item):
    api.patch(f"/action-items/{item.pk}", user=owner, json={"version": 1, "priority": "P1"})
    stale = api.patch(
        f"/action-items/{item.pk}", user=teammate, json={"version": 1, "priority": "P0"}
    )
    _assert_says_where_current_is(stale, 2)


def test_a_save_on_the_current_version_is_no_conflict(api, owner, incident):
    response = api.patch(
        f"/incidents/{incident.pk}", user=owner, json={"version": 1, "summary": "A"}
    )
    assert response.status_code == 200
    assert response.json()["version"] == 2
