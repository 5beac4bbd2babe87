"""Forms for creating an incident and editing its three incident-level sections."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django import forms

from kintsugi.accounts.models import User
from kintsugi.core import document as limits
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.vocabulary import PostmortemStatus, Severity, choices
from kintsugi.postmortems import services
from kintsugi.postmortems.models import Incident
from kintsugi.teams.models import Service, Team
from kintsugi.teams.severities import severity_texts
from kintsugi.web.forms.base import (
    ServiceForm,
    UtcTimeField,
    VersionField,
    choice_field,
    text_field,
)

# The incident row is one versioned record, but the page edits it in three independent
# sections. Each section's form remembers a fingerprint of the fields it shows, so a save
# that conflicts only because *another* section of the same incident was saved meanwhile
# can go through; a real clash on the same fields is still refused.
# Many-to-many fields: compared, shown and saved as lists of rows.
RELATIONS = ("services", "authors", "members")
SECTION_FIELDS: dict[str, tuple[str, ...]] = {
    "header": ("title", "status", "team", "is_restricted", "authors", "members"),
    "summary": ("summary", "impact", "regions", "services", "severity", "started_at", "ended_at"),
    "narrative": ("trigger", "detection", "resolution"),
}


def fingerprint(incident: Incident, section: str) -> str:
    values: list[Any] = []
    for name in SECTION_FIELDS[section]:
        if name in RELATIONS:
            values.append(sorted(obj.pk for obj in getattr(incident, name).all()))
        elif name == "team":
            values.append(incident.team_id)
        else:
            values.append(getattr(incident, name))
    encoded = json.dumps(values, default=str, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()[:32]


def _severity_choices() -> list[tuple[str, str]]:
    return choices(Severity)


class SeverityRadio(forms.RadioSelect):
    """Radio buttons that show each severity's definition, so people pick by meaning."""

    option_template_name = "web/includes/severity_option.html"

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        if not hasattr(self, "_texts"):  # one query for the four options
            self._texts = severity_texts()
        text = self._texts.get(str(option["value"]))
        option["definition"] = text.definition if text else Severity(option["value"]).definition
        return option


def _team_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label="— no team —",
        error_messages={"invalid_choice": "That team does not exist (any more)."},
    )


def _services_field() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=Service.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The services whose users felt the impact.",
        error_messages={"invalid_choice": "Service %(value)s does not exist (any more)."},
    )


class IncidentCreateForm(ServiceForm):
    title = text_field(label="Title", max_length=limits.MAX_TITLE)
    severity = choice_field(
        label="Severity", choices=_severity_choices(), widget=SeverityRadio, initial=Severity.SEV3
    )
    started_at = UtcTimeField(label="Impact started at")
    team = _team_field()
    services = _services_field()
    is_restricted = forms.BooleanField(
        label="Restricted",
        required=False,
        help_text="Only the team, the authors, its members and admins can see a restricted "
        "incident (for security incidents, for example).",
    )

    def save(self, *, user: User) -> Incident | None:
        data = self.cleaned_data
        return self.run(
            lambda: services.incident_create(
                user=user,
                title=data["title"],
                severity=data["severity"],
                started_at=data["started_at"],
                team=data["team"],
                services=list(data["services"]),
                is_restricted=data["is_restricted"],
            )
        )


class IncidentSectionForm(ServiceForm):
    section = ""
    version = VersionField()
    base = forms.CharField(widget=forms.HiddenInput, required=False)

    @classmethod
    def for_incident(cls, incident: Incident) -> IncidentSectionForm:
        initial = {name: cls.initial_value(incident, name) for name in SECTION_FIELDS[cls.section]}
        initial["version"] = incident.version
        initial["base"] = fingerprint(incident, cls.section)
        return cls(initial=initial)

    @staticmethod
    def initial_value(incident: Incident, name: str) -> Any:
        if name in RELATIONS:
            return list(getattr(incident, name).all())
        if name == "regions":
            return ", ".join(incident.regions or [])
        if name == "team":
            return incident.team_id
        return getattr(incident, name)

    def values(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in SECTION_FIELDS[self.section]}
        for name in RELATIONS:
            if name in values:
                values[name] = list(values[name])
        return values

    def save(self, *, user: User, incident: Incident) -> Incident | None:
        values = self.values()
        version = self.cleaned_data["version"]
        base = self.cleaned_data.get("base") or ""
        for _attempt in range(3):
            try:
                return services.incident_update(
                    user=user, incident=incident, version=version, **values
                )
            except services.ConflictError as conflict:
                current = conflict.current
                if not base or fingerprint(current, self.section) != base:
                    raise
                # Only another section changed: base this save on the newer row.
                incident, version = current, current.version
            except ValidationProblem as problem:
                self.add_problem(problem)
                return None
        self.add_error(None, "This incident kept changing while saving; please save again.")
        return None

    def show_section_conflict(self, conflict: services.ConflictError) -> None:
        self.show_conflict(conflict, version=conflict.current.version)
        data = self.data.copy()
        data["base"] = fingerprint(conflict.current, self.section)
        self.data = data


def _people_field(what: str, **extra: Any) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("username"),
        to_field_name="username",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        error_messages={"invalid_choice": f"Unknown {what} “%(value)s”: choose active users."},
        **extra,
    )


class HeaderForm(IncidentSectionForm):
    section = "header"
    title = text_field(label="Title", max_length=limits.MAX_TITLE)
    status = choice_field(label="Status", choices=choices(PostmortemStatus))
    team = _team_field()
    authors = _people_field("author")
    is_restricted = forms.BooleanField(label="Restricted", required=False)
    members = _people_field(
        "member",
        label="Members",
        help_text="Who else may see it while restricted, besides the team, the authors and "
        "admins (responders from other teams, for example).",
    )


class SummaryForm(IncidentSectionForm):
    section = "summary"
    summary = text_field(
        label="What happened",
        max_length=limits.MAX_TEXT,
        rows=5,
        help_text="Markdown. Describe the system, not the people.",
    )
    impact = text_field(
        label="Who was affected",
        max_length=limits.MAX_TEXT,
        rows=3,
        help_text="Customers and users affected, and how.",
    )
    regions = text_field(
        label="Regions",
        max_length=2000,
        help_text="Comma-separated, for example eu-west-1, us-east-1.",
    )
    services = _services_field()
    severity = choice_field(label="Severity", choices=_severity_choices(), widget=SeverityRadio)
    started_at = UtcTimeField(label="Impact started at")
    ended_at = UtcTimeField(label="Fully recovered at", required=False)

    def clean_regions(self) -> list[str]:
        raw = self.cleaned_data.get("regions") or ""
        return [part.strip() for part in raw.split(",") if part.strip()]


class NarrativeForm(IncidentSectionForm):
    section = "narrative"
    trigger = text_field(
        label="Trigger",
        max_length=limits.MAX_TEXT,
        rows=4,
        help_text="The change or condition that set the incident off.",
    )
    detection = text_field(
        label="Detection",
        max_length=limits.MAX_TEXT,
        rows=4,
        help_text="How we found out: which alert, which person, how late.",
    )
    resolution = text_field(
        label="Resolution",
        max_length=limits.MAX_TEXT,
        rows=4,
        help_text="What stopped the impact and what restored full service.",
    )
