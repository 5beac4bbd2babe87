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
new key. Rows live in ``SummaryCache`` (one per incident, replaced on a miss), so every
app server shares them and none keeps state of its own.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from django.db import connections, router
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


def summary_key(incident: Incident, stamp: str, changes: Mapping[str, object] | None = None) -> str:
    changes = changes or {}
    texts = [str(changes.get(name, getattr(incident, name, "")) or "") for name, _l, _a in
             INCIDENT_FIELDS]  # fmt: skip
    parts = [_FORMAT, engine_digest(), stamp, incident.pk, texts, _parts_totals(incident.pk)]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def cached_findings(
    incident: Incident, *, changes: Mapping[str, object] | None = None
) -> tuple[str, list[FieldFinding], list[WhyFinding]]:
    """(publishing mode, language findings, 5 Whys findings), linted only when the key
    changed. Three queries on a hit, whatever the size of the post-mortem."""
    stamp, mode = _settings()
    key = summary_key(incident, stamp, changes)
    stored = SummaryCache.objects.filter(incident_id=incident.pk).values_list("key", "findings")
    row = stored.first()
    if row is not None and row[0] == key:
        decoded = _decode(row[1])
        if decoded is not None:
            return mode, *decoded
    findings = incident_findings(incident, changes=changes)
    whys = incident_whys_findings(incident)
    SummaryCache.objects.bulk_create(
        [SummaryCache(incident_id=incident.pk, key=key, findings=_encode(findings, whys))],
        update_conflicts=True,
        unique_fields=["incident"],
        update_fields=["key", "findings", "computed_at"],
    )
    return mode, findings, whys


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
