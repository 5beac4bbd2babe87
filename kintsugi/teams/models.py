"""Teams own incidents and services; services are what incidents affect."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class TeamRole(models.TextChoices):
    """What a member may do with the team's incidents (kintsugi/postmortems/access.py):
    the team role overrides the organisation-wide role for them, so a company-wide viewer
    may edit their own team's post-mortems, and an editor may only read a team's where they
    are a viewer. A team admin also changes the team's settings (debt, trackers, sources)."""

    VIEWER = "viewer", "Viewer (reads the team's incidents)"
    EDITOR = "editor", "Editor"
    ADMIN = "admin", "Team admin"


def team_role(is_lead: bool, read_only: bool) -> TeamRole:
    """The role that a membership's two flags store (see ``Membership``)."""
    if is_lead:
        return TeamRole.ADMIN
    return TeamRole.VIEWER if read_only else TeamRole.EDITOR


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True, max_length=2000)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="teams", blank=True
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    # The team role, as two flags: ``is_lead`` is the team admin (the flag every team-admin
    # check reads), ``read_only`` the viewer; neither is the editor. Never both.
    is_lead = models.BooleanField(default=False)
    read_only = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="unique_membership"),
            models.CheckConstraint(
                condition=~Q(is_lead=True, read_only=True), name="membership_lead_not_read_only"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"

    @property
    def role(self) -> TeamRole:
        return team_role(self.is_lead, self.read_only)

    @staticmethod
    def flags(role: str) -> dict[str, bool]:
        """The fields that store ``role`` (``Membership(**Membership.flags("viewer"))``)."""
        chosen = TeamRole(role)
        return {"is_lead": chosen == TeamRole.ADMIN, "read_only": chosen == TeamRole.VIEWER}


class Service(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True, max_length=2000)
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="services"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SeverityDefinition(models.Model):
    """The organisation's words for one severity level (issue 19).

    The levels SEV1 to SEV4 are fixed (``kintsugi/core/vocabulary.py``: the Markdown
    format, the API and the importer share them); what each is called and means here is a
    setting. No row means the vocabulary's default text (``kintsugi/teams/severities.py``).
    """

    level = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=40)
    definition = models.TextField(max_length=600)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["level"]

    def __str__(self) -> str:
        return f"{self.level} - {self.name}"
