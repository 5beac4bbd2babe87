"""Read replicas for reports (issue 20): a database router and the views it applies to.

With ``KINTSUGI_REPLICA_DATABASE_URL`` set, ``settings.DATABASES`` has a ``replica`` alias,
and the reads of the report views named in ``settings.KINTSUGI_REPLICA_VIEWS`` (Insights,
search, exports: pages that read across many post-mortems or the whole of one, and change
nothing) go to it, so that the primary keeps its CPU for editors. Everything else reads
the primary, and so does any read:

- outside such a view (the post-mortem page, saves, the worker, commands);
- of sign-in data (users, tokens, sessions): a revoked token or a changed password must
  not keep working on a replica for as long as it lags;
- while the primary has a transaction open (a write, ``select_for_update``): what a
  transaction reads it must read from where it writes.

Every write goes to the primary. The replica is PostgreSQL's own streaming replication
(docs/operations.md, "Read replicas"); Kintsugi never migrates or writes it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

REPLICA = "replica"
RETRY_SECONDS = 30
# When this process may try the replica again (monotonic seconds); per process on purpose:
# each finds out for itself, and it holds no data that could go stale.
_down_until = [0.0]
# Sign-in and the bookkeeping of Django itself stay on the primary (see above).
PRIMARY_ONLY = frozenset({"accounts", "sessions", "auth", "contenttypes", "admin", "sso"})

_reports: ContextVar[bool] = ContextVar("kintsugi_replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads in this block may go to the replica (when one is configured)."""
    token = _reports.set(True)
    try:
        yield
    finally:
        _reports.reset(token)


class ReplicaRouter:
    """Django's router: ``None`` means "the default", which is the primary."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if not _reports.get() or not replica_configured():
            return None
        if model._meta.app_label in PRIMARY_ONLY:
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None
        return REPLICA

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # The replica holds the primary's rows: an incident read there and its team read
        # here are the same data.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return None


class ReplicaReadsMiddleware:
    """Runs the report views with their reads on the replica; every other view reads the
    primary. A report the replica cannot answer (down, or a query cancelled by a conflict
    with recovery) runs again on the primary, and this process leaves the replica alone
    for ``RETRY_SECONDS``: a replica's trouble slows reports down, it does not break them.
    A report view changes nothing, so running it twice is safe.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.views = frozenset(getattr(settings, "KINTSUGI_REPLICA_VIEWS", ()))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if not (
            replica_configured()
            and request.method in {"GET", "HEAD"}
            and match is not None
            and match.view_name in self.views
            and time.monotonic() >= _down_until[0]
        ):
            return None
        try:
            with replica_reads():
                response: HttpResponse = view(request, *args, **kwargs)
                return response
        except (OperationalError, InterfaceError) as error:
            _down_until[0] = time.monotonic() + RETRY_SECONDS
            connections[REPLICA].close_if_unusable_or_obsolete()
            logger.warning(
                "Read replica failed (%s); reading reports from the primary for %d s",
                str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error),
                RETRY_SECONDS,
            )
            return None  # Django runs the view itself, on the primary
