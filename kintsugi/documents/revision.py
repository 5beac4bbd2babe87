"""The revision of a post-mortem: a digest that changes whenever a person edits anything.

The export writes it into the file and a re-import compares it, so a file exported before
an edit in Kintsugi cannot silently overwrite that edit (``imports``); the export computes
it from the rows it has already read (``assembly``), the importer with one query per kind
of row. Its own module so both use it without importing each other.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Max, Sum

from kintsugi.five_whys.models import Analysis, WhyNode
from kintsugi.postmortems.models import ActionItem, Factor, Incident, Lesson, TimelineEvent


def revision_of(incident: Incident) -> str:
    """A digest that changes whenever anything a person can edit changes.

    Every editable row carries a version bumped on each save and a growing id, so the
    count, the sum of versions and the highest id of each kind of row change on any edit,
    addition or deletion. One query per kind of row; no content is read.
    """
    totals: list[tuple[int, int | None, int | None]] = []
    for model in (TimelineEvent, Factor, Lesson, ActionItem):
        found = model.objects.filter(incident=incident).aggregate(  # type: ignore[attr-defined]
            n=Count("id"), v=Sum("version"), m=Max("id")
        )
        totals.append((found["n"], found["v"], found["m"]))
    nodes = WhyNode.objects.filter(incident=incident).aggregate(n=Count("id"), m=Max("id"))
    tree_version = Analysis.objects.filter(pk=incident.pk).values_list("version", flat=True)
    return _revision(incident, totals, (nodes["n"], nodes["m"]), tree_version.first())


def revision_of_rows(
    incident: Incident,
    rows: Sequence[Sequence[Any]],
    nodes: Sequence[WhyNode],
    tree_version: int | None,
) -> str:
    """``revision_of`` from rows already read, without a query: the export has read every
    event, factor, lesson, action item (``rows``, in that order) and 5 Whys node of the
    incident, and the tree's version (None without a tree). Totals as SQL gives them: no
    rows is a count of 0 with neither a sum nor a highest id."""
    totals = [
        (
            len(kind),
            sum(row.version for row in kind) if kind else None,
            max((row.pk for row in kind), default=None),
        )
        for kind in rows
    ]
    node_ids = [node.pk for node in nodes]
    return _revision(incident, totals, (len(node_ids), max(node_ids, default=None)), tree_version)


def _revision(
    incident: Incident,
    totals: list[tuple[int, int | None, int | None]],
    nodes: tuple[int, int | None],
    tree_version: int | None,
) -> str:
    parts: list[object] = [incident.pk, incident.version]
    for count, versions, highest in totals:
        parts += [count, versions, highest]
    parts += [*nodes, tree_version]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:16]
