"""The Django (and psycopg) internals Kintsugi relies on, one test each, failing with a
message that names the internal on an upgrade that changes it; and each fast path giving
what its public twin gives, on the database the tests run on (SQLite by default,
PostgreSQL with DATABASE_URL)."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime

import django
import psycopg
import pytest
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.test.utils import CaptureQueriesContext

from kintsugi import django_internals
from kintsugi.django_internals import (
    PreparedRead,
    SessionStore,
    session_read,
    utc_timestamptz_loader,
)

TIMESTAMPTZ = psycopg.adapters.types["timestamptz"].oid
UPGRADE = (
    f"Django {django.__version__} / psycopg {psycopg.__version__}: {{what}}, which "
    "kintsugi/django_internals.py relies on ({why}). Read that module's docstring: adapt "
    "the fast path, or drop it for the public API it stands in for."
)


def _upgrade(what: str, why: str) -> str:
    return UPGRADE.format(what=what, why=why)


def _parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


# 1. The SQL compiler, which PreparedRead compiles with once and then reuses.


@pytest.mark.django_db
def test_the_sql_compiler_still_offers_what_prepared_read_calls():
    from django.db.models.sql.compiler import SQLCompiler
    from django.db.models.sql.query import Query

    from kintsugi.postmortems.models import TimelineEvent

    why = "PreparedRead"
    expected = {
        Query.get_compiler: ["self", "using", "connection", "elide_empty"],
        SQLCompiler.as_sql: ["self", "with_limits", "with_col_aliases"],
        SQLCompiler.get_converters: ["self", "expressions"],
        SQLCompiler.apply_converters: ["self", "rows", "converters"],
    }
    for method, names in expected.items():
        found = _parameters(method)
        assert found[: len(names)] == names, _upgrade(
            f"{method.__qualname__} now takes ({', '.join(found)})", why
        )
    queryset = TimelineEvent.objects.filter(incident_id=5).values_list("id", "occurred_at")
    compiler = queryset.query.get_compiler(using="default")
    sql, params = compiler.as_sql()
    assert isinstance(sql, str) and tuple(params) == (5,), _upgrade("as_sql's answer", why)
    assert isinstance(compiler.col_count, int) and compiler.col_count == 2, _upgrade(
        "SQLCompiler.col_count after as_sql", why
    )
    assert isinstance(compiler.has_extra_select, bool), _upgrade(
        "SQLCompiler.has_extra_select after as_sql", why
    )
    assert all(len(entry) == 3 for entry in compiler.select), _upgrade(
        "SQLCompiler.select's (expression, sql, alias) entries", why
    )
    columns = [column for column, _, _ in compiler.select[: compiler.col_count]]
    converters = compiler.get_converters(columns)
    assert isinstance(converters, dict), _upgrade("SQLCompiler.get_converters's answer", why)


# 4. compiled_sql: a queryset's SQL and parameters, embedded in larger statements.


@pytest.mark.django_db
def test_compiled_sql_still_gives_sql_that_answers_what_the_orm_answers(demo):
    from django.db.models import Count

    from kintsugi.django_internals import compiled_sql
    from kintsugi.postmortems.models import ActionItem

    why = "compiled_sql: the debt dashboard's rollup, the review's parts, the tally's facts"
    found = _parameters(compiled_sql)
    assert found == ["queryset"], found
    since = datetime(2000, 1, 1, tzinfo=UTC)
    querysets = [
        # A filter on a datetime, an IN list and a join: parameters of several types.
        ActionItem.objects.filter(
            incident_id__in=[demo.pk, -1], created_at__gte=since, incident__is_restricted=False
        )
        .order_by("pk")
        .values_list("pk", "status", "priority"),
        # Grouped, as the rollup embeds it in a WITH.
        ActionItem.objects.filter(incident=demo)
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n"),
    ]
    for queryset in querysets:
        sql, params = compiled_sql(queryset)
        assert isinstance(sql, str) and isinstance(params, tuple), _upgrade(
            "Query.get_compiler(using).as_sql()'s (sql, params)", why
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM ({sql}) AS embedded", params)  # noqa: S608
            rows = sorted(tuple(row) for row in cursor.fetchall())
        expected = sorted(tuple(row) for row in queryset)
        assert expected, "the demo gives rows to compare"
        assert rows == expected, _upgrade("the SQL as_sql gives for a queryset", why)


@pytest.fixture
def demo(db):
    """The demo post-mortem (timeline, factors with evidence, lessons, action items, a
    why-tree with links) and a team's own due policy: a row for every read to return."""
    from kintsugi.accounts.models import User
    from kintsugi.debt.models import TeamDuePolicy
    from kintsugi.documents.demo import load_demo

    incident, _ = load_demo()
    TeamDuePolicy.objects.create(team=incident.team, window_p1=3, at_risk_days=2)
    authors = incident.authors.values_list("pk", flat=True)
    incident.members.add(*User.objects.exclude(pk__in=authors)[:2])
    return incident


