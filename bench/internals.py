"""What each use of Django's internals saves (issue 15), measured against the public API.

``kintsugi/django_internals.py`` keeps a few fast paths that lean on Django's private
names; each must earn its place. This times, in one process and interleaved (the machine
is shared and noisy, so the variants take turns rather than running one after another):

- every ``PreparedRead`` against the ORM's own ``list(queryset)``, per call, in µs;
- the session and user reads each request makes against Django's store and backend;
- on PostgreSQL, the timestamp loader against Django's, reading a 500-event timeline;
- the pages, with every fast path on, then with each group of them (and all of them)
  replaced by the public API.

Times are CPU time of this process (``time.process_time``), medians of medians.

Every pair is checked to give identical answers before it is timed. Run it on the data
``make bench`` generated::

    DATABASE_URL=sqlite:///$PWD/bench-data/bench.sqlite3 .venv/bin/python -m bench.internals
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kintsugi.settings")
os.environ.setdefault("KINTSUGI_ENV", "test")
django.setup()

from django.contrib.auth.backends import ModelBackend  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore as StockSessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench.generate import big_incident  # noqa: E402
from kintsugi import django_internals  # noqa: E402
from kintsugi.accounts import backends  # noqa: E402
from kintsugi.accounts.models import User  # noqa: E402
from kintsugi.debt.selectors import policy  # noqa: E402
from kintsugi.five_whys import selectors as analysis_selectors  # noqa: E402
from kintsugi.postmortems import selectors as postmortem_selectors  # noqa: E402
from kintsugi.postmortems.models import Incident, TimelineEvent  # noqa: E402

PreparedRead = django_internals.PreparedRead
SessionStore = django_internals.SessionStore
SESSION = django_internals.session_read(Session)


def _median_us(run: Callable[[], Any], n: int) -> float:
    """CPU time of this process, not the wall clock: the fast paths change only the work
    done here (the SQL is the same), and on a shared machine the wall clock mostly
    measures the neighbours."""
    samples = []
    for _ in range(n):
        begin = time.process_time()
        run()
        samples.append((time.process_time() - begin) * 1e6)
    return statistics.median(samples)


def _interleaved(pairs: dict[str, Callable[[], Any]], n: int, rounds: int) -> dict[str, float]:
    """The median of each variant's per-round medians, the variants taking turns."""
    found: dict[str, list[float]] = {name: [] for name in pairs}
    for _ in range(rounds):
        for name, run in pairs.items():
            found[name].append(_median_us(run, n))
    return {name: statistics.median(values) for name, values in found.items()}


def _reads(
    incident: int, small: int, user: int, team: int
) -> list[tuple[str, PreparedRead, tuple]]:
    return [
        ("session by key", SESSION, ()),  # the key is filled in below
        ("user by id", backends._USER, (user,)),
        ("incident (admin)", postmortem_selectors._INCIDENT_FOR_ADMIN, (incident,)),
        ("incident (non-admin)", postmortem_selectors._INCIDENT_FOR_NON_ADMIN, (incident, user)),
        ("timeline, 500 events", postmortem_selectors._TIMELINE, (incident,)),
        ("timeline, small incident", postmortem_selectors._TIMELINE, (small,)),
        ("factors + evidence", postmortem_selectors._FACTORS, (incident,)),
        ("lessons", postmortem_selectors._LESSONS, (incident,)),
        ("action items", postmortem_selectors._ACTION_ITEMS, (incident,)),
        ("services + people", postmortem_selectors._PEOPLE_AND_SERVICES, (incident,)),
        ("why-tree nodes", analysis_selectors._NODES, (incident,)),
        ("why-tree links", analysis_selectors._LINKS, (incident,)),
        ("every due policy", policy._EVERY_POLICY, ()),
        ("one team's due policy", policy._ONE_TEAM, (team,)),
    ]


