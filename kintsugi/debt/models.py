"""Storage for post-mortem debt: the due-window policy, team and personal settings, review
marks and deliveries. The rules that read these rows live in ``kintsugi.core.debt``; each
model converts itself to the core's plain objects (``to_core``) so there is one definition.
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.utils import timezone

from kintsugi.core import document as limits
from kintsugi.core.debt.policy import DEFAULT_AT_RISK_DAYS, OrganisationPolicy, TeamOverride
from kintsugi.core.debt.schedule import WEEKDAYS, ReminderSettings, WeeklySchedule
from kintsugi.core.debt.sprints import CapacityUnit, SprintBudget, SprintCadence
from kintsugi.core.vocabulary import Priority
from kintsugi.teams.models import Team

WEEKDAY_CHOICES = [(index, name.capitalize()) for index, name in enumerate(WEEKDAYS)]


class OrganisationDuePolicy(models.Model):
    """The organisation's windows: one row (pk 1), created with the defaults on first read."""

    window_p0 = models.PositiveSmallIntegerField("P0 window (days)", default=14)
    window_p1 = models.PositiveSmallIntegerField("P1 window (days)", default=14)
    window_p2 = models.PositiveSmallIntegerField("P2 window (days)", default=30)
    window_p3 = models.PositiveSmallIntegerField("P3 window (days)", default=60)
    at_risk_days = models.PositiveSmallIntegerField(
        "at-risk threshold (days)", default=DEFAULT_AT_RISK_DAYS
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "organisation due policy"
        verbose_name_plural = "organisation due policy"

    def __str__(self) -> str:
        return "Organisation due policy"

    def windows(self) -> dict[Priority, int]:
        return {p: getattr(self, f"window_{p.value.lower()}") for p in Priority}

    def to_core(self) -> OrganisationPolicy:
        return OrganisationPolicy(windows=self.windows(), at_risk_days=self.at_risk_days)


class TeamDuePolicy(models.Model):
    """A team's override: empty fields inherit the organisation's (and follow its changes)."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="due_policy")
    window_p0 = models.PositiveSmallIntegerField("P0 window (days)", null=True, blank=True)
    window_p1 = models.PositiveSmallIntegerField("P1 window (days)", null=True, blank=True)
    window_p2 = models.PositiveSmallIntegerField("P2 window (days)", null=True, blank=True)
    window_p3 = models.PositiveSmallIntegerField("P3 window (days)", null=True, blank=True)
    at_risk_days = models.PositiveSmallIntegerField(
        "at-risk threshold (days)", null=True, blank=True
    )

    class Meta:
        verbose_name = "team due policy"
        verbose_name_plural = "team due policies"

    def __str__(self) -> str:
        return f"Due policy of {self.team}"

    def to_core(self, team_name: str | None = None) -> TeamOverride:
        windows = {
            p: days for p in Priority if (days := getattr(self, f"window_{p.value.lower()}"))
        }
        return TeamOverride(
            team=team_name or self.team.name, windows=windows, at_risk_days=self.at_risk_days
        )


def default_review_time() -> time:
    """09:30. A callable, because Django's check for fixed date/time defaults (fields.W161)
    fires on a literal time whenever the clock happens to be near it."""
    return time(9, 30)


class TeamDebtSettings(models.Model):
    """How a team runs its debt: review schedule, channels, reminders and sprint budget."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="debt_settings")
    timezone = models.CharField(
        max_length=64, default="UTC", help_text="IANA name, e.g. Europe/Berlin."
    )
    review_enabled = models.BooleanField(
        "send the weekly review", default=False, help_text="By email and Slack, on schedule."
    )
    review_weekday = models.PositiveSmallIntegerField(choices=WEEKDAY_CHOICES, default=0)
    review_time = models.TimeField(
        default=default_review_time, help_text="Wall-clock time in the zone."
    )
    review_email = models.EmailField(
        blank=True, help_text="A list address that also receives the weekly review."
    )
    slack_webhook_url = models.CharField(
        "Slack incoming webhook URL",
        max_length=500,
        blank=True,
        help_text="https://hooks.slack.com/services/... A secret: never logged or shown.",
    )
    remind_before_days = models.PositiveSmallIntegerField(
        "remind owners N days before the target date",
        null=True,
        blank=True,
        default=2,
        help_text="Empty switches it off; 0 means on the target date.",
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        "tell the lead N days after an item became overdue",
        null=True,
        blank=True,
        default=3,
        help_text="Empty switches escalation off.",
    )
    sprint_start_on = models.DateField("first sprint starts on", null=True, blank=True)
    sprint_length_days = models.PositiveSmallIntegerField(default=14)
    sprint_capacity = models.FloatField(null=True, blank=True, help_text="Per sprint.")
    capacity_unit = models.CharField(
        max_length=8,
        choices=[(unit.value, unit.value) for unit in CapacityUnit],
        default=CapacityUnit.POINTS.value,
    )
    reserved_percent = models.FloatField("share reserved for post-incident work (%)", default=20.0)
    next_review_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the worker sends the next review."
    )

    class Meta:
        verbose_name = "team debt settings"
        verbose_name_plural = "team debt settings"

    def __str__(self) -> str:
        return f"Debt settings of {self.team}"

    def __repr__(self) -> str:  # the webhook URL is a secret: never in logs or tracebacks
        return f"<TeamDebtSettings team={self.team_id}>"

    @property
    def has_slack(self) -> bool:
        return bool(self.slack_webhook_url)

    def schedule(self) -> WeeklySchedule:
        return WeeklySchedule(self.review_weekday, self.review_time, self.timezone)

    def reminders(self) -> ReminderSettings:
        return ReminderSettings(
            days_before_due=self.remind_before_days, escalate_after_days=self.escalate_after_days
        )

    def cadence(self) -> SprintCadence | None:
        if self.sprint_start_on is None:
            return None
        return SprintCadence(start_on=self.sprint_start_on, length_days=self.sprint_length_days)

    def budget(self) -> SprintBudget | None:
        if self.sprint_capacity is None:
            return None
        return SprintBudget(
            capacity=self.sprint_capacity,
            unit=CapacityUnit(self.capacity_unit),
            reserved_percent=self.reserved_percent,
        )


