"""Reading fast: PostgreSQL timestamps at C speed, and queries compiled once.

Django reads ``timestamptz`` columns through its own loader, a subclass of psycopg's
pure-Python ``TimestamptzLoader`` (so that it can force the time zone it was configured
with); psycopg's C loader is final and cannot be subclassed. Parsing in Python costs about
3 µs a value: 1.5–3 ms on a post-mortem with 500 timeline events, and a share of every
list. With Django's settings here (``USE_TZ``, the connection in UTC) PostgreSQL sends
``2026-11-27 13:25:04.725198+00``, which ``datetime.fromisoformat`` (C) reads into the very
value Django's loader builds: same instant, ``datetime.timezone.utc``. Anything else (an
offset other than UTC, ``infinity``, a year before 1 or after 9999) goes to Django's loader
unchanged, so no value is read differently, only faster.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from django.db.models import Model, QuerySet

_fromisoformat = datetime.fromisoformat


class UtcTimestamptzLoader(BaseTzLoader):  # type: ignore[misc]
    timezone = UTC  # Django's cursor compares it before putting its own loader back

    def load(self, data: Any) -> Any:
        try:
            value = _fromisoformat(bytes(data).decode())
        except ValueError:
            return super().load(data)
        return value if value.tzinfo is UTC else super().load(data)


def use_fast_timestamps(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created``: on PostgreSQL, when Django reads timestamps in UTC."""
    if connection.vendor == "postgresql" and connection.timezone is UTC:
        connection.connection.adapters.register_loader("timestamptz", UtcTimestamptzLoader)


def attnames(model: type[Model]) -> list[str]:
    """A model's columns in the order ``Model.from_db`` takes them, for a ``values_list``
    read that builds instances without compiling (``PreparedRead``)."""
    return [column.attname for column in model._meta.concrete_fields]


_BIGINT_MIN, _BIGINT_MAX = -(2**63), 2**63 - 1


class PreparedRead:
    """A read whose SQL Django compiles once per process and database, then runs again
    with new ids.

    Compiling a queryset costs Django about a thousand Python calls, however few rows it
    reads: on the post-mortem page, a dozen small queries spent more time being compiled
    than being answered. ``build`` returns the queryset (``values_list``) for the ids it
    is given; it is called once with stand-in ids, which the compiled parameters then
    hold in known places, and each run puts the real ids there. Only for queries whose
    SQL does not depend on the ids' values (``pk=id``, ``incident_id=id``; not ``__in``
    lists, not ``None``): the stand-ins must all come back in the parameters, or the
    first run fails loudly. Rows go through Django's converters (SQLite's dates and
    times), as the ORM's own would. ``text=True``: the keys are strings (a session key),
    not ids. The compiled form is shared by the threads of a process: each run takes the
    running thread's connection; the converters read only settings (the time zone) from
    the connection it was compiled on.
    """

    _STAND_INS = tuple(-(2**62) - index for index in range(8))  # ids no row has
    _TEXT_STAND_INS = tuple(
        f"kintsugi-stand-in-{index}-{secrets.token_hex(8)}" for index in range(8)
    )

    def __init__(self, build: Callable[..., QuerySet[Any]], *, text: bool = False) -> None:
        self._build = build
        self._text = text
        self._compiled: dict[tuple[str, str], _Compiled] = {}

    def rows(self, *ids: int | str, using: str = DEFAULT_DB_ALIAS) -> list[tuple[Any, ...]]:
        connection = connections[using]
        compiled = self._compiled.get((using, connection.vendor))
        if compiled is None:
            compiled = self._compile(len(ids), using)
            self._compiled[(using, connection.vendor)] = compiled
        if self._text:
            ids = tuple(str(value) for value in ids)
        else:
            ids = tuple(int(value) for value in ids)
            if not all(_BIGINT_MIN <= value <= _BIGINT_MAX for value in ids):
                return []  # no row has such an id; the database would refuse the number
        params = list(compiled.params)
        for position, index in compiled.slots:
            params[position] = ids[index]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.width is not None:  # columns Django selected only to order by
            rows = [row[: compiled.width] for row in rows]
        if compiled.converters:
            converted = compiled.compiler.apply_converters(rows, compiled.converters)
            return [tuple(row) for row in converted]
        return rows

    def _compile(self, count: int, using: str) -> _Compiled:
        kind = str if self._text else int
        stand_ins: tuple[Any, ...] = (self._TEXT_STAND_INS if self._text else self._STAND_INS)[
            :count
        ]
        queryset = self._build(*stand_ins)
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
