"""Bounds: every number and time the API takes, at its limits, in both directions.

Each value beyond a limit once gave HTTP 500 (a bigint overflow in the database, a UTC
conversion past year 9999, a policy date past the last storable day); each must now be a
422 naming the field, or a 404 for an id in the URL, while the value at the limit is
accepted. Runs on SQLite and on PostgreSQL (``DATABASE_URL=postgres://...``), where a
bigint overflow is a real database error rather than a Python one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kintsugi.accounts.models import ApiToken
from kintsugi.core.validation import MAX_ESTIMATE, MAX_ID, MAX_SPRINT
from kintsugi.postmortems import services
from kintsugi.postmortems.models import ActionItem, Incident
from tests.api.conftest import error_of

BIGINT_PAST = MAX_ID + 1  # 2**63
HUGE = 10**30


@pytest.fixture
def item(owner, incident):
    return services.action_item_add(user=owner, incident=incident, title="Alert on expiry")


def _refused(response, field: str) -> str:
    assert response.status_code == 422, response.content[:400]
    error = error_of(response)
    assert field in error["fields"], error
    return " ".join(error["fields"][field])


def _add(api, owner, incident, **fields):
    body = {"title": "Bounded", "due_reason": "Planned with the vendor", **fields}
    return api.post(f"/incidents/{incident.pk}/action-items", user=owner, json=body)


# --- whole numbers ------------------------------------------------------------------


@pytest.mark.parametrize("sprint", [1, MAX_SPRINT])
def test_a_sprint_number_at_its_limits_is_kept(api, owner, incident, sprint):
    response = _add(api, owner, incident, planned_sprint=sprint)
    assert response.status_code == 201, response.content
    assert response.json()["planned_sprint"] == sprint


@pytest.mark.parametrize("sprint", [0, -1, MAX_SPRINT + 1, BIGINT_PAST, HUGE])
def test_a_sprint_number_beyond_its_limits_is_a_422(api, owner, incident, sprint):
    _refused(_add(api, owner, incident, planned_sprint=sprint), "planned_sprint")
    assert not ActionItem.objects.exists()


@pytest.mark.parametrize("estimate", [0.5, MAX_ESTIMATE])
def test_an_estimate_at_its_limits_is_kept(api, owner, incident, estimate):
    response = _add(api, owner, incident, estimate=estimate)
    assert response.status_code == 201, response.content
    assert response.json()["estimate"] == estimate


@pytest.mark.parametrize("estimate", [-1, MAX_ESTIMATE + 0.5, 1e300, BIGINT_PAST])
def test_an_estimate_beyond_its_limits_is_a_422(api, owner, incident, estimate):
    _refused(_add(api, owner, incident, estimate=estimate), "estimate")


@pytest.mark.parametrize("factor", [MAX_ID, 0])
def test_an_unknown_factor_id_in_range_is_refused_by_the_service(api, owner, incident, factor):
    response = _add(api, owner, incident, factor=factor)
    assert response.status_code == 422, response.content
    assert not ActionItem.objects.exists()


@pytest.mark.parametrize("factor", [BIGINT_PAST, HUGE, -1])
def test_a_factor_id_beyond_a_bigint_is_a_422(api, owner, incident, factor):
    _refused(_add(api, owner, incident, factor=factor), "factor")


def test_a_version_at_the_bigint_limit_is_a_conflict_not_an_error(api, owner, item):
    response = api.patch(
        f"/action-items/{item.pk}", user=owner, json={"title": "x", "version": MAX_ID}
    )
    assert response.status_code == 409, response.content
    assert error_of(response)["code"] == "conflict"


@pytest.mark.parametrize("version", [BIGINT_PAST, HUGE, -1])
def test_a_version_beyond_a_bigint_is_a_422(api, owner, item, version):
    response = api.patch(
        f"/action-items/{item.pk}", user=owner, json={"title": "x", "version": version}
    )
    _refused(response, "version")
    item.refresh_from_db()
    assert item.title == "Alert on expiry"


@pytest.mark.parametrize(
    "path",
    [
        "/incidents/{id}",
        "/incidents/{id}/action-items",
        "/incidents/{id}/factors",
        "/incidents/{id}/timeline-events",
        "/incidents/{id}/lessons",
        "/incidents/{id}/five-whys",
        "/incidents/{id}/analysis",  # the old path (issue 15)
        "/action-items/{id}",
        "/factors/{id}",
        "/lessons/{id}",
        "/timeline-events/{id}",
        "/five-whys/nodes/{id}",
        "/analysis/nodes/{id}",
    ],
)
@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_an_id_in_the_url_beyond_a_bigint_is_a_404(api, owner, incident, path, method):
    for number in (MAX_ID, BIGINT_PAST, HUGE):
        response = api.call(method, path.format(id=number), user=owner, json={"version": 1})
        if response.status_code == 405:
            continue  # that method does not exist on this path: nothing to find
        assert response.status_code == 404, (method, path, number, response.content[:300])
        assert "no such API endpoint" not in error_of(response)["message"]  # the route ran
    assert Incident.objects.filter(pk=incident.pk).exists()


# --- times and dates ----------------------------------------------------------------


@pytest.mark.parametrize("moment", ["1970-01-01T00:00:00Z", "8999-12-31T23:59:59Z"])
def test_an_incident_start_at_the_limits_is_kept(api, owner, moment):
    body = {"title": "Edge", "started_at": moment, "severity": "SEV3"}
    response = api.post("/incidents", user=owner, json=body)
    assert response.status_code == 201, response.content
    stored = Incident.objects.get(pk=response.json()["id"]).started_at
    assert stored == datetime.fromisoformat(moment)


@pytest.mark.parametrize(
    "moment",
    [
        "9999-12-31T12:00:00-14:00",  # the UTC conversion passes year 9999
        "0001-01-01T00:00:00+01:00",  # the UTC conversion falls before year 1
        "9999-12-31T23:00:00 America/Los_Angeles",
        "9000-01-01T00:00:00Z",
        "1969-12-31T23:59:59Z",
        "9999-12-31T12:00:00Z",
    ],
)
def test_an_incident_start_beyond_the_limits_is_a_422(api, owner, moment):
    body = {"title": "Edge", "started_at": moment, "severity": "SEV3"}
    message = _refused(api.post("/incidents", user=owner, json=body), "started_at")
    assert "1970-01-01" in message and "9000-01-01" in message
    assert not Incident.objects.filter(title="Edge").exists()


@pytest.mark.parametrize(
    ("moment", "accepted"),
    [
        ("8999-12-31T23:59:59Z", True),
        ("1970-01-01T01:00:00+01:00", True),
        ("9999-12-31T12:00:00-14:00", False),
        ("0001-01-01T00:00:00+01:00", False),
        ("1969-12-31T23:59:59Z", False),
    ],
)
def test_a_timeline_time_is_bounded(api, owner, incident, moment, accepted):
    body = {"occurred_at": moment, "kind": "note", "text": "Edge"}
    response = api.post(f"/incidents/{incident.pk}/timeline-events", user=owner, json=body)
    if accepted:
        assert response.status_code == 201, response.content
    else:
        _refused(response, "occurred_at")


@pytest.mark.parametrize(
    ("moment", "accepted"),
    [
        ("8999-12-31T23:59:59Z", True),
        ("1970-01-01T00:00:00Z", True),
        ("9999-12-31T12:00:00-14:00", False),
        ("0001-01-01T00:00:00+01:00", False),
        ("9000-01-01T00:00:00Z", False),
    ],
)
def test_a_completion_time_is_bounded(api, owner, item, moment, accepted):
    body = {"status": "done", "completed_at": moment, "version": item.version}
    response = api.patch(f"/action-items/{item.pk}", user=owner, json=body)
    if accepted:
        assert response.status_code == 200, response.content
    else:
        _refused(response, "completed_at")


@pytest.mark.parametrize(
    ("day", "accepted"),
    [
        ("1970-01-01", True),
        ("8999-12-31", True),
        ("1969-12-31", False),
        ("9000-01-01", False),
        ("9999-12-31", False),
        ("0001-01-01", False),
    ],
)
def test_a_target_date_is_bounded(api, owner, incident, day, accepted):
    response = _add(api, owner, incident, due_on=day)
    if accepted:
        assert response.status_code == 201, response.content
        assert response.json()["due_on"] == day
    else:
        _refused(response, "due_on")


def _stored_start(incident: Incident, moment: datetime) -> None:
    """A start stored before the bounds existed (the API now refuses to write it)."""
    Incident.objects.filter(pk=incident.pk).update(started_at=moment)
    incident.refresh_from_db()


def test_a_policy_date_past_the_range_is_a_clear_422(api, owner, incident):
    _stored_start(incident, datetime(9999, 12, 30, tzinfo=UTC))
    response = api.post(
        f"/incidents/{incident.pk}/action-items", user=owner, json={"title": "Late"}
    )
    assert "start time" in _refused(response, "due_on")
    assert not ActionItem.objects.exists()


def test_a_priority_change_whose_policy_date_overflows_is_a_clear_422(api, owner, item):
    _stored_start(item.incident, datetime(9999, 12, 30, tzinfo=UTC))
    body = {"priority": "P3", "version": item.version}
    response = api.patch(f"/action-items/{item.pk}", user=owner, json=body)
    assert "start time" in _refused(response, "due_on")


def test_a_policy_date_just_inside_the_range_is_set(api, owner, incident):
    _stored_start(incident, datetime(2026, 3, 1, tzinfo=UTC))
    response = api.post(
        f"/incidents/{incident.pk}/action-items", user=owner, json={"title": "On time"}
    )
    assert response.status_code == 201, response.content
    assert date.fromisoformat(response.json()["due_on"]) > date(2026, 3, 1)


# --- the command line -----------------------------------------------------------------


@pytest.mark.parametrize("days", ["1", "36500"])
def test_a_token_expiry_at_its_limits_is_kept(owner, days):
    call_command(
        "create_api_token", "alice", "ci", "--expires-in-days", days,
        stdout=StringIO(), stderr=StringIO(),
    )  # fmt: skip
    assert ApiToken.objects.get().expires_at is not None


@pytest.mark.parametrize("days", ["0", "36501", "99999999", str(BIGINT_PAST)])
def test_a_token_expiry_beyond_its_limits_is_one_line_and_exit_2(owner, days):
    with pytest.raises(CommandError) as error:
        call_command(
            "create_api_token", "alice", "ci", "--expires-in-days", days,
            stdout=StringIO(), stderr=StringIO(),
        )  # fmt: skip
    assert error.value.returncode == 2
    assert "\n" not in str(error.value) and "36,500" in str(error.value)
    assert not ApiToken.objects.exists()


def test_the_kintsugi_command_answers_a_huge_expiry_with_one_line_and_exit_2(owner, capsys):
    from kintsugi.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["create-api-token", "alice", "ci", "--expires-in-days", "99999999"])
    assert exited.value.code == 2
    err = capsys.readouterr().err.strip()
    assert "36,500" in err and "\n" not in err and "Traceback" not in err


def test_a_5_whys_position_or_link_beyond_the_database_is_a_422(api, owner, incident):
    """Found by the bounds review: a node position of 2**63 answered 500."""
    tree = {
        "version": 0,
        "nodes": [
            {"id": "a", "question": "Why did checkout fail?", "answer": "The pool ran out.",
             "position": 2**63, "starts_branch": True}
        ],
    }  # fmt: skip
    response = api.call("put", f"/incidents/{incident.pk}/five-whys", user=owner, json=tree)
    assert response.status_code == 422, response.content
    tree["nodes"][0]["position"] = 0
    tree["nodes"][0]["factor_ids"] = [2**63]
    response = api.call("put", f"/incidents/{incident.pk}/five-whys", user=owner, json=tree)
    assert response.status_code == 422, response.content
