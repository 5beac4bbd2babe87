"""Versions of a post-mortem and the snapshots of its sections.

A version is one committed write (or one transaction of writes: an import, a restore): who,
when, and which sections changed. Each changed section is stored once as a snapshot
(``SectionState``, plain JSON, kintsugi.core.history.sections); a version also names the
state every other section had then (``states``: section -> SectionState id), so any version
is rebuilt in a fixed number of queries whatever its number, and an unchanged section costs
nothing.

A list section (timeline, factors, 5 Whys, lessons, action items) is not copied whole into
its state: its rows are ``HistoryBlob`` rows stored once per incident under their digest,
grouped into chunks (also blobs), and the state lists its chunks (``chunks``; see
kintsugi.core.history.packing). So a version that edits one event of a 500-event timeline
costs that event, one chunk of row references and the list of chunks, not the timeline.
The summary is one mapping and stays in ``data``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from kintsugi.core.history.sections import SECTIONS
from kintsugi.postmortems.models import Incident


class HistoryBlob(models.Model):
    """A row of a list section, or a chunk (the ids of its rows), stored once per incident."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=32)
    data = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "digest"], name="history_blob_once")
        ]

    def __str__(self) -> str:
        return f"INC-{self.incident_id} blob {self.digest[:8]}"


class SectionState(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+")
    section = models.CharField(max_length=16)
    digest = models.CharField(max_length=32)
    data = models.JSONField()  # the summary's mapping ([] for a packed list section)
    chunks = models.JSONField(null=True, blank=True)  # a list section: its chunks' blob ids

    def __str__(self) -> str:
        return f"INC-{self.incident_id} {self.section} {self.digest[:8]}"


class Version(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(default=timezone.now)
    sections = models.JSONField(default=list)  # the sections this version changed
    states = models.JSONField(default=dict)  # every section's SectionState id at this version
    restored_from = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "number"], name="version_number_once")
        ]

    def __str__(self) -> str:
        return f"INC-{self.incident_id} v{self.number}"

    @property
    def who(self) -> str:
        return self.author_name or "system"

    @property
    def section_labels(self) -> list[str]:
        return [SECTIONS[key].label for key in self.sections if key in SECTIONS]
