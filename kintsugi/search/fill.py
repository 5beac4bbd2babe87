"""Writing a source's search entries online, in bounded batches (issue 20).

A migration that makes a new source searchable installs its triggers (fast: from then on
every write is indexed) and queues the rows already written here (``IndexFill``), instead
of indexing a whole table inside the migration's transaction. The worker fills for a time
budget per pass (``KINTSUGI_SEARCH_FILL_MS``); ``kintsugi search-index --fill`` runs it to
the end, which the upgrade notes name (docs/operations.md, "Upgrades"). Each batch is its
own transaction, and search answers from the entries already there meanwhile.

Workers that overlap take different sources: a fill row is claimed with ``FOR UPDATE SKIP
LOCKED`` on PostgreSQL for the length of one batch (SQLite writes one at a time anyway).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections, router, transaction

from kintsugi.search import triggers
from kintsugi.search.models import IndexFill
from kintsugi.search.sources import SOURCES

BATCH = 2_000


@dataclass
class FillReport:
    entries_batches: int = 0
    done: list[str] = field(default_factory=list)  # sources finished in this run
    pending: list[str] = field(default_factory=list)  # sources still queued after it

    def __str__(self) -> str:
        finished = f", finished: {', '.join(self.done)}" if self.done else ""
        waiting = f", still queued: {', '.join(self.pending)}" if self.pending else ""
        return f"{self.entries_batches} batch(es){finished}{waiting}"


def queue(kinds: list[str] | None = None, *, rewrite: bool = False) -> list[str]:
    """Queue sources (every one by default) to be filled from their first row; returns
    their kinds. An unknown kind is refused with the list of known ones."""
    known = [source.kind for source in SOURCES]
    chosen = kinds or known
    unknown = [kind for kind in chosen if kind not in known]
    if unknown:
        raise ValueError(
            f"No search source is called {', '.join(unknown)}; known: {', '.join(known)}."
        )
    for kind in chosen:
        IndexFill.objects.update_or_create(kind=kind, defaults={"after_id": 0, "rewrite": rewrite})
    return chosen


def fill_pending(
    *,
    seconds: float | None = None,
    batch: int = BATCH,
    clock: Callable[[], float] = time.monotonic,
) -> FillReport:
    """Fill queued sources until they are done or ``seconds`` (``KINTSUGI_SEARCH_FILL_MS``
    by default; 0 means no limit) are spent. At least
    one batch runs when anything is queued, so a short budget still makes progress."""
    budget = settings.KINTSUGI_SEARCH_FILL_MS / 1000 if seconds is None else seconds
    start = clock()
    report = FillReport()
    by_kind = {source.kind: source for source in SOURCES}
    using = router.db_for_write(IndexFill)
    connection = connections[using]
    skip: set[str] = set()
    while True:
        with transaction.atomic(using=using):
            claim = IndexFill.objects.using(using).exclude(kind__in=skip).order_by("queued_at")
            if connection.features.has_select_for_update_skip_locked:
                claim = claim.select_for_update(skip_locked=True)
            row = claim.first()
            if row is None:
                break
            source = by_kind.get(row.kind)
            last = (
                None
                if source is None  # a source this release no longer has
                else triggers.fill_range(
                    connection, source, row.after_id, batch, rewrite=row.rewrite
                )
            )
            report.entries_batches += 1
            if last is None:
                kind = row.kind  # (delete() clears the primary key, which the kind is)
                row.delete()
                report.done.append(kind)
                skip.add(kind)
            else:
                IndexFill.objects.using(using).filter(kind=row.kind).update(after_id=last)
        if budget and clock() - start >= budget:
            break
    report.pending = list(IndexFill.objects.using(using).values_list("kind", flat=True))
    return report
