"""Review requests and decisions, waivers of publish-checklist problems, comment threads,
and the audit log.

Comments and reviews belong to an incident and are seen only by those who may see it
(``postmortems.access``); the audit log keeps the incident's reference as text so that
the record of a deletion outlives the incident.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from kintsugi.core.reviews.comments import MAX_COMMENT
from kintsugi.core.reviews.meeting import MAX_NOTES
from kintsugi.core.reviews.workflow import MAX_REASON, Decision
from kintsugi.core.vocabulary import choices
from kintsugi.postmortems.models import Incident
from kintsugi.teams.models import Team


class TeamReviewSettings(models.Model):
    """How many approvals a team's post-mortems need before they can be published."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="review_settings")
    approvals_needed = models.PositiveSmallIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.team}: {self.approvals_needed} approval(s)"


class ReviewRequest(models.Model):
    """One reviewer asked to review one post-mortem, and their current decision."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews"
    )
    # Set when the reviewer was asked as a member of a team.
    via_team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=20, choices=choices(Decision), default=Decision.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, max_length=MAX_REASON)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [models.UniqueConstraint(fields=["incident", "reviewer"], name="review_once")]

    def __str__(self) -> str:
        return f"{self.reviewer} on INC-{self.incident_id}: {self.decision}"


class Waiver(models.Model):
    """A publish-checklist problem accepted as it is, with who, when and why."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="waivers")
    check_key = models.CharField(max_length=32)
    problem_key = models.CharField(max_length=300)
    problem_text = models.TextField(max_length=2000)
    reason = models.TextField(max_length=MAX_REASON)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    waived_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["waived_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "problem_key"], name="waive_once")
        ]

    def __str__(self) -> str:
        return f"{self.problem_key}: {self.reason[:40]}"


class Thread(models.Model):
    """A discussion on one section, field or 5 Whys step (``kintsugi.core.reviews.comments``)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="threads")
    anchor = models.CharField(max_length=40)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["incident", "resolved_at"], name="thread_open")]

    def __str__(self) -> str:
        return f"INC-{self.incident_id} {self.anchor}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class Comment(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(max_length=MAX_COMMENT)
    created_at = models.DateTimeField(default=timezone.now)
    # The blameless checker's findings on the text when it was written (shown, not
    # blocking): stored so a page of comments does not lint every comment again.
    findings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class AuditAction(models.TextChoices):
    CREATE = "create", "Created"
    PUBLISH = "publish", "Published"
    STATUS = "status", "Status changed"
    RESTRICT = "restrict", "Restricted"
    UNRESTRICT = "unrestrict", "Unrestricted"
    ACCESS = "access", "Access changed"
    DELETE = "delete", "Deleted"
    REVIEW_REQUEST = "review_request", "Review requested"
    REVIEW_DECISION = "review_decision", "Review decision"
    WAIVE = "waive", "Checklist problem waived"
    UNWAIVE = "unwaive", "Waiver withdrawn"
    RESTORE = "restore", "Section restored"  # kintsugi.history, through postmortems' hook
    # Not about an incident: users, teams, services changed on the administration pages
    # (kintsugi/administration/audit.py; ``incident_ref`` names what changed).
    ADMINISTRATION = "administration", "Administration change"


class AuditEntry(models.Model):
    """Who did what to an incident, kept after the incident is deleted."""

    incident = models.ForeignKey(
        Incident, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    incident_ref = models.CharField(max_length=32)
    # The incident's restriction when the entry was written: the log of a deleted
    # restricted incident stays for admins only.
    was_restricted = models.BooleanField(default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["incident", "-at"], name="audit_incident")]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.incident_ref} {self.action}"


class ReviewMeeting(models.Model):
    """The review meeting of a post-mortem: who came, the notes taken, the follow-up sent.

    One per post-mortem: a review is one conversation, and a second meeting continues the
    same notes. ``version`` guards the notes against two note-takers saving over each other.
    """

    incident = models.OneToOneField(
        Incident, on_delete=models.CASCADE, related_name="review_meeting"
    )
    notes = models.TextField(blank=True, max_length=MAX_NOTES)
    # The blameless checker's findings on the notes when saved (shown, never blocking).
    findings = models.JSONField(default=list, blank=True)
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    follow_up_sent_at = models.DateTimeField(null=True, blank=True)
    follow_up_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Review meeting of INC-{self.incident_id}"
