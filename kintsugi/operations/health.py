"""Liveness and readiness for load balancers and orchestrators (docs/operations.md).

``/livez`` answers while the process can answer at all: it touches nothing, so a database
outage does not make an orchestrator restart every web server. ``/readyz`` answers 200 only
when the database answers and is migrated, so a server is put in rotation when it can serve.
It also reports the worker's heartbeat, but a stopped worker does not make the web servers
unready: that would turn late reminders into an outage. ``/metrics`` and the alert rules in
``deploy/prometheus/`` watch the worker instead.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from kintsugi.operations.heartbeat import last_pass_age

logger = logging.getLogger(__name__)
NO_STORE = {"Cache-Control": "no-store"}
# Reading the migration graph costs tens of milliseconds; once this process has seen the
# schema up to date it stays so (a migration is applied before a new release starts).
_migrated = False


@login_not_required
@never_cache
def livez(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "alive"}, headers=NO_STORE)


@login_not_required
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    global _migrated
    try:
        pending = [] if _migrated else _pending()
        age = last_pass_age()
    except DatabaseError as error:
        logger.warning("readyz: the database did not answer: %s", error)
        return JsonResponse(
            {"status": "unavailable", "database": "unreachable"},
            status=503,
            headers={**NO_STORE, "Retry-After": "10"},
        )
    if pending:
        return JsonResponse(
            {"status": "unavailable", "database": "not migrated", "pending": len(pending)},
            status=503,
            headers={**NO_STORE, "Retry-After": "30"},
        )
    _migrated = True
    if age is None:
        worker = {"state": "never seen"}
    else:
        stale = age > settings.KINTSUGI_WORKER_STALE_SECONDS
        worker = {"state": "stale" if stale else "ok", "last_pass_age_seconds": round(age, 1)}
    return JsonResponse({"status": "ready", "database": "ok", "worker": worker}, headers=NO_STORE)


def _pending() -> list[object]:
    executor = MigrationExecutor(connection)
    return list(executor.migration_plan(executor.loader.graph.leaf_nodes()))
