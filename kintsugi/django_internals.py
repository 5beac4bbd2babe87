"""Every place Kintsugi leans on Django's (or psycopg's) private names, and why.

Elsewhere the code uses Django's public API only. What is here is kept because a benchmark
shows what it saves (``python -m bench.internals``; figures in docs/architecture.md), and
each internal has a test in tests/test_django_internals.py that fails with a message
naming it when an upgrade changes what it relies on.

1. ``PreparedRead``: the SQL compiler (``django.db.models.sql.compiler.SQLCompiler``):
   ``Query.get_compiler``, ``as_sql``, ``select``, ``col_count``, ``has_extra_select``,
   ``get_converters`` and ``apply_converters``. Compiling a queryset costs about a
   thousand Python calls however few rows it reads; compiled once and run again with new
   ids, the same SQL answers the same rows. Each read saves 0.2–3 ms of CPU; without them
   the post-mortem page, which makes a dozen, costs about 60% more (500 events) to 100%
   (a small one) on SQLite and PostgreSQL, the 5 Whys section 15–35%. Used by the
   post-mortem, why-tree and due-policy selectors, and by ``accounts.backends`` for the
   user each request reads (``get_user`` itself is public backend API).
2. ``utc_timestamptz_loader``: Django's ``BaseTzLoader``
   (``django.db.backends.postgresql.psycopg_any``), psycopg's pure-Python
   ``TimestamptzLoader`` it extends, and the ``timezone`` attribute that Django's
   ``DatabaseWrapper.create_cursor`` compares before putting its own loader back.
   Django parses each ``timestamptz`` in Python (about 3 µs); this reads the UTC ones
   with ``datetime.fromisoformat`` (C), hands anything else to Django's loader, and so
   reads no value differently, only faster: 500 values in 0.3–0.55 ms instead of
   1.6–1.9, about 2–2.6 ms (9–12%) of the 500-event post-mortem page on PostgreSQL.

3. ``SessionStore``: Django's database session store with its private
   ``_get_session_from_db`` (what ``load`` calls) overridden and ``_session_key`` set to
   ``None`` for an unknown or expired key, as Django's own stores do, so that the session
   read every signed-in request makes is a ``PreparedRead``: 0.2–0.7 ms of CPU a request,
   up to 8–11% of a page or htmx fragment (the post-mortem page, the 5 Whys section).

4. ``compiled_sql``: ``Query.get_compiler(using).as_sql()``, the SQL and parameters of a
   queryset, for statements the ORM cannot spell but whose parts it can: the debt
   dashboard's rollup (one grouped query read four times through a ``WITH``), the weekly
   review's counts and picks (one ``COUNT`` / ``ORDER BY ... LIMIT`` per part, in one
   statement) and the tally's stored facts read without Django's per-value converters.
   Django has no public way to get a queryset's parameterised SQL (``str(query)`` inlines
   the values unquoted); written out by hand, each statement would repeat the filters
   and the visibility rules that ``access.py`` builds as querysets.

Each fast path has a public twin (``PreparedRead.public_rows``, Django's own loader and
session store), which the tests and the benchmark compare it with.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import Model, QuerySet
from django.utils import timezone


def compiled_sql(queryset: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    """The SQL and parameters Django runs for ``queryset`` on its database, to be embedded
    in a larger statement run with ``cursor.execute`` (see 4. above)."""
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    return sql, tuple(params)


def attnames(model: type[Model]) -> list[str]:
    """A model's columns in the order ``Model.from_db`` takes them, for a ``values_list``
    read that builds instances without compiling (``PreparedRead``). Public API: the
    ``_meta`` Options API is documented."""
    return [column.attname for column in model._meta.concrete_fields]


_BIGINT_MIN, _BIGINT_MAX = -(2**63), 2**63 - 1


class PreparedRead:
    """A read whose SQL Django compiles once per process and database, then runs again
    with new ids.

    ``build`` returns the queryset (``values_list``) for the ids it is given; it is called
    once with stand-in ids, which the compiled parameters then hold in known places, and
    each run puts the real ids there. Only for queries whose SQL does not depend on the
    ids' values (``pk=id``, ``incident_id=id``; not ``__in`` lists, not ``None``): the
    stand-ins must all come back in the parameters, or the first run fails loudly. Rows
    go through Django's converters (SQLite's dates and times), as the ORM's own would.
    ``text=True``: the keys are strings (a session key), not ids. The compiled form is
    shared by the threads of a process: each run takes the running thread's connection;
    the converters read only settings (the time zone) from the connection it was
    compiled on.
    """

    _STAND_INS = tuple(-(2**62) - index for index in range(8))  # ids no row has
    _TEXT_STAND_INS = tuple(
        f"kintsugi-stand-in-{index}-{secrets.token_hex(8)}" for index in range(8)
    )

    # Every read made, so that a test compares each with the ORM's answer.
    made: ClassVar[list[PreparedRead]] = []

    def __init__(self, build: Callable[..., QuerySet[Any]], *, text: bool = False) -> None:
        self._build = build
        self._text = text
        self._compiled: dict[tuple[str, str], _Compiled] = {}
        self._model: type[Model] | None = None
        self._spare: tuple[int, QuerySet[Any]] | None = None
        PreparedRead.made.append(self)

    def rows(self, *ids: int | str, using: str | None = None) -> list[tuple[Any, ...]]:
        """``using``: the database alias; by default the one the routers choose for the
        model read, as the ORM would (a report's reads may go to a read replica)."""
        keys = self._keys(ids)
        if keys is None:
            return []  # no row has such an id; the database would refuse the number
        if using is None:
            if self._model is None:  # once per process: the model the read is of
                stand_ins = self._TEXT_STAND_INS if self._text else self._STAND_INS
                built = self._build(*stand_ins[: len(keys)])
                self._model, self._spare = built.model, (len(keys), built)
            using = router.db_for_read(self._model)
        connection = connections[using]
        compiled = self._compiled.get((using, connection.vendor))
        if compiled is None:
            compiled = self._compile(len(keys), using)
            self._compiled[(using, connection.vendor)] = compiled
        params = list(compiled.params)
        for position, index in compiled.slots:
            params[position] = keys[index]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.width is not None:  # columns Django selected only to order by
            rows = [row[: compiled.width] for row in rows]
        if compiled.converters:
            converted = compiled.compiler.apply_converters(rows, compiled.converters)
            return [tuple(row) for row in converted]
        return rows

    def public_rows(self, *ids: int | str, using: str = DEFAULT_DB_ALIAS) -> list[tuple[Any, ...]]:
        """The same rows through the ORM, compiled anew: what ``rows`` stands in for."""
        keys = self._keys(ids)
        if keys is None:
            return []
        return [tuple(row) for row in self._build(*keys).using(using)]

    def _keys(self, ids: tuple[int | str, ...]) -> tuple[Any, ...] | None:
        if self._text:
            return tuple(str(value) for value in ids)
        numbers = tuple(int(value) for value in ids)
        if not all(_BIGINT_MIN <= value <= _BIGINT_MAX for value in numbers):
            return None
        return numbers

    def _compile(self, count: int, using: str) -> _Compiled:
        kind = str if self._text else int
        stand_ins: tuple[Any, ...] = (self._TEXT_STAND_INS if self._text else self._STAND_INS)[
            :count
        ]
        spare, self._spare = self._spare, None  # built to learn the model: compile it
        queryset = spare[1] if spare and spare[0] == count else self._build(*stand_ins)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots = [
            (position, stand_ins.index(value))
            for position, value in enumerate(params)
            if type(value) is kind and value in stand_ins
        ]
        missing = set(range(count)) - {index for _, index in slots}
        if missing:
            raise ValueError(f"PreparedRead: ids {sorted(missing)} are not plain parameters")
        fields = [column for column, _, _ in compiler.select[: compiler.col_count]]
        width = compiler.col_count if compiler.has_extra_select else None
        converters = compiler.get_converters(fields)
        return _Compiled(sql, tuple(params), slots, width, compiler, converters)


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: list[tuple[int, int]]  # (place in params, index of the key that goes there)
    width: int | None
    compiler: Any
    converters: dict[int, Any]


class SessionStore(DatabaseSessionStore):
    """Django's database session store, its one read (the row by its key) a
    ``PreparedRead``; the expiry is compared here rather than in SQL, so that the only
    parameter is the key. Writes, expiry and ``clearsessions`` are Django's own.

    Named ``SessionStore`` as Django's is: the class's name salts the signature of the
    session data (``SessionBase.key_salt``), and another name would sign everyone out.
    """

    def _get_session_from_db(self) -> Any:
        model = self.model
        rows = session_read(model).rows(self.session_key)
        if rows:
            session = model.from_db(router.db_for_read(model), _SESSION_FIELDS[model], rows[0])
            if session.expire_date > timezone.now():
                return session
        self._session_key = None  # as Django's: an unknown or expired key starts afresh
        return None


_SESSION_READS: dict[type[Model], PreparedRead] = {}
_SESSION_FIELDS: dict[type[Model], list[str]] = {}


def session_read(model: Any) -> PreparedRead:
    """The session row by its key, every column, for ``model`` (Django's ``Session``)."""
    read = _SESSION_READS.get(model)
    if read is None:
        fields = _SESSION_FIELDS[model] = attnames(model)
        read = _SESSION_READS[model] = PreparedRead(
            lambda key: model.objects.filter(session_key=key).values_list(*fields), text=True
        )
    return read


@functools.cache
def utc_timestamptz_loader() -> type:
    """The loader class, made on first use: it extends Django's PostgreSQL backend, which
    imports psycopg, and a SQLite installation need not load either."""
    from django.db.backends.postgresql.psycopg_any import BaseTzLoader

    class UtcTimestamptzLoader(BaseTzLoader):  # type: ignore[misc,valid-type]
        """Django's loader for a connection in UTC, reading UTC values in C.

        With ``USE_TZ`` and the connection in UTC, PostgreSQL sends
        ``2026-11-27 13:25:04.725198+00``, which ``datetime.fromisoformat`` reads into the
        very value Django's loader builds: same instant, ``datetime.timezone.utc``.
        Anything else (another offset, ``infinity``, a year outside 1–9999) goes to
        Django's loader unchanged."""

        timezone = UTC  # Django's cursor compares it before putting its own loader back

        def load(self, data: Any) -> Any:
            try:
                value = _fromisoformat(bytes(data).decode())
            except ValueError:
                return super().load(data)
            return value if value.tzinfo is UTC else super().load(data)

    return UtcTimestamptzLoader


_fromisoformat = datetime.fromisoformat


def use_fast_timestamps(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created``: on PostgreSQL, when Django reads timestamps in UTC."""
    if connection.vendor == "postgresql" and connection.timezone is UTC:
        connection.connection.adapters.register_loader("timestamptz", utc_timestamptz_loader())