def time_reads(session_key: str, n: int, rounds: int) -> None:
    user = User.objects.get(username="bench").pk
    incident = big_incident()
    small = Incident.objects.order_by("id").values_list("pk", flat=True)[5]
    team = Incident.objects.filter(team__isnull=False).values_list("team_id", flat=True)[0]
    print(f"[{connection.vendor}] {'read (per call)':32} {'prepared µs':>12} {'ORM µs':>10}  saves")
    for label, read, ids in _reads(incident, small, user, team):
        ids = ids or ((session_key,) if read is SESSION else ())
        fast, public = read.rows(*ids), read.public_rows(*ids)
        assert fast == public, (label, fast[:2], public[:2])
        pair = {"fast": read.rows, "public": read.public_rows}
        found = _interleaved(
            {name: functools.partial(run, *ids) for name, run in pair.items()}, n, rounds
        )
        _saved(label, found)
    ours, stock = SessionStore(session_key), StockSessionStore(session_key)
    assert ours.load() == stock.load()
    found = _interleaved(
        {
            "fast": lambda: SessionStore(session_key).load(),
            "public": lambda: StockSessionStore(session_key).load(),
        },
        n,
        rounds,
    )
    _saved("session load (whole store)", found)
    backend = backends.UserBackend()
    assert backend.get_user(user).__dict__.keys() == ModelBackend().get_user(user).__dict__.keys()
    found = _interleaved(
        {
            "fast": lambda: backend.get_user(user),
            "public": lambda: ModelBackend.get_user(backend, user),
        },
        n,
        rounds,
    )
    _saved("get_user (whole backend call)", found)


def _saved(label: str, found: dict[str, float]) -> None:
    saved = found["public"] - found["fast"]
    print(
        f"[{connection.vendor}] {label:32} {found['fast']:12.0f} {found['public']:10.0f}"
        f"  {saved:5.0f} µs ({saved / found['public']:.0%})",
        flush=True,
    )


@contextmanager
def _django_timestamps() -> Iterator[None]:
    """PostgreSQL with Django's own timestamp loader, on this and any new connection."""
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    original = django_internals.use_fast_timestamps
    django_internals.use_fast_timestamps = lambda *args, **kwargs: None
    connection.ensure_connection()
    register_tzloader(connection.timezone, connection.connection)
    try:
        yield
    finally:
        django_internals.use_fast_timestamps = original
        connection.ensure_connection()
        original(None, connection)


def time_timestamps(n: int, rounds: int) -> None:
    if connection.vendor != "postgresql":
        return
    incident = big_incident()
    table = connection.ops.quote_name(TimelineEvent._meta.db_table)
    sql = f"SELECT occurred_at FROM {table} WHERE incident_id = %s"

    def read() -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(sql, [incident])
            return cursor.fetchall()

    fast = read()
    with _django_timestamps():
        assert read() == fast and all(
            v.tzinfo is w.tzinfo for v, w in zip(read()[0], fast[0], strict=True)
        )
    found: dict[str, list[float]] = {"fast": [], "public": []}
    for _ in range(rounds):
        found["fast"].append(_median_us(read, n))
        with _django_timestamps():
            found["public"].append(_median_us(read, n))
    medians = {name: statistics.median(values) for name, values in found.items()}
    _saved(f"timestamps, {len(fast)} rows", medians)


# The fast paths by what they serve, each replaceable by the public API on its own.
GROUPS = ("session", "user", "post-mortem reads", "why-tree reads", "due policy", "timestamps")


def _group_reads() -> dict[str, list[PreparedRead]]:
    return {
        "session": [SESSION],
        "user": [backends._USER],
        "post-mortem reads": [
            postmortem_selectors._INCIDENT_FOR_ADMIN,
            postmortem_selectors._INCIDENT_FOR_NON_ADMIN,
            postmortem_selectors._TIMELINE,
            postmortem_selectors._FACTORS,
            postmortem_selectors._LESSONS,
            postmortem_selectors._ACTION_ITEMS,
            postmortem_selectors._PEOPLE_AND_SERVICES,
        ],
        "why-tree reads": [analysis_selectors._NODES, analysis_selectors._LINKS],
        "due policy": [policy._EVERY_POLICY, policy._ONE_TEAM],
    }


