"""Every committed change to a post-mortem becomes a version, whoever and whatever wrote it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kintsugi.history import selectors
from kintsugi.history.models import Version
from kintsugi.history.services.recorder import record
from kintsugi.postmortems import services

pytestmark = pytest.mark.django_db
AT = datetime(2026, 3, 1, 14, 5, tzinfo=UTC)


def test_creation_then_each_committed_edit_is_a_version_with_author_and_sections(
    incident, owner, teammate, committed
):
    record(incident.pk, user=owner)
    with committed():
        services.incident_update(
            user=teammate, incident=incident, version=incident.version, impact="Lost payments."
        )
    with committed():
        services.timeline_event_add(
            user=owner, incident=incident, occurred_at=AT, kind="alert_fired", text="Alert."
        )
    rows = list(Version.objects.filter(incident=incident).order_by("number"))
    assert [(v.number, v.author_name, v.sections) for v in rows] == [
        (1, "alice", ["summary"]),
        (2, "bob", ["summary"]),
        (3, "alice", ["timeline"]),
    ]
    # Version 2 is rebuilt section by section: the new impact, no timeline yet.
    rebuilt = selectors.rebuild(rows[1])
    assert rebuilt["summary"]["impact"] == "Lost payments."
    assert rebuilt["timeline"] == []
    assert selectors.rebuild(rows[2])["timeline"][0]["text"] == "Alert."


def test_one_transaction_of_many_writes_is_one_version(incident, owner, committed):
    record(incident.pk, user=owner)
    with committed():
        services.timeline_events_add(
            user=None,
            incident=incident,
            events=[{"occurred_at": AT, "text": f"Event {n}"} for n in range(50)],
        )
        for n in range(5):
            services.lesson_add(user=owner, incident=incident, kind="went_well", text=f"L{n}")
    versions = list(Version.objects.filter(incident=incident).order_by("number"))
    assert len(versions) == 2
    assert versions[1].sections == ["timeline", "lessons"]
    assert len(selectors.rebuild(versions[1])["timeline"]) == 50


def test_a_write_that_changes_no_section_or_rolls_back_adds_no_version(incident, owner, committed):
    record(incident.pk, user=owner)
    with committed():
        services.incident_update(
            user=owner, incident=incident, version=incident.version, is_restricted=True
        )
    with pytest.raises(Exception), committed():  # noqa: B017, PT011
        services.lesson_add(user=owner, incident=incident, kind="went_well", text="")
    assert Version.objects.filter(incident=incident).count() == 1


def test_api_import_and_cli_style_writes_without_a_user_are_versions_by_system(
    incident, owner, committed
):
    record(incident.pk, user=owner)
    with committed():
        services.factor_add(user=None, incident=incident, title="Pool too small")
    latest = Version.objects.filter(incident=incident).first()
    assert latest.who == "system"
    assert latest.sections == ["factors"]
