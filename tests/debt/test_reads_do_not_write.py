"""A GET never writes: the debt pages read the tally (and the incidents written since its
last pass) without a lock, and leave counting to the worker (issue 15).

Checked two ways, before the worker's first pass (the live aggregate stands in), after
it, and after a write it has not folded in yet: the captured statements hold no write and
no ``FOR UPDATE``, and the pages render with the SQLite connection in ``query_only`` mode,
where any write fails.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kintsugi.debt.models import TallyLog, TallyRow, TallyState, TeamDebtSettings
from kintsugi.debt.selectors.policy import policy_book
from kintsugi.debt.tally.compute import refresh_all
from kintsugi.postmortems.models import ActionItem
from tests.debt.conftest import NOW, TODAY

WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b|FOR\s+UPDATE", re.I)


def _urls(incident_id: int) -> list[str]:
    return [
        "/debt/",
        "/debt/?team=platform",
        "/debt/?team=data",
        "/debt/?team=~none",
        "/debt/?team=platform&severity=SEV2",
        "/debt/weekly-review/",
        "/debt/weekly-review/?team=platform",
        "/debt/weekly-review/?week=2026-W47",
        "/debt/weekly-review/?week=2026-W48&format=md",
        "/debt/items/?state=overdue",
        "/debt/sprints/?team=platform",
        f"/incidents/{incident_id}/",  # the post-mortem page and its debt box
        f"/debt/incidents/{incident_id}/recurrence/",
    ]


def _read_only_gets(client, urls: list[str]) -> list[str]:
    """Every statement the GETs ran, with the connection refusing writes meanwhile."""
    statements = []
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA query_only = ON")
    try:
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            statements += [query["sql"] for query in captured.captured_queries]
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = OFF")
    return statements


@pytest.mark.parametrize("who", ["admin_user", "teammate", "outsider"])
def test_no_debt_page_writes(mixed, clock, login, request, team, who):
    if connection.vendor != "sqlite":
        pytest.skip("query_only is SQLite's")
    TeamDebtSettings.objects.create(
        team=team, sprint_start_on=date(2026, 1, 5), sprint_length_days=14, sprint_capacity=40
    )
    client = login(request.getfixturevalue(who))
    client.get("/debt/")  # the session is read once before the database refuses writes
    urls = _urls(mixed[0].pk)
    # Before the worker's first pass: the live aggregate, and nothing is computed.
    assert not [s for s in _read_only_gets(client, urls) if WRITES.search(s)]
    assert not TallyRow.objects.exists() and not TallyState.objects.exists()
    refresh_all(today=TODAY, book=policy_book(), now=NOW)
    rows = TallyRow.objects.count()
    assert not [s for s in _read_only_gets(client, urls) if WRITES.search(s)]
    # A write the worker has not folded in yet: the pages add it, still without writing.
    ActionItem.objects.filter(incident=mixed[0]).update(status="done", completed_at=NOW)
    assert TallyLog.objects.exists()
    assert not [s for s in _read_only_gets(client, urls) if WRITES.search(s)]
    assert TallyRow.objects.count() == rows and TallyLog.objects.exists()


def test_the_read_only_mode_does_refuse_writes(db):
    """The check above can fail: a write in query_only mode raises."""
    if connection.vendor != "sqlite":
        pytest.skip("query_only is SQLite's")
    from django.db import OperationalError, transaction

    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA query_only = ON")
    try:
        with pytest.raises(OperationalError, match="readonly"), transaction.atomic():
            TallyLog.objects.create(team_key=0, incident_id=1)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = OFF")