@contextmanager
def _public_api(groups: tuple[str, ...]) -> Iterator[None]:
    """The fast paths of ``groups`` replaced by the public API they stand in for."""
    reads = [read for name, found in _group_reads().items() if name in groups for read in found]
    for read in reads:
        read.rows = read.public_rows  # type: ignore[method-assign]
    own_session = SessionStore._get_session_from_db
    own_get_user = backends.UserBackend.get_user
    if "session" in groups:
        SessionStore._get_session_from_db = StockSessionStore._get_session_from_db
    if "user" in groups:
        backends.UserBackend.get_user = ModelBackend.get_user  # type: ignore[method-assign]
    timestamps = None
    if "timestamps" in groups and connection.vendor == "postgresql":
        timestamps = _django_timestamps()
        timestamps.__enter__()
    try:
        yield
    finally:
        if timestamps:
            timestamps.__exit__(None, None, None)
        SessionStore._get_session_from_db = own_session
        backends.UserBackend.get_user = own_get_user  # type: ignore[method-assign]
        for read in reads:
            del read.rows


def time_pages(client: Client, n: int, rounds: int) -> None:
    big = big_incident()
    small = Incident.objects.order_by("id").values_list("pk", flat=True)[5]
    hx = {"HTTP_HX_REQUEST": "true"}
    pages = [
        ("list page", "/", {}),
        ("post-mortem page (500 events)", f"/incidents/{big}/", {}),
        ("post-mortem page (small)", f"/incidents/{small}/", {}),
        ("5 Whys section (htmx)", f"/incidents/{big}/five-whys/", hx),
        ("recurrence (htmx)", f"/debt/incidents/{big}/recurrence/", hx),
        ("debt dashboard, one team", "/debt/?team=team-3", {}),
    ]
    for _label, url, headers in pages:
        for _ in range(3):
            assert client.get(url, **headers).status_code == 200, url
    variants = {"all public": GROUPS, **{group: (group,) for group in GROUPS}}
    if connection.vendor != "postgresql":
        del variants["timestamps"]
    print(
        f"[{connection.vendor}] page: median ms with every fast path; then what replacing"
        " each group by the public API costs (ms, share of the page)"
    )
    for label, url, headers in pages:
        get = functools.partial(client.get, url, **headers)
        found: dict[str, list[float]] = {"fast": [], **{name: [] for name in variants}}
        for round_ in range(rounds):
            order = list(variants.items())
            if round_ % 2:
                order.reverse()  # neither side always runs first
            for name, groups in order:
                found["fast"].append(_median_us(get, n))
                with _public_api(groups):
                    found[name].append(_median_us(get, n))
        medians = {name: statistics.median(values) / 1000 for name, values in found.items()}
        fast = medians.pop("fast")
        costs = "; ".join(
            f"{name} +{slower - fast:.2f} ({(slower - fast) / fast:+.0%})"
            for name, slower in medians.items()
        )
        print(f"[{connection.vendor}] {label:30} {fast:7.2f}  {costs}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=200, help="Calls per read per round.")
    parser.add_argument("--requests", type=int, default=20, help="Requests per page per round.")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if not User.objects.filter(username="bench").exists():
        raise SystemExit("No bench data here: run `make bench` on this database first.")
    import kintsugi.wsgi  # noqa: F401  (as a server process: freezes start-up objects)

    setup_test_environment()
    client = Client()
    client.force_login(User.objects.get(username="bench"))
    session_key = client.session.session_key
    time_reads(session_key, args.calls, args.rounds)
    time_timestamps(max(10, args.calls // 10), args.rounds)
    time_pages(client, args.requests, args.rounds)


if __name__ == "__main__":
    main()
