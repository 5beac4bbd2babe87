"""Writing and reading list sections as content-addressed rows and chunks (``HistoryBlob``).

The models are parameters so that the data migration (0002) runs the same code on its
historical models as the recorder runs on the live ones. Reading is two queries for any
number of states (the chunks, then their rows), so a diff or a rebuilt version stays a fixed
number of queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from kintsugi.core.history.packing import chunk_digest, row_digest, split
from kintsugi.core.history.sections import Snapshot


def pack(blob_model: Any, incident_id: int, rows: Sequence[Any]) -> list[int]:
    """Store what is not stored yet of ``rows``; answers the ids of its chunks, in order."""
    digests = [row_digest(row) for row in rows]
    by_digest = dict(zip(digests, rows, strict=True))
    groups = split(digests)
    group_digests = [chunk_digest(group) for group in groups]
    known = _ids(blob_model, incident_id, group_digests)
    missing = [g for g, d in zip(groups, group_digests, strict=True) if d not in known]
    if missing:
        wanted = {value for group in missing for value in group}
        row_ids = _ids(blob_model, incident_id, wanted)
        new_rows = [
            blob_model(incident_id=incident_id, digest=value, data=by_digest[value])
            for value in wanted
            if value not in row_ids
        ]
        row_ids.update(_created(blob_model, incident_id, new_rows))
        new_chunks = {}
        for group, value in zip(groups, group_digests, strict=True):
            if value not in known and value not in new_chunks:
                data = [row_ids[row] for row in group]
                new_chunks[value] = blob_model(incident_id=incident_id, digest=value, data=data)
        known.update(_created(blob_model, incident_id, list(new_chunks.values())))
    return [known[value] for value in group_digests]


def _ids(blob_model: Any, incident_id: int, digests: Iterable[str]) -> dict[str, int]:
    wanted = list(set(digests))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):  # SQLite's variable limit, long timelines
        rows = blob_model.objects.filter(
            incident_id=incident_id, digest__in=wanted[start : start + 500]
        )
        found.update(rows.values_list("digest", "id"))
    return found


def _created(blob_model: Any, incident_id: int, blobs: list[Any]) -> dict[str, int]:
    if not blobs:
        return {}
    blob_model.objects.bulk_create(blobs, batch_size=500)
    if all(blob.pk for blob in blobs):
        return {blob.digest: blob.pk for blob in blobs}
    return _ids(blob_model, incident_id, [blob.digest for blob in blobs])


def unpack(
    blob_model: Any, states: Sequence[tuple[int, Any, list[int] | None]]
) -> dict[int, Snapshot]:
    """``(state id, data, chunks)`` rows as snapshots, by state id (two queries for all)."""
    chunk_ids = {c for _id, _data, chunks in states if chunks for c in chunks}
    chunks = _blobs(blob_model, chunk_ids)
    row_ids = {r for chunk in chunks.values() for r in chunk}
    rows = _blobs(blob_model, row_ids)
    answer: dict[int, Snapshot] = {}
    for state_id, data, state_chunks in states:
        if state_chunks is None:
            answer[state_id] = data
        else:
            answer[state_id] = [rows[r] for c in state_chunks for r in chunks[c]]
    return answer


def _blobs(blob_model: Any, ids: set[int]) -> dict[int, Any]:
    wanted = list(ids)
    found: dict[int, Any] = {}
    for start in range(0, len(wanted), 500):
        rows = blob_model.objects.filter(pk__in=wanted[start : start + 500])
        found.update(rows.values_list("id", "data"))
    return found
