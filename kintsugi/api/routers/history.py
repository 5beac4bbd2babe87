"""The history of a post-mortem (issue 18): its versions, one version, the diff of two,
and restoring a section from a version.

Every endpoint finds the incident through ``access.get_incident`` (404 for those who may
not see it); restoring needs the right to edit (403 for read-only readers) and is refused
with 409 when the section changed since the version the caller saw.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Query, Router

from kintsugi.api.auth import current_user
from kintsugi.api.errors import ApiError
from kintsugi.api.lookups import incident_for
from kintsugi.api.schemas.common import ERRORS, ErrorOut
from kintsugi.api.schemas.history import (
    DiffOut,
    RestoreIn,
    VersionDetailOut,
    VersionOut,
    VersionPageOut,
)
from kintsugi.core.history.diff import FieldChange, SectionDiff
from kintsugi.history import selectors
from kintsugi.history.models import Version
from kintsugi.history.services.restore import StaleSection, section_restore
from kintsugi.postmortems.models import Incident

router = Router(tags=["history"])
MAX_NUMBER = 2_000_000_000


def _version_out(version: Version) -> dict[str, object]:
    return {
        "number": version.number,
        "author": version.author_name or None,
        "at": version.at,
        "sections": version.sections,
        "restored_from": version.restored_from,
    }


def _version(incident: Incident, number: int) -> Version:
    found = selectors.versions(incident, [number]) if 0 < number < MAX_NUMBER else {}
    if number not in found:
        raise Http404(f"This post-mortem has no version {number}.")
    return found[number]


def _field(change: FieldChange) -> dict[str, object]:
    return {
        "key": change.key,
        "label": change.label,
        "before": change.before,
        "after": change.after,
        "words": [{"op": p.op, "text": p.text} for p in change.pieces],
    }


def _section(diff: SectionDiff) -> dict[str, object]:
    return {
        "section": diff.section.key,
        "label": diff.section.label,
        "changed": diff.changed,
        "fields": [_field(c) for c in diff.fields],
        "rows": [
            {"op": r.op, "id": r.row_id, "label": r.label, "fields": [_field(c) for c in r.fields]}
            for r in diff.rows
        ],
        "unchanged_rows": diff.unchanged_rows,
    }


@router.get("/incidents/{int:incident_id}/versions", response={200: VersionPageOut, **ERRORS})
def list_versions(
    request: HttpRequest,
    incident_id: int,
    before: int | None = Query(None, ge=1, le=MAX_NUMBER),  # type: ignore[type-arg]  # noqa: B008
    limit: int = Query(selectors.PAGE_SIZE, ge=1, le=selectors.MAX_PAGE_SIZE),  # type: ignore[type-arg]  # noqa: B008
) -> dict[str, object]:
    """Newest first; page with ``before`` (the previous page's ``next_before``)."""
    page = selectors.versions_page(incident_for(request, incident_id), before=before, size=limit)
    return {
        "versions": [_version_out(v) for v in page.versions],
        "latest": page.latest,
        "next_before": page.older,
    }


@router.get(
    "/incidents/{int:incident_id}/versions/{int:number}",
    response={200: VersionDetailOut, **ERRORS},
)
def get_version(request: HttpRequest, incident_id: int, number: int) -> dict[str, object]:
    """One version with every section as it was then."""
    version = _version(incident_for(request, incident_id), number)
    return {**_version_out(version), "snapshot": selectors.rebuild(version)}


@router.get(
    "/incidents/{int:incident_id}/versions/{int:number}/diff",
    response={200: DiffOut, **ERRORS},
)
def diff_versions(
    request: HttpRequest,
    incident_id: int,
    number: int,
    to: int | None = Query(None, ge=1, le=MAX_NUMBER),  # type: ignore[type-arg]  # noqa: B008
) -> dict[str, object]:
    """What changed from version ``number`` to version ``to`` (default: the newest)."""
    incident = incident_for(request, incident_id)
    older = _version(incident, number)
    newer = _version(incident, to if to is not None else selectors.latest_number(incident))
    return {
        "from_version": older.number,
        "to_version": newer.number,
        "sections": [_section(d) for d in selectors.diff(older, newer)],
    }


@router.post(
    "/incidents/{int:incident_id}/versions/{int:number}/restore",
    response={200: VersionOut, 409: ErrorOut, **ERRORS},
)
def restore_version(
    request: HttpRequest, incident_id: int, number: int, payload: RestoreIn
) -> dict[str, object]:
    """Make one section what it was in version ``number``; answers the new version."""
    incident = incident_for(request, incident_id, edit=True)
    if not 0 < number < MAX_NUMBER:
        raise Http404(f"This post-mortem has no version {number}.")
    try:
        section_restore(
            user=current_user(request),
            incident=incident,
            number=number,
            section=payload.section,
            seen=payload.seen,
        )
    except StaleSection as stale:
        raise ApiError(
            409, stale.message, code="conflict", fields={"seen": [stale.message]}
        ) from None
    # The recorder ran when the restore committed: the newest version is the restore's.
    latest = Version.objects.filter(incident=incident).order_by("-number").first()
    assert latest is not None  # the restore read the version it restored
    return _version_out(latest)