def _reads_and_keys(incident) -> dict[PreparedRead, list[tuple]]:
    """Every PreparedRead the app makes, with keys that find rows and keys that do not."""
    from kintsugi.accounts import backends
    from kintsugi.debt.selectors import policy
    from kintsugi.five_whys import selectors as analysis
    from kintsugi.postmortems import selectors as postmortems

    member = incident.members.first()
    session = SessionStore()
    session["note"] = "kept"
    session.create()
    by_incident = [(incident.pk,), (incident.pk + 10_000,)]
    return {
        session_read(Session): [(session.session_key,), ("nosuchsessionkey123",)],
        backends._USER: [(member.pk,), (0,)],
        postmortems._PEOPLE_AND_SERVICES: by_incident,
        postmortems._TIMELINE: by_incident,
        postmortems._FACTORS: by_incident,
        postmortems._LESSONS: by_incident,
        postmortems._ACTION_ITEMS: by_incident,
        postmortems._INCIDENT_FOR_ADMIN: by_incident,
        postmortems._INCIDENT_FOR_NON_ADMIN: [(incident.pk, member.pk), (incident.pk, 0)],
        analysis._NODES: by_incident,
        analysis._LINKS: by_incident,
        policy._EVERY_POLICY: [()],
        policy._ONE_TEAM: [(incident.team_id,), (0,)],
    }


def test_every_prepared_read_answers_what_the_orm_answers(demo):
    reads = _reads_and_keys(demo)
    untested = [read for read in PreparedRead.made if read not in reads]
    assert not untested, f"add these PreparedReads to this test: {untested}"
    for read, keys in reads.items():
        for key in keys:
            fast, public = read.rows(*key), read.public_rows(*key)
            assert fast == public, (read._build, key)
            assert all(type(row) is tuple for row in fast)
        assert read.rows(*keys[0]), f"the demo gives {read._build} no rows to compare"
        with CaptureQueriesContext(connection) as captured:
            read.rows(*keys[0])
        assert len(captured) == 1


@pytest.mark.django_db
def test_a_prepared_read_converts_values_and_drops_columns_kept_only_to_order_by(owner, incident):
    """The two compiler paths the app's reads do not all take: ``has_extra_select`` (a
    DISTINCT query ordered by a column it does not return) and the converters."""
    from kintsugi.postmortems import services
    from kintsugi.postmortems.models import TimelineEvent

    for minute in (5, 1, 3):
        services.timeline_event_add(
            user=owner, incident=incident, text=f"at {minute}", author=owner,
            occurred_at=datetime(2026, 3, 1, 14, minute, tzinfo=UTC),
        )  # fmt: skip
    read = PreparedRead(
        lambda incident_id: (
            TimelineEvent.objects.filter(incident_id=incident_id)
            .order_by("-occurred_at")
            .distinct()
            .values_list("text")
        )
    )
    try:
        assert read.rows(incident.pk) == read.public_rows(incident.pk)
        assert read.rows(incident.pk) == [("at 5",), ("at 3",), ("at 1",)]
        assert read._compiled[("default", connection.vendor)].width == 1, _upgrade(
            "SQLCompiler.has_extra_select for DISTINCT ordered by an unselected column",
            "PreparedRead drops those columns",
        )
        times = PreparedRead(
            lambda incident_id: (
                TimelineEvent.objects.filter(incident_id=incident_id)
                .order_by("occurred_at")
                .values_list("occurred_at", "incident__started_at")
            )
        )
        rows = times.rows(incident.pk)
        assert rows == times.public_rows(incident.pk)
        assert rows[0][0] == datetime(2026, 3, 1, 14, 1, tzinfo=UTC)
        assert all(value.tzinfo is not None for row in rows for value in row)
    finally:
        del PreparedRead.made[-2:]


