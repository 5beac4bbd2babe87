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
    month = models.IntegerField()  # the month it began (UTC), as 202603 (core months.month_key)
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
    # Restricted: its share of the per-month sums is kept in rows of its own (``MonthSum``).
    restricted = models.BooleanField(default=False)
    # What other incidents' cost of debt reads of this one (``facts.Fact.debt_key``); null
    # for rows stored before it was kept: the next fold treats them as changed.
    debt_key = models.CharField(max_length=32, null=True)

    class Meta:
        indexes = [
            # Covering every read of the page (counts and response times): a table read
            # per row would cost more than the rest of the page.
            models.Index(
                fields=[
                    "month",
                    "severity",
                    "team_key",
                    "incident_id",
                    "open_related_items",
                    "time_to_detect",
                    "time_to_acknowledge",
                    "time_to_mitigate",
                    "time_to_resolve",
                ],
                name="insights_fact_month",
            ),
            models.Index(fields=["team_key", "month"], name="insights_fact_team"),
        ]

    def __str__(self) -> str:
        return f"facts of incident {self.incident_id}"


class FactService(models.Model):
    incident_id = models.BigIntegerField()
    service_id = models.BigIntegerField()
    # The incident's, copied so the page filters these rows without a join.
    month = models.IntegerField()
    team_key = models.IntegerField()
    severity = models.CharField(max_length=4)

    class Meta:
        indexes = [
            # Covering the page's reads (they never visit the table).
            models.Index(
                fields=["month", "service_id", "team_key", "severity", "incident_id"],
                name="insights_service_month",
            ),
            models.Index(fields=["service_id", "incident_id"], name="insights_service_filter"),
            # The hidden and logged incidents' rows, counted to be subtracted.
            models.Index(
                fields=["incident_id", "month", "service_id", "team_key", "severity"],
                name="insights_service_incident",
            ),
        ]

    def __str__(self) -> str:
        return f"incident {self.incident_id} affects service {self.service_id}"


class FactCategory(models.Model):
    incident_id = models.BigIntegerField()
    category = models.CharField(max_length=16)
    month = models.IntegerField()
    team_key = models.IntegerField()
    severity = models.CharField(max_length=4)

    class Meta:
        indexes = [
            models.Index(
                fields=["month", "category", "team_key", "severity", "incident_id"],
                name="insights_category_month",
            ),
            models.Index(
                fields=["incident_id", "month", "category", "team_key", "severity"],
                name="insights_category_incident",
            ),
        ]

    def __str__(self) -> str:
        return f"incident {self.incident_id} has a {self.category} factor"


class ItemFacts(models.Model):
    item_id = models.BigIntegerField(primary_key=True)
    incident_id = models.BigIntegerField()
    team_key = models.IntegerField()
    severity = models.CharField(max_length=4)
    priority = models.CharField(max_length=2)
    opened_month = models.IntegerField()  # as 202603
    closed_month = models.IntegerField(null=True)  # done or won't do
    done = models.BooleanField(default=False)
    has_target = models.BooleanField(default=False)
    on_target = models.BooleanField(default=False)  # done on or before its target date

    class Meta:
        indexes = [
            # Covering the page's reads: items opened and still open, and items closed.
            models.Index(
                fields=["opened_month", "closed_month", "team_key", "severity", "incident_id"],
                name="insights_item_opened",
            ),
            models.Index(
                fields=[
                    "closed_month",
                    "done",
                    "priority",
                    "has_target",
                    "on_target",
                    "team_key",
                    "severity",
                    "incident_id",
                ],
                name="insights_item_closed",
            ),
            # The fold's sums per (team, severity) pair (``ItemMonth``).
            models.Index(
                fields=["team_key", "severity", "opened_month", "closed_month"],
                name="insights_item_pair",
            ),
            # The few hidden and logged incidents' items, counted to be subtracted.
            models.Index(
                fields=[
                    "incident_id",
                    "opened_month",
                    "closed_month",
                    "priority",
                    "done",
                    "has_target",
                    "on_target",
                    "team_key",
                    "severity",
                ],
                name="insights_item_incident",
            ),
        ]

    def __str__(self) -> str:
        return f"facts of action item {self.item_id}"


class ItemMonth(models.Model):
    """Action items created and closed per month, team and severity: the sum of
    ``ItemFacts``, rewritten by the fold for the (team, severity) pairs it touched. Open
    debt at the start of a range is every item created before it minus every item closed
    before it: a few thousand of these rows instead of every item ever written."""

    team_key = models.IntegerField()
    severity = models.CharField(max_length=4)
    month = models.IntegerField()
    opened = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=["month", "team_key", "severity", "opened", "closed"],
                name="insights_itemmonth_month",
            ),
            models.Index(fields=["team_key", "severity"], name="insights_itemmonth_pair"),
        ]

    def __str__(self) -> str:
        return f"items of team {self.team_key}, {self.severity}, {self.month}"


class MonthSum(models.Model):
    """What the Insights page adds up, summed per month, team, severity and audience and
    kept by the fold (``sums.py``): the page reads these rows, a number bounded by months
    x groups x buckets, whatever the number of incidents.

    ``audience`` is 0 for the unrestricted incidents' share and the incident's id for a
    restricted one's, so a reader adds the rows of the restricted incidents they may see
    and no aggregate ever counts one they may not (the debt tally's rule). ``kind`` says
    what is counted and ``key`` within it (``sums.py``: incidents, with open related
    debt, per service, per factor category, response-time histogram buckets with the sum
    of their seconds in ``total``, action items opened, closed and done)."""

    month = models.IntegerField()
    team_key = models.IntegerField()
    severity = models.CharField(max_length=4)
    audience = models.BigIntegerField(default=0)
    kind = models.SmallIntegerField()
    key = models.CharField(max_length=24, default="")
    n = models.IntegerField(default=0)
    total = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "month", "team_key", "severity", "audience", "key"],
                name="insights_monthsum_cell",
            )
        ]
        indexes = [
            # Covering the page's reads (kind, a month range, then the filters).
            models.Index(
                fields=["kind", "month", "team_key", "severity", "audience", "key", "n", "total"],
                name="insights_monthsum_read",
            ),
            # The roll-up reads: one level (team or any, severity or any) first, so they
            # do not walk the other levels' rows of the range.
            models.Index(
                fields=["team_key", "severity", "kind", "month", "audience", "key", "n", "total"],
                name="insights_monthsum_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.key} of {self.month}, team {self.team_key}, {self.severity}"


class FoldLock(models.Model):
    """One row every fold updates first, so two folds (a loop and a cron line) take turns
    instead of both rewriting the same sums."""

    passes = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.passes} folds"


class FactLog(models.Model):
    """An incident written since the worker last folded it in (inserted by triggers)."""

    incident_id = models.BigIntegerField()

    def __str__(self) -> str:
        return f"incident {self.incident_id} written"