class PersonDebtSettings(models.Model):
    """A person's channels for reminders and weekly reviews (both on until switched off)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="debt_settings"
    )
    email_enabled = models.BooleanField("email me", default=True)
    slack_enabled = models.BooleanField("mention me in my team's Slack channel", default=True)
    slack_member_id = models.CharField(
        max_length=32, blank=True, help_text="Slack member ID (U012AB3CD) for an @-mention."
    )

    class Meta:
        verbose_name = "personal debt settings"
        verbose_name_plural = "personal debt settings"

    def __str__(self) -> str:
        return f"Debt settings of {self.user}"


class ReviewMark(models.Model):
    """An item looked at in a weekly review, with a note; the next agenda shows the latest."""

    action_item = models.ForeignKey(
        "postmortems.ActionItem", on_delete=models.CASCADE, related_name="review_marks"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewer_name = models.CharField(max_length=150, help_text="Kept if the account goes.")
    reviewed_at = models.DateTimeField(default=timezone.now)
    week = models.CharField(max_length=8, help_text="The review's ISO week, e.g. 2026-W48.")
    note = models.TextField(blank=True, max_length=limits.MAX_SHORT_TEXT)

    class Meta:
        ordering = ["-reviewed_at", "-id"]
        indexes = [models.Index(fields=["action_item", "-reviewed_at"], name="review_latest")]

    def __str__(self) -> str:
        return f"{self.action_item_id} reviewed {self.reviewed_at:%Y-%m-%d} by {self.reviewer_name}"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SLACK = "slack", "Slack"


class DeliveryKind(models.TextChoices):
    REMINDER = "reminder", "Reminder"
    WEEKLY_REVIEW = "weekly_review", "Weekly review"
    MONTHLY_DIGEST = "monthly_digest", "Monthly digest"  # sent by kintsugi.insights
    MENTION = "mention", "Comment mention"  # queued by kintsugi.reviews


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    RETRYING = "retrying", "Failed, will retry"
    SKIPPED = "skipped", "Skipped"


class Delivery(models.Model):
    """One message to one recipient on one channel, sent at most once.

    The row is inserted before anything is sent; the unique constraint on (idempotency
    key, channel, recipient) makes a second insert by another worker, or by the same worker
    after a restart, a no-op. Sending claims the row with a conditional UPDATE, so two
    workers never send it both. Every attempt and failure is kept here (docs/debt.md).
    """

    idempotency_key = models.CharField(max_length=200)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    recipient = models.CharField(
        max_length=254, help_text="An email address, or team:<id> for the team's Slack channel."
    )
    kind = models.CharField(max_length=16, choices=DeliveryKind.choices)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    subject = models.CharField(max_length=300, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True, help_text="Slack message body.")
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action_item = models.ForeignKey(
        "postmortems.ActionItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key", "channel", "recipient"], name="delivery_once"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
            models.Index(fields=["-created_at", "-id"], name="delivery_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.channel} to {self.recipient}"


class TallyState(models.Model):
    """When one team's debt tally was counted (``team_key`` 0: incidents without a team).

    A team's stored rows are usable on the day they were counted for, with the at-risk
    threshold they were counted with. The organisation's row (``team_key`` -2) also
    carries ``version``, bumped by every pass of the worker that changes stored rows, so
    that a page reading several tables without a lock can tell a pass landed meanwhile
    and read again (``kintsugi/debt/tally/read.py``).
    """

    team_key = models.IntegerField(primary_key=True)
    version = models.BigIntegerField(default=0)
    computed_for = models.DateField(null=True)
    at_risk_days = models.IntegerField(default=-1)
    computed_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"tally of team {self.team_key} (counted for {self.computed_for}, v{self.version})"


class TallyRow(models.Model):
    """One pre-computed row of the debt dashboard, for one team, as of ``TallyState``.

    ``dimension`` says what ``key`` is: ``all`` (the whole team, no key), ``owner`` (a user
    id, "" for unassigned), ``severity``, ``service`` (a service id, "" for none) or
    ``trend`` (a trend point, 0 = oldest). ``incident`` is set only for items of restricted
    incidents, so the dashboard adds those rows only for people who may see the incident.
    """

    team_key = models.IntegerField()
    incident_id = models.BigIntegerField(null=True)
    dimension = models.CharField(max_length=8)
    key = models.CharField(max_length=40, blank=True)
    open = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)
    at_risk = models.IntegerField(default=0)
    no_date = models.IntegerField(default=0)
    done = models.IntegerField(default=0)
    done_late = models.IntegerField(default=0)
    wont_do = models.IntegerField(default=0)
    sla_measured = models.IntegerField(default=0)
    sla_met = models.IntegerField(default=0)
    oldest_open = models.DateTimeField(null=True)

    class Meta:
        indexes = [models.Index(fields=["team_key", "dimension"], name="debt_tally_team_dim")]

    def __str__(self) -> str:
        return f"{self.team_key}/{self.dimension}/{self.key}"


class TallyItem(models.Model):
    """The facts of one action item as the stored tally counted them.

    The stored rows are the sum of what these facts contribute (``core.debt.tally``): a
    page corrects the sums for the incidents written since (``TallyLog``) by subtracting
    what their items contributed here and adding what they contribute now.
    """

    item_id = models.BigIntegerField(primary_key=True)
    incident_id = models.BigIntegerField()
    team_key = models.IntegerField()
    restricted = models.BooleanField(default=False)
    owner_id = models.BigIntegerField(null=True)
    severity = models.CharField(max_length=8)
    status = models.CharField(max_length=16)
    priority = models.CharField(max_length=2)
    due_on = models.DateField(null=True)
    policy_due_on = models.DateField(null=True)
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True)
    has_ticket = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["incident_id"], name="debt_tallyitem_incident"),
            models.Index(fields=["team_key"], name="debt_tallyitem_team"),
            models.Index(fields=["created_at"], name="debt_tallyitem_created"),
        ]

    def __str__(self) -> str:
        return f"item {self.item_id} as counted"


class TallyService(models.Model):
    """An incident's service as the stored tally counted it (with ``TallyItem``)."""

    incident_id = models.BigIntegerField()
    service_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["incident_id"], name="debt_tallyservice_incident")]

    def __str__(self) -> str:
        return f"incident {self.incident_id} affects service {self.service_id}"


class TallyLog(models.Model):
    """An incident written since the worker last counted it, with its team at the time.

    Inserted by database triggers (``kintsugi/debt/tally/triggers.py``) on every write
    that can change a number, whatever wrote it; the worker folds the incidents in and
    deletes the rows it read.
    """

    team_key = models.IntegerField()
    incident_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["team_key"], name="debt_tallylog_team")]

    def __str__(self) -> str:
        return f"incident {self.incident_id} of team {self.team_key} written"
