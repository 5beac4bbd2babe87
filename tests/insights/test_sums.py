"""The per-month sums the page reads: kept by the fold's differences exactly as a full
recount would write them, restricted incidents in rows of their own, and a page whose
cost does not depend on the reader (admin or not) or on the data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kintsugi.insights import services, sums
from kintsugi.insights.from_sums import from_sums
from kintsugi.insights.models import MonthSum
from kintsugi.insights.per_incident import per_incident
from tests.insights.conftest import fold

NOV = datetime(2026, 11, 3, 9, tzinfo=UTC)


def _stored() -> set[tuple]:
    return set(
        MonthSum.objects.values_list(
            "month", "team_key", "severity", "audience", "kind", "key", "n", "total"
        )
    )


def test_folded_edits_leave_the_sums_a_rebuild_would_write(build, service):
    from kintsugi.postmortems.models import ActionItem, Incident

    older = build(
        NOV - timedelta(days=70),
        services=[service],
        factors=["Bad deploy of the config"],
        items=[{"priority": "P1", "created_at": NOV - timedelta(days=70)}],
    )
    later = build(NOV, services=[service], restricted=True, detect=7, resolve=300)
    third = build(NOV - timedelta(days=5), severity="SEV1", items=[{"priority": "P2"}])
    fold()
    # Edits of every kind, each folded in: severity, restriction, an item closed (which
    # changes the later incident's cost of debt), a deletion.
    Incident.objects.filter(pk=older.pk).update(severity="SEV4")
    fold()
    Incident.objects.filter(pk=later.pk).update(is_restricted=False)
    fold()
    ActionItem.objects.filter(incident=older).update(
        status="done", completed_at=NOV - timedelta(days=60)
    )
    fold()
    third.delete()
    fold()
    kept = _stored()
    assert kept
    assert all(row[6] > 0 for row in kept)  # no empty row left behind
    services.rebuild()
    assert _stored() == kept


def test_a_restricted_incident_has_rows_of_its_own(build):
    secret = build(NOV, restricted=True)
    build(NOV)
    fold()
    audiences = set(MonthSum.objects.values_list("audience", flat=True))
    assert audiences == {0, secret.pk}


def test_making_an_incident_restricted_hides_it_at_once(build, login, outsider):
    from kintsugi.postmortems.models import Incident

    incident = build(NOV, severity="SEV1")
    fold()
    client = login(outsider)

    def sev1() -> str:
        rows = client.get("/insights/csv/incidents-by-severity/").content.decode().splitlines()
        return next(r for r in rows if r.startswith("2026-11")).split(",")[1]

    assert sev1() == "1"
    Incident.objects.filter(pk=incident.pk).update(is_restricted=True)
    assert sev1() == "0"  # logged, read live
    fold()
    assert sev1() == "0"


@pytest.mark.parametrize("folded", [True, False])
def test_an_editor_costs_the_same_queries_as_an_admin_whatever_the_data(
    build, login, outsider, admin_user, folded
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counted(user, n: int) -> int:
        for i in range(n):
            build(NOV - timedelta(days=i * 9), restricted=i % 3 == 0, items=[{"priority": "P1"}])
        if folded:
            fold()
        client = login(user)
        url = "/insights/?start=2025-01&end=2026-12"
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    editor = counted(outsider, 3), counted(outsider, 30)
    admin = counted(admin_user, 3), counted(admin_user, 30)
    assert editor[0] == editor[1] and admin[0] == admin[1]
    assert editor[0] <= admin[0] + 1  # the restricted incidents the editor may see


def test_sum_keys_round_trip():
    key = sums.closed_key("P1", True, True, False)
    assert sums.read_closed_key(key) == ("P1", True, True, False)


@pytest.mark.parametrize("state", ["folded", "logged", "half"])
@pytest.mark.parametrize(
    "params",
    [{}, {"team": "platform"}, {"severity": "SEV1"}, {"team": "data", "severity": "SEV2"}],
)
def test_the_sums_give_the_per_incident_figures(
    build, service, outsider, admin_user, state, params
):
    """Every chart from the sums equals the one counted incident by incident (the path a
    service filter takes), for an admin, an outsider and an unknown audience, folded or
    not (up to the histograms: these times fall one per bucket)."""
    from kintsugi.insights.filters import parse_filters
    from kintsugi.postmortems.models import Incident
    from kintsugi.teams.models import Team

    other = Team.objects.create(name="Data", slug="data")
    made = []
    for i in range(12):
        made.append(
            build(
                NOV - timedelta(days=23 * i),
                severity=("SEV1", "SEV2", "SEV3")[i % 3],
                team=other if i % 4 == 0 else Team.objects.get(slug="platform"),
                restricted=i % 5 == 0,
                services=[service] if i % 2 else [],
                factors=["Bad deploy"] if i % 3 == 0 else [],
                detect=3 * 2**i,
                resolve=5 * 2**i + 7,
                items=[
                    {"priority": "P1", "created_at": NOV - timedelta(days=23 * i)},
                    {
                        "priority": "P2",
                        "status": "done",
                        "due_on": (NOV - timedelta(days=23 * i - 5)).date(),
                        "created_at": NOV - timedelta(days=23 * i),
                        "completed_at": NOV - timedelta(days=23 * i - 3),
                    },
                ],
            )
        )
    if state != "logged":
        fold()
    if state == "half":
        for incident in made[::2]:
            Incident.objects.filter(pk=incident.pk).update(severity="SEV1")
    filters = parse_filters({"start": "2025-06", "end": "2026-12", **params}, today=NOV.date())
    assert not filters.errors
    for user in (admin_user, outsider, None):
        slow = per_incident(user, filters)
        fast = from_sums(user, filters)
        counted = fast.chart("incidents-by-severity")
        assert counted is not None
        if not params:  # the data is there to compare
            assert any(row.values[-1] for row in counted.rows)
        for a, b in zip(slow.charts, fast.charts, strict=True):
            assert a.csv() == b.csv(), (a.key, user)
