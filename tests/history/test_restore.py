"""Restoring a section from an earlier version: an edit like any other, conflict checked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied

from kintsugi.core.errors import ValidationProblem
from kintsugi.history import selectors
from kintsugi.history.models import Version
from kintsugi.history.services.restore import StaleSection, section_restore
from kintsugi.postmortems import services
from kintsugi.postmortems.models import Incident
from kintsugi.reviews.models import AuditEntry

pytestmark = pytest.mark.django_db
AT = datetime(2026, 3, 1, 14, 5, tzinfo=UTC)


def _edit(incident, user, committed, **fields):
    with committed():
        return services.incident_update(
            user=user, incident=incident, version=incident.version, **fields
        )


def test_restoring_the_summary_brings_the_old_text_back_as_a_new_version(
    recorded, owner, teammate, committed
):
    incident = _edit(recorded, owner, committed, impact="First impact.")
    incident = _edit(incident, teammate, committed, impact="Second impact, wrong.")
    with committed():
        section_restore(user=owner, incident=incident, number=2, section="summary", seen=3)
    assert Incident.objects.get(pk=incident.pk).impact == "First impact."
    latest = Version.objects.filter(incident=incident).first()
    assert (latest.number, latest.restored_from, latest.sections) == (4, 2, ["summary"])
    entry = AuditEntry.objects.get(incident=incident, action="restore")
    assert entry.detail == {"section": "summary", "from_version": 2, "seen": 3}
    assert entry.actor == owner


def test_a_section_changed_since_the_version_seen_is_refused_and_nothing_is_lost(
    recorded, owner, teammate, committed
):
    incident = _edit(recorded, owner, committed, impact="First impact.")
    incident = _edit(incident, teammate, committed, impact="Bob's newer text.")
    # Alice looked at the history when version 2 was the newest.
    with pytest.raises(StaleSection) as refused:
        section_restore(user=owner, incident=incident, number=1, section="summary", seen=2)
    assert "changed since version 2" in refused.value.message
    assert Incident.objects.get(pk=incident.pk).impact == "Bob's newer text."
    assert not AuditEntry.objects.filter(action="restore").exists()


def test_an_unrecorded_change_is_a_conflict_too(recorded, owner):
    services.incident_update(
        user=owner, incident=recorded, version=recorded.version, impact="Not yet in the log."
    )
    with pytest.raises(StaleSection):
        section_restore(user=owner, incident=recorded, number=1, section="summary", seen=1)


def test_restoring_rows_changes_back_deletes_added_and_re_adds_deleted(recorded, owner, committed):
    with committed():
        kept = services.timeline_event_add(
            user=owner, incident=recorded, occurred_at=AT, text="Alert fired."
        )
        gone = services.timeline_event_add(
            user=owner, incident=recorded, occurred_at=AT, text="Paged the on-call."
        )
    with committed():
        services.timeline_event_update(
            user=owner, event=kept, version=kept.version, text="Alert fired (edited)."
        )
        services.timeline_event_delete(user=owner, event=gone)
        services.timeline_event_add(user=owner, incident=recorded, occurred_at=AT, text="New.")
    with committed():
        section_restore(user=owner, incident=recorded, number=2, section="timeline", seen=3)
    texts = sorted(recorded.events.values_list("text", flat=True))
    assert texts == ["Alert fired.", "Paged the on-call."]


@pytest.mark.parametrize("section", ["factors", "lessons", "actions", "whys"])
def test_every_list_section_restores(recorded, owner, committed, section):
    from kintsugi.five_whys import services as whys

    with committed():
        factor = services.factor_add(user=owner, incident=recorded, title="Pool too small")
        services.evidence_add(user=owner, factor=factor, url="https://graphs.example/1")
        services.lesson_add(user=owner, incident=recorded, kind="went_well", text="Fast alert.")
        services.action_item_add(user=owner, incident=recorded, title="Raise the pool size")
        whys.step_add(
            user=owner, incident=recorded, parent=None, version=0,
            question="Why did checkout fail?", answer="The pool was exhausted.",
        )  # fmt: skip
    before = selectors.rebuild(Version.objects.filter(incident=recorded).first())[section]
    with committed():
        services.factor_add(user=owner, incident=recorded, title="Second factor")
        services.lesson_add(user=owner, incident=recorded, kind="went_well", text="Another.")
        services.action_item_add(user=owner, incident=recorded, title="Another item")
        whys.step_add(
            user=owner, incident=recorded, parent=None, version=1,
            question="Why was the pool small?", answer="Nobody sized it.",
        )  # fmt: skip
    with committed():
        section_restore(user=owner, incident=recorded, number=2, section=section, seen=3)
    latest = Version.objects.filter(incident=recorded).first()
    after = selectors.rebuild(latest)[section]
    strip = [{k: v for k, v in row.items() if k not in ("id", "parent")} for row in before]
    assert [{k: v for k, v in row.items() if k not in ("id", "parent")} for row in after] == strip
    assert latest.sections == [section] and latest.restored_from == 2


def test_a_read_only_member_may_not_restore(recorded, owner, viewer, committed):
    _edit(recorded, owner, committed, impact="Changed.")
    with pytest.raises(PermissionDenied):
        section_restore(user=viewer, incident=recorded, number=1, section="summary", seen=2)


@pytest.mark.parametrize(
    ("number", "section", "seen", "words"),
    [
        (1, "nonsense<script>", 1, "no section"),
        (99, "summary", 1, "no version 99"),
        (1, "summary", 77, "no version 77"),
        (1, "summary", None, "missing"),
        (1, "summary", 1, "already as it was"),
    ],
)
def test_bad_restores_are_refused_with_a_clear_message(
    recorded, owner, number, section, seen, words
):
    with pytest.raises(ValidationProblem) as refused:
        section_restore(user=owner, incident=recorded, number=number, section=section, seen=seen)
    assert words in refused.value.message
