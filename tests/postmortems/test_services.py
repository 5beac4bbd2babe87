from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from kintsugi.core.errors import ValidationProblem
from kintsugi.postmortems import services
from kintsugi.postmortems.models import ActionItem

T0 = datetime(2026, 3, 1, 14, 0, tzinfo=UTC)


def test_it_creates_an_incident_with_the_creator_as_author(incident, owner):
    assert list(incident.authors.all()) == [owner]
    assert incident.version == 1


def test_it_refuses_an_end_before_the_start(owner):
    with pytest.raises(ValidationProblem) as error:
        services.incident_create(
            user=owner, title="x", started_at=T0, ended_at=T0 - timedelta(minutes=1)
        )
    assert error.value.field == "ended_at"


def test_it_refuses_a_naive_time(owner):
    with pytest.raises(ValidationProblem, match="timezone"):
        services.incident_create(user=owner, title="x", started_at=datetime(2026, 1, 1))


def test_it_refuses_an_over_long_title(owner):
    with pytest.raises(ValidationProblem, match="limit is 200"):
        services.incident_create(user=owner, title="x" * 201, started_at=T0)


def test_it_refuses_a_second_save_based_on_an_old_version(incident, owner, teammate):
    services.incident_update(user=owner, incident=incident, version=1, summary="First edit")
    with pytest.raises(services.ConflictError) as error:
        services.incident_update(user=teammate, incident=incident, version=1, summary="Second")
    assert error.value.current.summary == "First edit"


def test_it_refuses_mitigation_before_detection(incident, owner):
    services.timeline_event_add(
        user=owner,
        incident=incident,
        occurred_at=T0 + timedelta(minutes=5),
        kind="alert_fired",
        text="Alert fired",
    )
    with pytest.raises(ValidationProblem, match="before 'Alert fired'"):
        services.timeline_event_add(
            user=owner,
            incident=incident,
            occurred_at=T0 + timedelta(minutes=1),
            kind="mitigated",
            text="Rolled back",
        )
    assert incident.events.count() == 1


def test_it_refuses_a_non_http_ticket_url(incident, owner):
    with pytest.raises(ValidationProblem) as error:
        services.action_item_add(
            user=owner, incident=incident, title="Fix", ticket_url="javascript:alert(1)"
        )
    assert error.value.field == "ticket_url"


def test_it_refuses_duplicate_ticket_ids(incident, owner):
    services.action_item_add(user=owner, incident=incident, title="A", ticket_id="OPS-1")
    with pytest.raises(ValidationProblem, match="already linked"):
        services.action_item_add(user=owner, incident=incident, title="B", ticket_id="ops-1")


def test_it_requires_a_reason_for_wont_do(incident, owner):
    item = services.action_item_add(user=owner, incident=incident, title="A")
    with pytest.raises(ValidationProblem, match="why"):
        services.action_item_update(user=owner, item=item, version=1, status="wont_do")
    item = services.action_item_update(
        user=owner, item=item, version=1, status="wont_do", status_reason="Service retired"
    )
    assert item.status == "wont_do"


def test_it_records_completion_time_when_done(incident, owner):
    item = services.action_item_add(
        user=owner, incident=incident, title="A", due_on=date(2026, 3, 10)
    )
    item = services.action_item_update(user=owner, item=item, version=1, status="done")
    assert item.completed_at is not None
    item = services.action_item_update(user=owner, item=item, version=2, status="open")
    assert item.completed_at is None


def test_it_lets_a_viewer_not_edit(incident, viewer):
    with pytest.raises(PermissionDenied):
        services.lesson_add(user=viewer, incident=incident, kind="went_well", text="Paging worked")


def test_it_lets_an_outsider_not_edit_a_restricted_incident(restricted_incident, outsider):
    with pytest.raises(PermissionDenied):
        services.factor_add(user=outsider, incident=restricted_incident, title="x")


def test_it_sorts_action_items_by_priority_then_date(incident, owner):
    services.action_item_add(
        user=owner,
        incident=incident,
        title="late P1",
        priority="P1",
        due_on=date(2026, 4, 1),
        due_reason="Needs the April maintenance window",  # later than the policy's date
    )
    services.action_item_add(user=owner, incident=incident, title="P3", priority="P3")
    undated = services.action_item_add(
        user=owner, incident=incident, title="undated P1", priority="P1"
    )
    services.action_item_update(user=owner, item=undated, version=1, due_on=None)
    services.action_item_add(
        user=owner, incident=incident, title="early P1", priority="P1", due_on=date(2026, 3, 5)
    )
    services.action_item_add(user=owner, incident=incident, title="P0", priority="P0")
    titles = list(ActionItem.objects.filter(incident=incident).values_list("title", flat=True))
    assert titles == ["P0", "early P1", "late P1", "undated P1", "P3"]
