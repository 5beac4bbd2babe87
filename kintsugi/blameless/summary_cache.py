"""The findings of a post-mortem, linted once per version (issue 20).

Every post-mortem page loads the blamelessness summary, the review panel lists the same
findings, and linting every field of a 500-event post-mortem costs about 150 ms of CPU.
The findings depend only on what this module's key digests:

- the engine: a digest of the language and 5 Whys rules' source files (a new release
  with other rules gives other keys), computed once per process;
- the organisation's settings and people: the ``stamp`` of the settings row, which
  changes whenever either does (``services``, ``signals``);
- the incident's own text fields, digested from the row the caller already read;
- each kind of part (timeline events, factors, lessons, action items, 5 Whys steps):
  its count, the sum of its versions and its highest id, and the 5 Whys tree's version.
  Every edit bumps a version, ids only grow, so the same three numbers mean the same
  rows at the same versions. One query.

The key is read *before* the parts are linted: an edit that lands in between leaves a
row under the older key, which the next read recomputes, never a stale summary under a
new key. Rows live in ``SummaryCache`` (one per incident), so every app server shares
them and none keeps state of its own.

**A read never writes** (issue 20): a GET that misses lints without storing. Rows are
written by writes: ``signals`` schedule :func:`summary_store` after the commit of any
transaction that changed an incident or a part, the publishing gate stores what it
linted, and the worker fills incidents that have no row yet (:func:`fill_missing`). The
row also keeps the rendered summary fragment, rendered by whatever the web app registered
(:func:`register_renderer`; this app renders nothing), keyed with the same key plus the
renderer's stamp, so a GET of an unchanged post-mortem sends stored HTML.

**Writes in bulk do not lint per event** (issue 20: alert capture fell from 954 to 818
events/s when every delivery linted its whole incident after the commit). The commit hook
stores at most once per incident per transaction, and it stores only for a web edit of a
post-mortem small enough (``KINTSUGI_SUMMARY_INLINE_PARTS``); capture, webhooks and
imports run inside :func:`deferred`, and they and large post-mortems only drop the row,
which the worker's :func:`fill_missing` stores again. The worker fills for a time budget
per pass (``KINTSUGI_SUMMARY_FILL_MS``), most recently changed incidents first, and finds
rows of an older release or settings by their ``generation`` (one query), so an upgrade
that changes every key is refilled in minutes, not in 20-incident passes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Q

import kintsugi
from kintsugi.blameless.models import SINGLETON_PK, LanguageSettings, SummaryCache
from kintsugi.blameless.selectors import (
    INCIDENT_FIELDS,
    FieldFinding,
    incident_findings,
    incident_whys_findings,
)
from kintsugi.blameless.services import organisation_linter
from kintsugi.core.five_whys import Finding as WhyFinding
from kintsugi.core.five_whys import FindingSeverity, Location
from kintsugi.core.language import Finding, Level
from kintsugi.five_whys.models import Analysis, WhyNode
from kintsugi.postmortems.models import ActionItem, Factor, Incident, Lesson, TimelineEvent

_KINDS = (TimelineEvent, Factor, Lesson, ActionItem, WhyNode)

logger = logging.getLogger(__name__)

# Set while capture, a webhook or an import writes: their commits leave the summary to the
# worker (``deferred``). A context variable, so one thread's ingest defers nothing of
# another thread's web edit.
_deferring: ContextVar[bool] = ContextVar("summary_deferring", default=False)


@contextmanager
def deferred() -> Iterator[None]:
    """Writes inside leave their incidents' summaries to the worker: what bulk writers
    (capture deliveries, webhooks, imports) wrap their transaction in, so an ingest of
    many events never lints a whole post-mortem per delivery."""
    token = _deferring.set(True)
    try:
        yield
    finally:
        _deferring.reset(token)


# (stamp of the templates, render(incident, mode, findings, whys) -> HTML), set by the web app.
Renderer = Callable[[Incident, str, list[FieldFinding], list[WhyFinding]], str]
_renderer: tuple[str, Renderer] | None = None


def register_renderer(stamp: str, render: Renderer) -> None:
    """The web app hands down how it renders the summary (this app sits below it)."""
    global _renderer  # noqa: PLW0603 - set once at start-up, in AppConfig.ready()
    _renderer = (stamp, render)


@dataclass(frozen=True)
class Summary:
    mode: str
    findings: list[FieldFinding]
    whys: list[WhyFinding]
    fragment: str  # the stored rendered fragment, "" when there is none for this key


# Bump when the stored shape of the findings changes: older rows then miss.
_FORMAT = 1


@cache
def engine_digest() -> str:
    """What the rules are in this release: their files' contents, not their dates, so app
    servers of one release agree and a changed rule is a new key."""
    digest = hashlib.sha256(kintsugi.__version__.encode())
    root = Path(kintsugi.__file__).parent / "core"
    for package in ("language", "five_whys"):
        for path in sorted((root / package).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _settings() -> tuple[str, str]:
    """The settings' stamp and publishing mode, one primary-key read. The linter itself is
    not needed on a hit (building it costs a new process hundreds of milliseconds)."""
    row = LanguageSettings.objects.filter(pk=SINGLETON_PK).values_list("stamp", "publishing_mode")
    found = row.first()
    if found is None:  # a new database: create the row with the defaults
        linter = organisation_linter()
        return linter.stamp, linter.publishing_mode
    return found[0], found[1]


@cache
def _totals_sql() -> str:
    """One statement for every kind: compiling six querysets cost more than running them."""
    selects = [
        f"SELECT {index}, COUNT(id), SUM(version), MAX(id) FROM {model._meta.db_table} "  # noqa: S608 - table names from the models
        "WHERE incident_id = %s"
        for index, model in enumerate(_KINDS)
    ]
    selects.append(
        f"SELECT {len(_KINDS)}, COUNT(*), MAX(version), NULL FROM {Analysis._meta.db_table} "  # noqa: S608
        "WHERE incident_id = %s"
    )
    return " UNION ALL ".join(selects)


def _parts_totals(incident_id: int) -> list[tuple[int, int, int | None, int | None]]:
    """Per kind of part: (kind, count, sum of versions, highest id); the tree's version as
    the last kind. One query; aggregates without GROUP BY answer one row even for none."""
    with connections[router.db_for_read(TimelineEvent)].cursor() as cursor:
        cursor.execute(_totals_sql(), [incident_id] * (len(_KINDS) + 1))
        return sorted(tuple(row) for row in cursor.fetchall())


def generation(stamp: str) -> str:
    """What the key digests besides the incident (format, rules, templates, settings):
    stored with the row so the worker finds the rows an upgrade or a settings change made
    stale with one query (the key itself can only be compared row by row)."""
    renderer = _renderer[0] if _renderer else ""
    parts = [_FORMAT, engine_digest(), renderer, stamp]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:16]


def _current_generation() -> str:
    return generation(_settings()[0])


def summary_key(incident: Incident, stamp: str, changes: Mapping[str, object] | None = None) -> str:
    changes = changes or {}
    texts = [str(changes.get(name, getattr(incident, name, "")) or "") for name, _l, _a in
             INCIDENT_FIELDS]  # fmt: skip
    renderer = _renderer[0] if _renderer else ""
    parts = [_FORMAT, engine_digest(), renderer, stamp, incident.pk, texts,
             _parts_totals(incident.pk)]  # fmt: skip
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def summary_read(incident: Incident, *, changes: Mapping[str, object] | None = None) -> Summary:
    """The summary, from the stored row when its key matches (three short queries), else
    linted now and **not stored**: a read never writes."""
    stamp, mode = _settings()
    key = summary_key(incident, stamp, changes)
    stored = SummaryCache.objects.filter(incident_id=incident.pk)
    row = stored.values_list("key", "findings", "fragment").first()
    if row is not None and row[0] == key:
        decoded = _decode(row[1])
        if decoded is not None:
            return Summary(mode, *decoded, fragment=row[2] or "")
    return Summary(mode, *_lint(incident, changes), fragment="")


def summary_store(
    incident: Incident, *, changes: Mapping[str, object] | None = None, force: bool = False
) -> Summary:
    """Lint (unless the stored row has this key and ``force`` is off), render and store.
    For writes only: the service that saved, the commit hook, the worker."""
    stamp, mode = _settings()
    key = summary_key(incident, stamp, changes)
    current = generation(stamp)
    row = SummaryCache.objects.filter(incident_id=incident.pk)
    found = None if force else row.values_list("key", "findings", "fragment", "generation").first()
    decoded = _decode(found[1]) if found is not None and found[0] == key else None
    if decoded is not None and found is not None and found[2]:
        if found[3] != current:  # a row from before the column: the key says it is current
            row.update(generation=current)
        return Summary(mode, *decoded, fragment=found[2])
    findings, whys = decoded if decoded is not None else _lint(incident, changes)
    fragment = _renderer[1](incident, mode, findings, whys) if _renderer else ""
    SummaryCache.objects.bulk_create(
        [
            SummaryCache(
                incident_id=incident.pk,
                key=key,
                findings=_encode(findings, whys),
                fragment=fragment,
                generation=current,
            )
        ],  # fmt: skip
        update_conflicts=True,
        unique_fields=["incident"],
        update_fields=["key", "findings", "fragment", "generation", "computed_at"],
    )
    return Summary(mode, findings, whys, fragment)


def cached_findings(
    incident: Incident, *, changes: Mapping[str, object] | None = None, store: bool = False
) -> tuple[str, list[FieldFinding], list[WhyFinding]]:
    """(publishing mode, language findings, 5 Whys findings); stored only when ``store``."""
    summary = (summary_store if store else summary_read)(incident, changes=changes)
    return summary.mode, summary.findings, summary.whys


def _lint(
    incident: Incident, changes: Mapping[str, object] | None
) -> tuple[list[FieldFinding], list[WhyFinding]]:
    return incident_findings(incident, changes=changes), incident_whys_findings(incident)


def store_after_commit(incident_id: int, *, using: str) -> None:
    """Store the incident's summary once the current transaction commits (once per
    incident however many of its parts the transaction saved). A rolled-back transaction
    drops the callback with everything else.

    Inside :func:`deferred` (capture, webhooks, imports), or for a post-mortem with more
    parts than ``KINTSUGI_SUMMARY_INLINE_PARTS``, the row is dropped instead (one DELETE,
    no lint) and the worker stores it (:func:`fill_missing`): a web edit of an ordinary
    post-mortem still finds its summary stored on the next page, and ingest pays no lint.
    """
    connection = connections[using]
    defer = _deferring.get()
    if connection.in_atomic_block:
        for _sids, func, _robust in connection.run_on_commit:
            if isinstance(func, _StoreAfterCommit) and func.summary_incident == incident_id:
                func.summary_defer = func.summary_defer or defer  # a deferred write wins
                return
    # robust: the edit is committed; a failing summary is logged and linted on the next read.
    transaction.on_commit(_StoreAfterCommit(incident_id, defer), using=using, robust=True)


class _StoreAfterCommit:
    """The commit callback of one incident, found again by later writes of the same
    transaction (they coalesce into it)."""

    def __init__(self, incident_id: int, defer: bool) -> None:
        self.summary_incident: int | None = incident_id
        self.summary_defer = defer

    def __call__(self) -> None:
        incident_id, self.summary_incident = self.summary_incident, None  # ran: not pending
        if incident_id is None:
            return
        if self.summary_defer or _parts_count(incident_id) > settings.KINTSUGI_SUMMARY_INLINE_PARTS:
            SummaryCache.objects.filter(incident_id=incident_id).delete()
            return
        incident = Incident.objects.filter(pk=incident_id).first()
        if incident is not None:  # deleted in the same transaction
            summary_store(incident, force=True)


def _parts_count(incident_id: int) -> int:
    """How many parts the post-mortem has (what a lint's cost grows with); the query the
    key makes anyway, answered from the indexes on ``incident_id``."""
    return sum(count for _kind, count, _versions, _last in _parts_totals(incident_id))


def fill_missing(
    limit: int | None = None,
    *,
    seconds: float | None = None,
    clock: Callable[[], float] = time.monotonic,
    batch: int = 50,
) -> int:
    """Store the summaries of incidents that have none or one of another generation (new
    databases, an upgrade's new rules, changed settings, writes left to the worker), most
    recently changed first, until ``seconds`` (``KINTSUGI_SUMMARY_FILL_MS``) are spent or
    ``limit`` are stored: the worker's step. Returns how many were stored.

    A time budget rather than a count: after an upgrade every row is stale, and a fixed 20
    per pass took 8 hours at 20,000 incidents while every page view linted. Each pass does
    at least one incident, so a budget smaller than one lint still makes progress."""
    budget = settings.KINTSUGI_SUMMARY_FILL_MS / 1000 if seconds is None else seconds
    start = clock()
    current = _current_generation()
    fresh = SummaryCache.objects.filter(generation=current).values("incident_id")
    tried: set[int] = set()
    done = 0
    while limit is None or done < limit:
        size = batch if limit is None else min(batch, limit - done)
        todo = list(
            Incident.objects.exclude(pk__in=fresh)
            .exclude(pk__in=tried)
            .order_by("-updated_at", "-pk")[:size]
        )
        if not todo:
            break
        for incident in todo:
            tried.add(incident.pk)
            try:
                summary_store(incident)
            except Exception:  # one bad post-mortem must not stop the others; read lints it
                logger.exception("Storing the summary of incident %s failed", incident.pk)
                continue
            done += 1
            if (limit is not None and done >= limit) or clock() - start >= budget:
                return done
    return done


def forget(incident_id: int | None = None) -> int:
    """Drop stored summaries (one incident's, or all): never needed for correctness, since
    a changed key recomputes; for an operator who wants the space back."""
    rows = SummaryCache.objects.filter(Q(incident_id=incident_id) if incident_id else Q())
    return rows.delete()[0]


def _encode(findings: list[FieldFinding], whys: list[WhyFinding]) -> dict[str, Any]:
    return {
        "format": _FORMAT,
        "text": [
            [f.field, f.item_id, f.label, f.anchor, _finding_row(f.finding)] for f in findings
        ],
        "whys": [
            [
                w.rule,
                w.severity.value,
                w.message,
                w.next_question,
                list(w.location.branch) if w.location.branch is not None else None,
                w.location.step,
                w.location.action,
            ]  # fmt: skip
            for w in whys
        ],
    }


def _finding_row(f: Finding) -> list[object]:
    return [f.rule, f.category, f.severity.value, f.message, f.suggestion, f.line, f.column,
            f.end_line, f.end_column, f.start, f.end, f.excerpt]  # fmt: skip


def _decode(data: Any) -> tuple[list[FieldFinding], list[WhyFinding]] | None:
    """The stored findings, or None for a row in another format (recomputed then)."""
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        return None
    findings = []
    for field, item_id, label, anchor, row in data["text"]:
        rule, category, severity, *rest = row
        findings.append(
            FieldFinding(
                field, item_id, label, anchor, Finding(rule, category, Level(severity), *rest)
            )  # fmt: skip
        )
    whys = [
        WhyFinding(
            rule=rule,
            severity=FindingSeverity(severity),
            message=message,
            next_question=next_question,
            location=Location(tuple(branch) if branch is not None else None, step, action),
        )
        for rule, severity, message, next_question, branch, step, action in data["whys"]
    ]
    return findings, whys
