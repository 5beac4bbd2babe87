"""Per-incident facts the Insights page adds up, kept on write.

One row per incident (``IncidentFacts``), its services (``FactService``) and factor
categories (``FactCategory``) each with the incident's month, and one row per action item
(``ItemFacts``). Plain ids rather than foreign keys: the rows are a copy the worker
rewrites from the post-mortems, and a deleted incident's rows are removed by the fold
that its logged deletion triggers. ``FactLog`` is written by database triggers
(``triggers.py``) inside every transaction that changes what the facts copy.
"""

from __future__ import annotations

from django.db import models


class IncidentFacts(models.Model):
    incident_id = models.BigIntegerField(primary_key=True)
    month = models.DateField()  # first day of the month the incident began (UTC)
    started_at = models.DateTimeField()
    team_key = models.IntegerField()  # the team's id, 0 for none
    severity = models.CharField(max_length=4)
    status = models.CharField(max_length=16)
    published_at = models.DateTimeField(null=True)
    # Response times in seconds (core/timeline.py), None when the timeline lacks a moment.
    time_to_detect = models.IntegerField(null=True)
    time_to_acknowledge = models.IntegerField(null=True)
    time_to_mitigate = models.IntegerField(null=True)
    time_to_resolve = models.IntegerField(null=True)
    # Items of earlier incidents sharing a service that were open when this one began.
    open_related_items = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["month"], name="insights_fact_month"),
            models.Index(fields=["team_key", "month"], name="insights_fact_team"),
            models.Index(fields=["severity", "month"], name="insights_fact_severity"),
            models.Index(fields=["published_at"], name="insights_fact_published"),
        ]

    def __str__(self) -> str:
        return f"facts of incident {self.incident_id}"


class FactService(models.Model):
    incident_id = models.BigIntegerField()
    service_id = models.BigIntegerField()
    month = models.DateField()

    class Meta:
        indexes = [
            models.Index(fields=["service_id", "month"], name="insights_service_month"),
            models.Index(fields=["incident_id"], name="insights_service_incident"),
        ]

    def __str__(self) -> str:
        return f"incident {self.incident_id} affects service {self.service_id}"


class FactCategory(models.Model):
    incident_id = models.BigIntegerField()
    category = models.CharField(max_length=16)
    month = models.DateField()

    class Meta:
        indexes = [
            models.Index(fields=["month", "category"], name="insights_category_month"),
            models.Index(fields=["incident_id"], name="insights_category_incident"),
        ]

    def __str__(self) -> str:
        return f"incident {self.incident_id} has a {self.category} factor"


class ItemFacts(models.Model):
    item_id = models.BigIntegerField(primary_key=True)
    incident_id = models.BigIntegerField()
    team_key = models.IntegerField()
    severity = models.CharField(max_length=4)
    priority = models.CharField(max_length=2)
    opened_month = models.DateField()
    closed_month = models.DateField(null=True)  # done or won't do
    done = models.BooleanField(default=False)
    has_target = models.BooleanField(default=False)
    on_target = models.BooleanField(default=False)  # done on or before its target date

    class Meta:
        indexes = [
            models.Index(fields=["opened_month"], name="insights_item_opened"),
            models.Index(fields=["closed_month"], name="insights_item_closed"),
            models.Index(fields=["incident_id"], name="insights_item_incident"),
        ]

    def __str__(self) -> str:
        return f"facts of action item {self.item_id}"


class FactLog(models.Model):
    """An incident written since the worker last folded it in (inserted by triggers)."""

    incident_id = models.BigIntegerField()

    def __str__(self) -> str:
        return f"incident {self.incident_id} written"
