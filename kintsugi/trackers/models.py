"""A team's tracker, the ticket behind an action item, and the outbox of calls to make.

The token is either named by the environment variable that holds it (``token_env``, read
when a call is made), or typed in once and kept sealed (``token_sealed``: Fernet under the
key in ``KINTSUGI_ENCRYPTION_KEY``, ``kintsugi/core/sealing.py``); exactly one is set. The
webhook secret is Kintsugi's own (it is generated here and given to the tracker), so it is
kept to check deliveries; after a rotation the previous one is accepted until
``previous_valid_until`` (``kintsugi/core/rotation.py``, the rule capture sources use).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from kintsugi.postmortems.models import ActionItem
from kintsugi.teams.models import Team


class TrackerKind(models.TextChoices):
    GITHUB = "github", "GitHub Issues"
    GITLAB = "gitlab", "GitLab Issues"
    JIRA_CLOUD = "jira_cloud", "Jira Cloud"
    JIRA_DC = "jira_dc", "Jira Data Center"


class TrackerConnection(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="tracker_connections")
    kind = models.CharField(max_length=16, choices=TrackerKind.choices)
    name = models.CharField(max_length=100, unique=True)
    base_url = models.URLField(
        max_length=500, help_text="The API's root, e.g. https://api.github.com"
    )
    web_url = models.URLField(
        max_length=500, help_text="Where people open issues, e.g. https://github.com"
    )
    project = models.CharField(max_length=300, help_text="owner/repo or group/project")
    token_env = models.CharField(
        max_length=100, blank=True, help_text="Environment variable holding the token"
    )
    token_sealed = models.TextField(blank=True, help_text="The token, sealed (never shown)")
    webhook_secret = models.CharField(max_length=100)
    previous_webhook_secret = models.CharField(max_length=100, blank=True)
    previous_valid_until = models.DateTimeField(null=True, blank=True)
    rotated_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The poll (the fallback for lost webhooks) lists the issues changed since then: one
    # request per page of 100 changed issues, not one per linked ticket.
    last_polled_at = models.DateTimeField(null=True, blank=True)
    poll_error = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()} {self.project})"


class TicketLink(models.Model):
    """The ticket behind one action item and what was last agreed with the tracker."""

    action_item = models.OneToOneField(
        ActionItem, on_delete=models.CASCADE, related_name="ticket_link"
    )
    connection = models.ForeignKey(
        TrackerConnection, on_delete=models.CASCADE, related_name="links"
    )
    key = models.CharField(max_length=50, blank=True)  # empty until the create succeeds
    url = models.URLField(max_length=500, blank=True)
    snapshot = models.JSONField(default=dict, blank=True)
    remote_assignee = models.CharField(max_length=200, blank=True)
    closed_by = models.CharField(max_length=200, blank=True)
    # The item's version when it was last reconciled: a newer one has changes to send.
    synced_version = models.PositiveIntegerField(default=0)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    sync_error = models.TextField(blank=True)
    conflict = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "key"],
                condition=~models.Q(key=""),
                name="tracker_one_link_per_ticket",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.key or '(creating)'} for item {self.action_item_id}"


class JobKind(models.TextChoices):
    CREATE = "create", "Create the ticket"
    PUSH = "push", "Send Kintsugi's changes"
    PULL = "pull", "Read the ticket"


class JobState(models.TextChoices):
    WAITING = "waiting", "Waiting"
    DONE = "done", "Done"
    FAILED = "failed", "Failed (gave up)"


class SyncJob(models.Model):
    """One call to make, claimed by the worker with a conditional UPDATE.

    ``idempotency_key`` makes a second "create" for the same item the same job, and is
    written into the ticket so a create whose answer was lost is found, not repeated.
    """

    link = models.ForeignKey(TicketLink, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=8, choices=JobKind.choices)
    idempotency_key = models.CharField(max_length=64, unique=True)
    state = models.CharField(max_length=8, choices=JobState.choices, default=JobState.WAITING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)  # the pacing counts these

    class Meta:
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="sync_job_due"),
            # The pace check reads the writes of the last minute and hour: a range of this
            # index, not a scan of every job ever finished (10,000 items: issue 17).
            models.Index(fields=["finished_at"], name="sync_job_finished"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.idempotency_key} ({self.state})"


class WebhookDelivery(models.Model):
    """A delivery id seen once: a replayed webhook is answered and ignored."""

    connection = models.ForeignKey(
        TrackerConnection, on_delete=models.CASCADE, related_name="deliveries"
    )
    delivery_id = models.CharField(max_length=100)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "delivery_id"], name="tracker_delivery_once"
            )
        ]

    def __str__(self) -> str:
        return self.delivery_id


class AccountMapping(models.Model):
    """A tracker account that is not matched by email, matched to a user by hand."""

    connection = models.ForeignKey(
        TrackerConnection, on_delete=models.CASCADE, related_name="accounts"
    )
    account = models.CharField(max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["connection", "account"], name="tracker_account_once")
        ]

    def __str__(self) -> str:
        return f"{self.account} -> {self.user_id}"
