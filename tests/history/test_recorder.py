"""Every committed change to a post-mortem becomes a version, whoever and whatever wrote it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kintsugi.history import selectors
from kintsugi.history.models import Version
from kintsugi.history.services.recorder import record
from kintsugi.postmortems import services
from tests.api.conftest import api  # noqa: F401 - fixture

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


IMPORTED = """# Imported checkout outage

- Severity: SEV2
- Started: 2026-03-01 14:00 UTC

## Summary

Checkout failed.

## Timeline

{events}

## Lessons Learned

### What went well

- The alert fired quickly.
"""


def test_a_cli_import_of_many_events_is_one_version_by_the_user_it_acts_as(
    admin_user, tmp_path, committed
):
    from io import StringIO

    from django.core.management import call_command

    from kintsugi.postmortems.models import Incident

    events = "\n".join(f"- 2026-03-01 14:{n:02d} UTC: Step {n} of the recovery." for n in range(40))
    path = tmp_path / "imported.md"
    path.write_text(IMPORTED.format(events=events), encoding="utf-8")
    with committed():
        call_command("import_postmortem", str(path), "--as", admin_user.username, stdout=StringIO())
    incident = Incident.objects.get(title="Imported checkout outage")
    (version,) = Version.objects.filter(incident=incident)
    assert version.author_name == "root"
    assert {"summary", "timeline", "lessons"} <= set(version.sections)
    assert len(selectors.rebuild(version)["timeline"]) == 40


def test_an_api_write_is_a_version_by_the_tokens_user(api, recorded, teammate, committed):  # noqa: F811
    with committed():
        answer = api.post(
            f"/incidents/{recorded.pk}/lessons",
            user=teammate,
            json={"kind": "went_poorly", "text": "Nobody owned the pool size."},
        )
    assert answer.status_code == 201, answer.json()
    latest = Version.objects.filter(incident=recorded).first()
    assert (latest.number, latest.author_name, latest.sections) == (2, "bob", ["lessons"])


def test_a_rolled_back_savepoint_leaves_only_what_committed(incident, owner, committed):
    from django.db import transaction

    record(incident.pk, user=owner)
    with committed(), transaction.atomic():
        try:
            with transaction.atomic():
                services.lesson_add(user=owner, incident=incident, kind="went_well", text="Gone")
                raise RuntimeError("refused later in the same step")
        except RuntimeError:
            pass
        services.lesson_add(user=owner, incident=incident, kind="went_well", text="Kept")
    versions = list(Version.objects.filter(incident=incident).order_by("number"))
    assert len(versions) == 2
    assert [row["text"] for row in selectors.rebuild(versions[1])["lessons"]] == ["Kept"]