def _events_read(calls):
    from kintsugi.postmortems.models import TimelineEvent

    def build(incident_id, author_id):
        calls.append((incident_id, author_id))
        return (
            TimelineEvent.objects.filter(incident_id=incident_id, author_id=author_id)
            .order_by("-occurred_at")
            .values_list("text", "occurred_at")
        )

    read = PreparedRead(build)
    PreparedRead.made.remove(read)
    return read, build


@pytest.mark.django_db
def test_a_prepared_read_answers_as_the_orm_does_for_each_set_of_ids(
    owner, teammate, incident, restricted_incident
):
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
        assert read.public_rows(2**63, owner.pk) == []
    assert len(captured) == 0


@pytest.mark.django_db
def test_a_prepared_read_refuses_a_query_that_does_not_take_its_ids_as_parameters():
    from kintsugi.postmortems.models import TimelineEvent

    unplaced = PreparedRead(lambda incident_id: TimelineEvent.objects.values_list("text"))
    PreparedRead.made.remove(unplaced)
    with pytest.raises(ValueError, match="not plain parameters"):
        unplaced.rows(5)


# 2. Django's timestamp loader, which UtcTimestamptzLoader extends for UTC values.


def test_djangos_timestamp_loader_is_still_what_ours_extends():
    from django.db.backends.postgresql import base, psycopg_any
    from psycopg.types.datetime import TimestamptzLoader

    why = "UtcTimestamptzLoader"
    assert hasattr(psycopg_any, "BaseTzLoader"), _upgrade(
        "django.db.backends.postgresql.psycopg_any.BaseTzLoader is gone", why
    )
    assert issubclass(psycopg_any.BaseTzLoader, TimestamptzLoader), _upgrade(
        "BaseTzLoader no longer extends psycopg's TimestamptzLoader", why
    )
    assert _parameters(psycopg_any.BaseTzLoader.load) == ["self", "data"], _upgrade(
        "BaseTzLoader.load's signature", why
    )
    assert "timezone" in vars(psycopg_any.BaseTzLoader), _upgrade(
        "BaseTzLoader.timezone is gone", why
    )
    # Django's cursor puts its own loader back unless the one registered has the
    # connection's time zone as ``timezone``: ours says UTC so that it stays.
    source = inspect.getsource(base.DatabaseWrapper.create_cursor)
    assert "tzloader.timezone" in source, _upgrade(
        "DatabaseWrapper.create_cursor no longer compares the loader's timezone", why
    )
    assert utc_timestamptz_loader().timezone is UTC


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
    ours = utc_timestamptz_loader()(TIMESTAMPTZ).load(text)
    theirs = _django_loader().load(text)
    assert ours == theirs
    assert ours.tzinfo is theirs.tzinfo is UTC
    assert ours.isoformat() == theirs.isoformat()


@pytest.mark.parametrize("text", [b"infinity", b"-infinity", b"0044-03-15 12:00:00+00 BC"])
def test_values_python_cannot_hold_fail_as_with_djangos_loader(text):
    with pytest.raises(psycopg.DataError) as ours:
        utc_timestamptz_loader()(TIMESTAMPTZ).load(text)
    with pytest.raises(psycopg.DataError) as theirs:
        _django_loader().load(text)
    assert str(ours.value) == str(theirs.value)


