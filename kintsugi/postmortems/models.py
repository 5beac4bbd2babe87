"""Storage of incidents and their post-mortems.

Each independently editable section carries a ``version`` counter: a save names the version
it was based on, and a save based on an older version is refused (optimistic concurrency),
so two people editing the same section never silently overwrite each other.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from kintsugi.core import document as limits
from kintsugi.core.timeline import EventKind
from kintsugi.core.vocabulary import (
    ActionStatus,
    EvidenceKind,
    LessonKind,
    PostmortemStatus,
    Priority,
    Severity,
    choices,
)
from kintsugi.teams.models import Service, Team


class Incident(models.Model):
    """An incident and its post-mortem document (one record: they share a life cycle)."""

    title = models.CharField(max_length=limits.MAX_TITLE)
    severity = models.CharField(max_length=4, choices=choices(Severity), default=Severity.SEV3)
    status = models.CharField(
        max_length=16, choices=choices(PostmortemStatus), default=PostmortemStatus.DRAFT
    )
    started_at = models.DateTimeField(help_text="When impact began (UTC).")
    ended_at = models.DateTimeField(null=True, blank=True, help_text="Full recovery (UTC).")
    summary = models.TextField(blank=True, max_length=limits.MAX_TEXT)
    impact = models.TextField(blank=True, max_length=limits.MAX_TEXT)
    regions = models.JSONField(default=list, blank=True)
    trigger = models.TextField(blank=True, max_length=limits.MAX_TEXT)
    detection = models.TextField(blank=True, max_length=limits.MAX_TEXT)
    resolution = models.TextField(blank=True, max_length=limits.MAX_TEXT)
    appendix = models.TextField(blank=True, max_length=limits.MAX_APPENDIX)
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="incidents"
    )
    services = models.ManyToManyField(Service, related_name="incidents", blank=True)
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="authored_incidents", blank=True
    )
    is_restricted = models.BooleanField(
        default=False, help_text="Only members, authors, the team and admins can see it."
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="member_incidents", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # Imported documents (kintsugi/documents/imports.py). Front matter keys we do not
    # model, kept so nothing the author wrote is lost:
    source_metadata = models.JSONField(default=dict, blank=True)
    # Authors named in the file who are not users (yet): kept as written.
    author_names = models.JSONField(default=list, blank=True)
    # Which file it came from (a re-import of the same file updates, never duplicates),
    # and the revision it had after that import (a re-import over later edits is refused).
    import_source = models.CharField(max_length=500, blank=True)
    import_revision = models.CharField(max_length=64, blank=True)
    # What the importer assumed; shown on the page until a person confirms it.
    import_notes = models.JSONField(default=list, blank=True)
    import_confirmed_at = models.DateTimeField(null=True, blank=True)
    import_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["-started_at", "-id"], name="incident_recent"),
            models.Index(fields=["status", "-started_at"], name="incident_status"),
            models.Index(fields=["severity", "-started_at"], name="incident_severity"),
            models.Index(fields=["team", "-started_at"], name="incident_team"),
            # The few restricted incidents, which access.hidden_incidents() reads on every
            # debt page instead of scanning every incident.
            models.Index(
                fields=["id"], condition=models.Q(is_restricted=True), name="incident_restricted"
            ),
            models.Index(
                fields=["import_source"],
                condition=~models.Q(import_source=""),
                name="incident_import_source",
            ),
        ]

    def __str__(self) -> str:
        return f"INC-{self.pk}: {self.title}"

    @property
    def reference(self) -> str:
        return f"INC-{self.pk}"

    @property
    def severity_enum(self) -> Severity:
        return Severity(self.severity)

    @property
    def has_unconfirmed_import(self) -> bool:
        return bool(self.import_notes) and self.import_confirmed_at is None


class TimelineEvent(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    occurred_at = models.DateTimeField()
    kind = models.CharField(max_length=32, choices=choices(EventKind), default=EventKind.NOTE)
    text = models.TextField(max_length=limits.MAX_SHORT_TEXT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who an imported file names when they are not a user (yet).
    author_name = models.CharField(max_length=limits.MAX_NAME, blank=True)
    evidence_url = models.URLField(max_length=limits.MAX_URL, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["incident", "occurred_at", "id"], name="event_timeline")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.kind}"


class Factor(models.Model):
    """A contributing factor: a technical condition that made the incident possible or worse."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="factors")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=limits.MAX_TITLE)
    description = models.TextField(blank=True, max_length=limits.MAX_TEXT)
    version = models.PositiveIntegerField(default=1)

    # Set by the post-mortem page, which reads every factor's evidence with the factors.
    loaded_evidence: list[Evidence] | None = None

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["incident", "position"], name="factor_order")]

    def __str__(self) -> str:
        return self.title

    def evidence_links(self) -> list[Evidence]:
        """The evidence the page read with the factor, else (one factor alone) a query."""
        if self.loaded_evidence is not None:
            return self.loaded_evidence
        return list(self.evidence.all())


