"""Reading a post-mortem's history: the list of versions, one version, the diff of two.

Access is decided by the caller (``access.get_incident``). Every read is a fixed number
of queries: a page of versions is one; a version or a diff is four (the versions, the
states of the sections that differ between them, then those states' chunks and rows).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q, Subquery

from kintsugi.core.history.diff import SectionDiff, document_diff
from kintsugi.core.history.sections import SECTIONS, Snapshot
from kintsugi.history.models import HistoryBlob, SectionState, Version
from kintsugi.history.packing import unpack
from kintsugi.postmortems.models import Incident

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class VersionPage:
    versions: list[Version]
    older: int | None  # the ``before`` of the next page (None: this is the oldest)
    latest: int  # the newest version's number (0: none yet)


def versions_page(
    incident: Incident, *, before: int | None = None, size: int = PAGE_SIZE
) -> VersionPage:
    """Newest first, ``size`` at a time; ``before`` pages by number (an index seek)."""
    rows = Version.objects.filter(incident=incident).order_by("-number")
    latest_row = None
    if before is not None:
        rows = rows.filter(number__lt=before)
    listed = list(rows.only("number", "author_name", "at", "sections", "restored_from")[: size + 1])
    older = listed[size - 1].number if len(listed) > size else None
    listed = listed[:size]
    if before is None:
        latest_row = listed[0] if listed else None
    latest = latest_row.number if latest_row else latest_number(incident)
    return VersionPage(listed, older, latest)


def latest_number(incident: Incident) -> int:
    number = (
        Version.objects.filter(incident=incident)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return number or 0


def versions(incident: Incident, numbers: Sequence[int]) -> dict[int, Version]:
    """The versions named (those that exist), by number."""
    rows = Version.objects.filter(incident=incident, number__in=list(numbers))
    return {row.number: row for row in rows}


def versions_and_latest(
    incident: Incident, numbers: Sequence[int]
) -> tuple[dict[int, Version], int]:
    """The versions named (those that exist) and the newest one's number, in one query."""
    newest = Version.objects.filter(incident=incident).order_by("-number").values("number")[:1]
    rows = list(
        Version.objects.filter(incident=incident).filter(
            Q(number__in=list(numbers)) | Q(number=Subquery(newest))
        )
    )
    latest = max((row.number for row in rows), default=0)
    return {row.number: row for row in rows if row.number in numbers}, latest


def states(ids: Sequence[int]) -> dict[int, Snapshot]:
    """Section states as snapshots: list sections are put back together from their rows."""
    rows = SectionState.objects.filter(pk__in=[i for i in ids if i]).values_list(
        "id", "data", "chunks"
    )
    return unpack(HistoryBlob, list(rows))


def rebuild(version: Version) -> dict[str, Snapshot]:
    """Every section as it was at ``version`` (an empty one where nothing was ever kept)."""
    data = states(list(version.states.values()))
    return {
        key: data.get(version.states.get(key, 0), section.empty())
        for key, section in SECTIONS.items()
    }


def section_at(version: Version, section: str) -> Snapshot:
    state_id = version.states.get(section)
    if not state_id:
        return SECTIONS[section].empty()
    data = states([state_id])
    return data.get(state_id, SECTIONS[section].empty())


def diff(before: Version, after: Version) -> list[SectionDiff]:
    """Section by section; the sections whose state is the same are not even read."""
    differ = [key for key in SECTIONS if before.states.get(key) != after.states.get(key)]
    ids = [before.states.get(key, 0) for key in differ] + [
        after.states.get(key, 0) for key in differ
    ]
    data = states(ids)
    old = {key: data.get(before.states.get(key, 0)) for key in differ}
    new = {key: data.get(after.states.get(key, 0)) for key in differ}
    return document_diff(old, new)
