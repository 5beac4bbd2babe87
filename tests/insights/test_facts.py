"""The facts kept on write: triggers log every write, the fold stores what a live
computation gives, and the page shows a write before any fold."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection

from kintsugi.core.insights.debt import EarlierItem, open_related_items
from kintsugi.insights import facts, services, triggers
from kintsugi.insights.models import FactCategory, FactLog, FactService, IncidentFacts, ItemFacts
from kintsugi.postmortems.models import ActionItem, Incident, TimelineEvent
from tests.insights.conftest import fold

JAN = datetime(2026, 1, 5, 9, tzinfo=UTC)


def test_it_installs_every_trigger(db):
    names = triggers.installed(connection)
    assert len(names) == 15
    assert "insights_facts_incident_update" in names


def test_it_logs_every_kind_of_write(build):
    incident = build(JAN)
    FactLog.objects.all().delete()
    TimelineEvent.objects.filter(incident=incident).update(kind="mitigated")  # bulk update
    assert FactLog.objects.filter(incident_id=incident.pk).exists()
    FactLog.objects.all().delete()
    Incident.objects.filter(pk=incident.pk).update(title="Only the title")
    assert not FactLog.objects.exists()  # a title changes no figure
    Incident.objects.filter(pk=incident.pk).update(severity="SEV1")
    assert FactLog.objects.count() == 1


def test_it_folds_what_a_live_computation_gives(build, service):
    incident = build(
        JAN,
        services=[service],
        factors=["Deploy of a bad config"],
        items=[
            {
                "priority": "P1",
                "due_on": date(2026, 2, 1),
                "status": "done",
                "created_at": JAN,
                "completed_at": datetime(2026, 1, 20, tzinfo=UTC),
            }
        ],
    )
    report = fold()
    assert report.incidents == 1 and not FactLog.objects.exists()
    stored = IncidentFacts.objects.get(pk=incident.pk)
    live = facts.compute([incident.pk])[incident.pk]
    assert stored.month == live.month == 202601
    assert stored.time_to_detect == live.time_to_detect == 600
    assert stored.time_to_resolve == 3600
    assert stored.time_to_acknowledge is None
    assert set(FactService.objects.values_list("service_id", flat=True)) == {service.pk}
    assert list(FactCategory.objects.values_list("category", flat=True)) == ["change"]
    item = ItemFacts.objects.get()
    assert (item.done, item.has_target, item.on_target, item.closed_month) == (
        True,
        True,
        True,
        202601,
    )


def test_it_drops_the_facts_of_a_deleted_incident(build):
    incident = build(JAN, items=[{"priority": "P2"}])
    fold()
    incident.delete()
    fold()
    assert not IncidentFacts.objects.exists() and not ItemFacts.objects.exists()


def test_it_rebuilds_everything(build):
    build(JAN)
    build(JAN + timedelta(days=40))
    FactLog.objects.all().delete()  # as if written before Insights existed
    assert services.rebuild().incidents == 2
    assert IncidentFacts.objects.count() == 2


def test_it_counts_earlier_open_items_as_the_core_says(build, service, team):
    from kintsugi.teams.models import Service

    other = Service.objects.create(name="Db", slug="db", team=team)
    first = build(JAN, services=[service], items=[{"priority": "P1"}])
    closed = build(
        JAN + timedelta(days=1),
        services=[service],
        items=[{"priority": "P2", "status": "done", "completed_at": JAN + timedelta(days=3)}],
    )
    unrelated = build(JAN + timedelta(days=2), services=[other], items=[{"priority": "P1"}])
    later = build(JAN + timedelta(days=30), services=[service, other])
    fold()
    incidents = [first, closed, unrelated, later]
    earlier = [
        EarlierItem(
            item.pk,
            item.incident_id,
            item.incident.started_at,
            frozenset(item.incident.services.values_list("pk", flat=True)),
            item.created_at,
            (item.completed_at or item.created_at) if item.is_closed else None,
        )
        for item in ActionItem.objects.select_related("incident")
    ]
    for incident in incidents:
        expected = open_related_items(
            incident_id=incident.pk,
            started_at=incident.started_at,
            services=frozenset(incident.services.values_list("pk", flat=True)),
            items=earlier,
        )
        assert IncidentFacts.objects.get(pk=incident.pk).open_related_items == expected
    # The items were created now (after the later incident began): nothing counts yet.
    assert IncidentFacts.objects.get(pk=later.pk).open_related_items == 0
    ActionItem.objects.update(created_at=JAN)
    fold()
    assert IncidentFacts.objects.get(pk=later.pk).open_related_items == 2  # first's, unrelated's


def test_closing_an_earlier_item_recounts_later_incidents(build, service):
    first = build(JAN, services=[service], items=[{"priority": "P1", "created_at": JAN}])
    later = build(JAN + timedelta(days=30), services=[service])
    fold()
    assert IncidentFacts.objects.get(pk=later.pk).open_related_items == 1
    ActionItem.objects.filter(incident=first).update(
        status="done", completed_at=JAN + timedelta(days=2)
    )
    report = fold()
    assert report.dependents == 1
    assert IncidentFacts.objects.get(pk=later.pk).open_related_items == 0


def test_an_edit_that_leaves_the_debt_alone_recounts_nobody(build, service):
    """A new severity or factor cannot change a later incident's cost of debt: the fold
    skips the recount (the 200 later incidents of the bench's fold of one edit)."""
    from kintsugi.postmortems.models import Incident

    first = build(JAN, services=[service], items=[{"priority": "P1", "created_at": JAN}])
    later = build(JAN + timedelta(days=30), services=[service])
    fold()
    Incident.objects.filter(pk=first.pk).update(severity="SEV1", title="Renamed")
    report = fold()
    assert (report.incidents, report.dependents) == (1, 0)
    assert IncidentFacts.objects.get(pk=later.pk).open_related_items == 1
    # What the debt reads does change it: the item's creation, then the first's start.
    ActionItem.objects.filter(incident=first).update(created_at=JAN + timedelta(days=40))
    assert fold().dependents == 1
    assert IncidentFacts.objects.get(pk=later.pk).open_related_items == 0
    ActionItem.objects.filter(incident=first).update(created_at=JAN)
    Incident.objects.filter(pk=first.pk).update(started_at=JAN + timedelta(days=31))
    assert fold().dependents == 1
    assert IncidentFacts.objects.get(pk=later.pk).open_related_items == 0


def test_facts_stored_before_the_debt_key_count_as_changed(build, service):
    first = build(JAN, services=[service], items=[{"priority": "P1", "created_at": JAN}])
    build(JAN + timedelta(days=30), services=[service])
    fold()
    IncidentFacts.objects.update(debt_key=None)  # rows of the release before
    from kintsugi.postmortems.models import Incident

    Incident.objects.filter(pk=first.pk).update(severity="SEV1")
    assert fold().dependents == 1


@pytest.mark.parametrize("limit", [1, None])
def test_a_write_during_a_fold_is_kept_for_the_next(build, limit):
    a = build(JAN)
    b = build(JAN + timedelta(days=1))
    services.fold(limit=limit)
    remaining = set(FactLog.objects.values_list("incident_id", flat=True))
    assert remaining == ({b.pk} if limit == 1 else set())
    assert IncidentFacts.objects.filter(pk=a.pk).exists()


def test_the_monthly_item_sums_stay_those_of_the_items(build, team):
    from collections import Counter

    from kintsugi.insights.models import ItemMonth

    def sums():
        got = Counter()
        for row in ItemMonth.objects.all():
            got[row.team_key, row.severity, row.month, "o"] += row.opened
            got[row.team_key, row.severity, row.month, "c"] += row.closed
        return +got

    def expected():
        want = Counter()
        for item in ItemFacts.objects.all():
            want[item.team_key, item.severity, item.opened_month, "o"] += 1
            if item.closed_month is not None:
                want[item.team_key, item.severity, item.closed_month, "c"] += 1
        return +want

    a = build(JAN, items=[{"priority": "P1", "created_at": JAN}] * 3)
    b = build(JAN, severity="SEV1", items=[{"priority": "P2", "created_at": JAN}])
    fold()
    assert sums() == expected() and sums()
    ActionItem.objects.filter(incident=a).update(status="done", completed_at=JAN + timedelta(40))
    Incident.objects.filter(pk=b.pk).update(severity="SEV4", team=None)
    fold()
    assert sums() == expected()
    a.delete()
    fold()
    assert sums() == expected()
    services.rebuild()
    assert sums() == expected()
