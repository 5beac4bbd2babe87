"""Versions of a post-mortem and the snapshots of its sections.

A version is one committed write (or one transaction of writes: an import, a restore): who,
when, and which sections changed. Each changed section is stored once as a snapshot
(``SectionState``, plain JSON, kintsugi.core.history.sections); a version also names the
state every other section had then (``states``: section -> SectionState id), so any version
is rebuilt in two queries whatever its number, and an unchanged section costs nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from kintsugi.core.history.sections import SECTIONS
from kintsugi.postmortems.models import Incident


class SectionState(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+")
    section = models.CharField(max_length=16)
    digest = models.CharField(max_length=32)
    data = models.JSONField()

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