class Evidence(models.Model):
    factor = models.ForeignKey(Factor, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(
        max_length=16, choices=choices(EvidenceKind), default=EvidenceKind.OTHER
    )
    url = models.URLField(max_length=limits.MAX_URL)
    label = models.CharField(max_length=limits.MAX_TITLE, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.label or self.url


class Lesson(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="lessons")
    kind = models.CharField(max_length=16, choices=choices(LessonKind))
    text = models.TextField(max_length=limits.MAX_SHORT_TEXT)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["kind", "position", "id"]
        indexes = [models.Index(fields=["incident", "kind", "position"], name="lesson_order")]

    def __str__(self) -> str:
        return self.text[:60]


class ActionItem(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="action_items")
    title = models.CharField(max_length=limits.MAX_TITLE)
    description = models.TextField(blank=True, max_length=limits.MAX_TEXT)
    priority = models.CharField(max_length=2, choices=choices(Priority), default=Priority.P2)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    # An owner an imported file names who is not a user (yet): "@dbteam", "JS", "TBD".
    # Kept as written and shown as an unmatched owner until someone matches it.
    owner_name = models.CharField(max_length=limits.MAX_NAME, blank=True)
    ticket_id = models.CharField(max_length=limits.MAX_TICKET_ID, blank=True)
    ticket_url = models.URLField(max_length=limits.MAX_URL, blank=True)
    due_on = models.DateField(null=True, blank=True, help_text="Target completion date.")
    status = models.CharField(
        max_length=16, choices=choices(ActionStatus), default=ActionStatus.OPEN
    )
    status_reason = models.TextField(blank=True, max_length=limits.MAX_SHORT_TEXT)
    factor = models.ForeignKey(
        Factor, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was done or declared won't do (UTC)."
    )
    # The due-window policy (docs/debt.md). The date the policy asked is stored when the
    # target date is set, so a later change of policy does not rewrite history and the SLA
    # is measured against what was asked at the time.
    policy_due_on = models.DateField(
        null=True, blank=True, help_text="The target date the due-window policy asked for."
    )
    due_reason = models.TextField(
        blank=True,
        max_length=limits.MAX_SHORT_TEXT,
        help_text="Why the target date is later than the policy asks (an exception).",
    )
    # The sprint budget: what the item costs and the sprint it is planned in.
    estimate = models.FloatField(
        null=True, blank=True, help_text="Points or hours; empty if unknown."
    )
    planned_sprint = models.PositiveIntegerField(
        null=True, blank=True, help_text="Number of the team's sprint it is planned in."
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["priority", models.F("due_on").asc(nulls_last=True), "id"]
        indexes = [
            models.Index(fields=["incident", "priority", "due_on"], name="action_incident"),
            models.Index(fields=["status", "due_on"], name="action_status_due"),
            models.Index(fields=["owner", "status"], name="action_owner"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return ActionStatus(self.status).is_closed

    @property
    def missing_fields(self) -> list[str]:
        missing = []
        if not self.owner_id:
            missing.append("owner")
        if not self.ticket_id:
            missing.append("ticket")
        if not self.due_on:
            missing.append("target date")
        return missing

    @property
    def is_due_exception(self) -> bool:
        """A target date later than the policy asked (shown with its reason)."""
        return bool(self.due_on and self.policy_due_on and self.due_on > self.policy_due_on)


class PendingImport(models.Model):
    """A file uploaded on the Import page, kept between its preview and the confirmation.

    The browser shows what the import would do first; holding the bytes here (rather than
    sending them back and forth in the form) keeps the confirmation small and exact. Rows
    are deleted when confirmed, and those left behind after a day by the next upload.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=255)
    data = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["owner", "created_at"], name="pending_import_owner")]

    def __str__(self) -> str:
        return self.name