def test_takes_memoryview_as_psycopg_passes_it():
    value = utc_timestamptz_loader()(TIMESTAMPTZ).load(memoryview(b"2026-11-27 13:25:04+00"))
    assert value == datetime(2026, 11, 27, 13, 25, 4, tzinfo=UTC)


@pytest.mark.django_db
def test_postgresql_connections_use_it_and_read_the_same_instants():
    if connection.vendor != "postgresql":
        pytest.skip("the loader is for PostgreSQL connections")
    connection.ensure_connection()
    with connection.cursor():  # Django's cursor has had its say about the loader
        pass
    loader = connection.connection.adapters.get_loader(TIMESTAMPTZ, psycopg.pq.Format.TEXT)
    assert loader is utc_timestamptz_loader(), _upgrade(
        "Django's cursor replaced the loader registered on the connection",
        "UtcTimestamptzLoader",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::timestamptz, '2026-11-27 15:25:04.000123+02'::timestamptz",
            [datetime(2026, 11, 27, 13, 25, 4, 123, tzinfo=UTC)],
        )
        first, second = cursor.fetchone()
    assert first == second == datetime(2026, 11, 27, 13, 25, 4, 123, tzinfo=UTC)
    assert first.tzinfo is UTC


def test_sqlite_installations_need_not_load_the_postgresql_backend():
    """The loader class is made on first use, so importing the module loads neither
    psycopg nor Django's PostgreSQL backend."""
    import subprocess
    import sys

    code = (
        "import os, sys, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
        "'kintsugi.settings'); django.setup(); import kintsugi.django_internals; "
        "print('psycopg' in sys.modules, 'django.db.backends.postgresql.base' in sys.modules)"
    )
    environment = {"KINTSUGI_ENV": "test", "DATABASE_URL": "sqlite:///:memory:"}
    import os

    found = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.split() == ["False", "False"], found.stdout + found.stderr
    assert django_internals.use_fast_timestamps  # registered on PostgreSQL connections only


# 3. Django's session store, whose private read SessionStore replaces.


def test_djangos_session_store_still_reads_through_what_ours_overrides():
    why = "SessionStore"
    assert callable(getattr(DjangoSessionStore, "_get_session_from_db", None)), _upgrade(
        "django.contrib.sessions.backends.db.SessionStore._get_session_from_db is gone", why
    )
    assert _parameters(DjangoSessionStore._get_session_from_db) == ["self"], _upgrade(
        "SessionStore._get_session_from_db's signature", why
    )
    assert "self._get_session_from_db()" in inspect.getsource(DjangoSessionStore.load), _upgrade(
        "SessionStore.load no longer reads through _get_session_from_db", why
    )
    key = vars(SessionBase).get("_session_key")
    assert isinstance(key, property) and key.fset is not None, _upgrade(
        "SessionBase._session_key is no longer a settable property", why
    )
    assert (
        SessionStore.__qualname__ == DjangoSessionStore.__qualname__
    )  # key_salt: see its docstring
    assert SessionStore().key_salt == DjangoSessionStore().key_salt


@pytest.mark.django_db
def test_our_session_store_answers_what_djangos_answers():
    live = DjangoSessionStore()
    live["_auth_user_id"] = "7"
    live.create()
    expired = DjangoSessionStore()
    expired["note"] = "old"
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=datetime(2020, 1, 1, tzinfo=UTC)
    )
    for key in (live.session_key, expired.session_key, "nosuchsessionkey123"):
        ours, theirs = SessionStore(key), DjangoSessionStore(key)
        assert ours.load() == theirs.load()
        assert ours.session_key == theirs.session_key  # None unless the row is live
    assert SessionStore(live.session_key).load() == {"_auth_user_id": "7"}
