"""Keeping a version of every committed change to a post-mortem.

Every write asks ``guards.require_edit`` first, which tells :func:`note_change` (handed down
through ``postmortems/services/policies.py``): one place for the web, the API, the CLI,
imports and capture. Nothing is snapshotted then: the incident is marked, and once the
transaction commits the recorder reads each section once, compares it with the last
version's fingerprint, and stores the sections that changed as one new version. So an
import that adds 500 events in one transaction makes one version (not 500 growing copies
of the timeline), a rolled-back write makes none, and a write that changes nothing (a
status move, a refused edit) adds no empty version.

Recording after the commit means a crash between the two loses that version, not the
change: the next version then carries the change (attributed to its author). Restores
check the section against what the user saw, not against the log, so they stay safe.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import partial

from django.db import IntegrityError, transaction

from kintsugi.accounts.models import User
from kintsugi.core.history.sections import SECTIONS, digest
from kintsugi.history import snapshots
from kintsugi.history.models import HistoryBlob, SectionState, Version
from kintsugi.history.packing import pack
from kintsugi.postmortems.models import Incident


@dataclass
class _Pending:
    user: User | None
    restored_from: int | None = None


class _Marks(threading.local):
    def __init__(self) -> None:
        self.pending: dict[int, _Pending] = {}


_marks = _Marks()


def note_change(*, user: object, incident: Incident) -> None:
    """A write to ``incident`` by ``user`` is under way in this transaction."""
    actor = user if isinstance(user, User) and user.pk else None
    mark = _marks.pending.get(incident.pk)
    if mark is None:
        _marks.pending[incident.pk] = _Pending(actor)
    else:
        mark.user, mark.restored_from = actor, None  # a restore says so after its writes
    # One callback per write: those of a rolled-back savepoint are dropped with it, and the
    # first one run after the commit records for all (the others find nothing pending).
    transaction.on_commit(partial(record_pending, incident.pk), robust=True)


def mark_restore(incident: Incident, number: int) -> None:
    """The change under way restores (part of) version ``number``."""
    mark = _marks.pending.setdefault(incident.pk, _Pending(None))
    mark.restored_from = number


def record_pending(incident_id: int) -> Version | None:
    mark = _marks.pending.pop(incident_id, None)
    if mark is None:
        return None
    return record(incident_id, user=mark.user, restored_from=mark.restored_from)


def record(
    incident_id: int, *, user: User | None = None, restored_from: int | None = None
) -> Version | None:
    """Store the sections of ``incident_id`` that differ from its last version (if any)."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return _record(incident_id, user, restored_from)
        except IntegrityError:  # another process took the number: read its version, retry
            continue
    return None


def _record(incident_id: int, user: User | None, restored_from: int | None) -> Version | None:
    incident = Incident.objects.select_for_update().filter(pk=incident_id).first()
    if incident is None:
        return None  # deleted in the same transaction
    now = snapshots.all_sections(incident)
    last = Version.objects.filter(incident=incident).order_by("-number").first()
    states: dict[str, int] = dict(last.states) if last else {}
    known = dict(
        SectionState.objects.filter(pk__in=states.values()).values_list("section", "digest")
    )
    changed: list[str] = []
    for key, snapshot in now.items():
        fingerprint = digest(snapshot)
        before = known.get(key, digest(SECTIONS[key].empty()))
        if fingerprint != before:
            if SECTIONS[key].rows:  # rows and chunks once, the state lists the chunks
                chunks = pack(HistoryBlob, incident.pk, snapshot)
                state = SectionState.objects.create(
                    incident=incident, section=key, digest=fingerprint, data=[], chunks=chunks
                )
            else:
                state = SectionState.objects.create(
                    incident=incident, section=key, digest=fingerprint, data=snapshot
                )
            states[key] = state.pk
            changed.append(key)
    if not changed:
        return None
    return Version.objects.create(
        incident=incident,
        number=(last.number if last else 0) + 1,
        author=user,
        author_name=user.username if user else "",
        sections=changed,
        states=states,
        restored_from=restored_from,
    )
