"""The fast timestamp loader reads every value exactly as Django's own loader does; a
prepared read answers as the ORM does, compiled once."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader

from kintsugi.database import UtcTimestamptzLoader

TIMESTAMPTZ = psycopg.adapters.types["timestamptz"].oid

SAMPLES = [
    b"2026-11-27 13:25:04.725198+00",
    b"2026-11-27 13:25:04+00",
    b"2026-11-27 13:25:04.5+00",
    b"0001-01-01 00:00:00+00",
    b"9999-12-31 23:59:59.999999+00",
    b"2024-02-29 23:59:59.000001+00",
    b"2026-11-27 14:25:04+01",  # a connection in another zone: Django's loader decides
    b"2026-11-27 19:00:00+05:30",
]


def _django_loader():
    adapters = psycopg.adapters.__class__(psycopg.adapters)
    context = type("Context", (), {"adapters": adapters, "connection": None})()
    register_tzloader(UTC, context)
    return adapters.get_loader(TIMESTAMPTZ, psycopg.pq.Format.TEXT)(TIMESTAMPTZ)


@pytest.mark.parametrize("text", SAMPLES)
def test_reads_what_djangos_loader_reads(text):
    ours = UtcTimestamptzLoader(TIMESTAMPTZ).load(text)
    theirs = _django_loader().load(text)
    assert ours == theirs
    assert ours.tzinfo is theirs.tzinfo is UTC
    assert ours.isoformat() == theirs.isoformat()


@pytest.mark.parametrize("text", [b"infinity", b"-infinity", b"0044-03-15 12:00:00+00 BC"])
def test_values_python_cannot_hold_fail_as_with_djangos_loader(text):
    with pytest.raises(psycopg.DataError) as ours:
        UtcTimestamptzLoader(TIMESTAMPTZ).load(text)
    with pytest.raises(psycopg.DataError) as theirs:
        _django_loader().load(text)
    assert str(ours.value) == str(theirs.value)


def test_takes_memoryview_as_psycopg_passes_it():
    value = UtcTimestamptzLoader(TIMESTAMPTZ).load(memoryview(b"2026-11-27 13:25:04+00"))
    assert value == datetime(2026, 11, 27, 13, 25, 4, tzinfo=UTC)


@pytest.mark.django_db
def test_postgresql_connections_use_it_and_read_the_same_instants():
    if connection.vendor != "postgresql":
        pytest.skip("the loader is for PostgreSQL connections")
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(TIMESTAMPTZ, psycopg.pq.Format.TEXT)
    assert loader is UtcTimestamptzLoader
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::timestamptz, '2026-11-27 15:25:04.000123+02'::timestamptz",
            [datetime(2026, 11, 27, 13, 25, 4, 123, tzinfo=UTC)],
        )
        first, second = cursor.fetchone()
    assert first == second == datetime(2026, 11, 27, 13, 25, 4, 123, tzinfo=UTC)
    assert first.tzinfo is UTC


def _events_read(calls):
    from kintsugi.database import PreparedRead
    from kintsugi.postmortems.models import TimelineEvent

    def build(incident_id, author_id):
        calls.append((incident_id, author_id))
        return (
            TimelineEvent.objects.filter(incident_id=incident_id, author_id=author_id)
            .order_by("-occurred_at")
            .values_list("text", "occurred_at")
        )

    return PreparedRead(build), build


@pytest.mark.django_db
def test_a_prepared_read_answers_as_the_orm_does_for_each_set_of_ids(
    owner, teammate, incident, restricted_incident
):
    from django.test.utils import CaptureQueriesContext

    from kintsugi.postmortems import services

    for index, (target, author) in enumerate(
        [(incident, owner), (incident, teammate), (restricted_incident, owner)] * 2
    ):
        services.timeline_event_add(
            user=owner, incident=target, text=f"e{index}", author=author,
            occurred_at=datetime(2026, 3, 1, 14, index, tzinfo=UTC),
        )  # fmt: skip
    calls = []
    read, build = _events_read(calls)
    for target, author in [(incident, owner), (incident, teammate), (restricted_incident, owner)]:
        with CaptureQueriesContext(connection) as captured:
            rows = read.rows(target.pk, author.pk)
        assert rows == list(build(target.pk, author.pk))  # times aware, in UTC, on SQLite too
        assert len(rows) == 2 and rows[0][1].tzinfo is not None
        assert len(captured) == 1
    assert len(calls) == 1 + 3  # compiled once; the other calls are the comparisons above
    assert read.rows(incident.pk, 0) == []
    with CaptureQueriesContext(connection) as captured:
        assert read.rows(2**63, owner.pk) == []  # no row has it: not asked
    assert len(captured) == 0


@pytest.mark.django_db
def test_a_prepared_read_refuses_a_query_that_does_not_take_its_ids_as_parameters():
    from kintsugi.database import PreparedRead
    from kintsugi.postmortems.models import TimelineEvent

    unplaced = PreparedRead(lambda incident_id: TimelineEvent.objects.values_list("text"))
    with pytest.raises(ValueError, match="not plain parameters"):
        unplaced.rows(5)
