"""Sources (named, secret-holding receivers), the raw deliveries they received, and the
links from what a sender names (an alert group, a PagerDuty incident) to our incidents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from kintsugi.core.capture.severity import DEFAULT_LABEL, DEFAULT_MAP
from kintsugi.postmortems.models import Incident, TimelineEvent
from kintsugi.teams.models import Team


class SourceKind(models.TextChoices):
    ALERTMANAGER = "alertmanager", "Prometheus Alertmanager"
    PAGERDUTY = "pagerduty", "PagerDuty (webhooks v3)"
    GENERIC = "generic", "Generic JSON"
    CSV = "csv", "CSV of events"


def _default_map() -> dict[str, str]:
    return dict(DEFAULT_MAP)


class Source(models.Model):
    """A receiver of one kind. Bearer kinds store only the SHA-256 of their secret;
    PagerDuty's signing secret is PagerDuty's own and an HMAC can only be checked with the
    key itself, so that one is stored as given (docs/integrations.md, "Secrets")."""

    kind = models.CharField(max_length=16, choices=SourceKind.choices)
    name = models.CharField(max_length=100, unique=True)
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="capture_sources"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    secret_hash = models.CharField(max_length=64, blank=True)
    signing_secret = models.CharField(max_length=200, blank=True)
    # The secret before the last rotation, accepted until previous_valid_until so senders
    # can be switched over without losing deliveries.
    previous_secret_hash = models.CharField(max_length=64, blank=True)
    previous_signing_secret = models.CharField(max_length=200, blank=True)
    previous_valid_until = models.DateTimeField(null=True, blank=True)
    rotated_at = models.DateTimeField(null=True, blank=True)
    severity_label = models.CharField(max_length=100, default=DEFAULT_LABEL)
    severity_map = models.JSONField(default=_default_map)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"


class DeliveryStatus(models.TextChoices):
    RECEIVED = "received", "Received (waiting for `kintsugi source work`)"
    PROCESSING = "processing", "Being processed"
    PROCESSED = "processed", "Processed"
    DUPLICATE = "duplicate", "Nothing new (a re-delivery)"
    REJECTED = "rejected", "Rejected"
    FAILED = "failed", "Failed"


class RawDelivery(models.Model):
    """Every authenticated payload, stored before it is processed: for audit, for
    re-processing, and so a refused payload can be inspected."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="deliveries")
    received_at = models.DateTimeField(default=timezone.now)
    body = models.BinaryField()
    body_size = models.PositiveIntegerField(default=0)
    headers = models.JSONField(default=dict)
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.RECEIVED
    )
    reason = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    # Set when `kintsugi source work` claims a large delivery; a claim older than
    # CLAIM_TIMEOUT (the worker died) may be taken again.
    claimed_at = models.DateTimeField(null=True, blank=True)
    events_added = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["source", "-received_at"], name="delivery_source_recent"),
            models.Index(
                fields=["id"],
                condition=models.Q(status__in=["received", "processing"]),
                name="delivery_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.received_at:%Y-%m-%d %H:%M:%S} {self.status}"


class CaptureLink(models.Model):
    """Which incident a sender's group (alert group, PagerDuty incident, JSON key) opened.
    While open (``closed_at`` empty) new events of the group join it; after the group is
    resolved, its next firing opens a new incident."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="links")
    group_key = models.CharField(max_length=250)
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="capture_links")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The severity capture last gave the incident. While the incident still has it (nobody
    # changed it by hand) and is a draft, a more severe alert joining the group raises it;
    # empty for links made before capture kept it (never raised: unknown who set it).
    severity_set = models.CharField(max_length=4, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "group_key"],
                condition=models.Q(closed_at__isnull=True),
                name="capture_one_open_link",
            )
        ]
        indexes = [models.Index(fields=["source", "group_key", "-id"], name="capture_link_group")]

    def __str__(self) -> str:
        return f"{self.group_key} -> {self.incident_id}"


class CapturedEvent(models.Model):
    """A transition already recorded: the reason a re-delivery adds nothing."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="captured")
    key = models.CharField(max_length=300)
    link = models.ForeignKey(CaptureLink, on_delete=models.CASCADE, related_name="captured")
    event = models.ForeignKey(
        TimelineEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "key"], name="capture_event_once")]

    def __str__(self) -> str:
        return self.key


class SlackImportStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    PROCESSED = "processed", "Processed"
    DUPLICATE = "duplicate", "Nothing new (imported before)"
    REJECTED = "rejected", "Rejected"


class SlackImport(models.Model):
    """A Slack export uploaded for an incident, stored as uploaded before it is read (for
    audit and re-processing); a refused one is kept with its reason. An upload larger than
    the reader accepts is recorded without its body."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="slack_imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(default=timezone.now)
    file_name = models.CharField(max_length=255, blank=True)
    body = models.BinaryField()
    body_size = models.PositiveBigIntegerField(default=0)
    # Set when an earlier upload is read again (another channel or window): its body is
    # read from there rather than stored twice.
    reread_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="rereads"
    )
    channel = models.CharField(max_length=100)
    channel_id = models.CharField(max_length=40, blank=True)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    workspace_url = models.CharField(max_length=300)
    reactions = models.CharField(max_length=500, blank=True)
    status = models.CharField(
        max_length=16, choices=SlackImportStatus.choices, default=SlackImportStatus.RECEIVED
    )
    reason = models.TextField(blank=True)
    candidates_added = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["incident", "-received_at"], name="slack_import_recent")]

    def __str__(self) -> str:
        return f"{self.incident_id} #{self.channel} {self.status}"


class CandidateState(models.TextChoices):
    PENDING = "pending", "Undecided"
    KEPT = "kept", "Kept"
    DROPPED = "dropped", "Dropped"
    ADDED = "added", "Added to the timeline"


class TimelineCandidate(models.Model):
    """A message that may become a timeline event once a person keeps it. ``key`` (the
    Slack channel and message ``ts``) is unique per incident: importing the same export
    again adds nothing and leaves the decisions already made alone."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="timeline_candidates"
    )
    slack_import = models.ForeignKey(
        SlackImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="candidates"
    )
    key = models.CharField(max_length=100)
    occurred_at = models.DateTimeField()
    author = models.CharField(max_length=150, blank=True)
    text = models.TextField(max_length=2000)
    permalink = models.URLField(max_length=2000)
    preselected = models.BooleanField(default=False)
    state = models.CharField(
        max_length=16, choices=CandidateState.choices, default=CandidateState.PENDING
    )
    event = models.ForeignKey(
        TimelineEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["occurred_at", "id"]
        constraints = [models.UniqueConstraint(fields=["incident", "key"], name="candidate_once")]
        indexes = [models.Index(fields=["incident", "occurred_at", "id"], name="candidate_order")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.author}"
