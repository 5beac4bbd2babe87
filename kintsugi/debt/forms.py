"""Forms for the debt settings: they parse text, the services check the rules.

A service's ``ValidationProblem`` names a field in the core's words (``weekday``, ``at``,
``capacity``...); :data:`FIELD_OF` maps it to the form field it belongs next to.
"""

from __future__ import annotations

from typing import Any

from django import forms

from kintsugi.core.debt.sprints import CapacityUnit
from kintsugi.core.errors import ValidationProblem
from kintsugi.debt.models import WEEKDAY_CHOICES

FIELD_OF = {
    "weekday": "review_weekday",
    "at": "review_time",
    "length_days": "sprint_length_days",
    "capacity": "sprint_capacity",
    "days_before_due": "remind_before_days",
}


def _text(label: str, help_text: str = "", **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, help_text=help_text, widget=forms.TextInput(attrs=attrs)
    )


class ProblemForm(forms.Form):
    def add_problem(self, problem: ValidationProblem) -> None:
        field = FIELD_OF.get(problem.field or "", problem.field)
        self.add_error(field if field in self.fields else None, problem.message)


class PolicyFields(ProblemForm):
    window_p0 = _text("P0 window (days)", inputmode="numeric")
    window_p1 = _text("P1 window (days)", inputmode="numeric")
    window_p2 = _text("P2 window (days)", inputmode="numeric")
    window_p3 = _text("P3 window (days)", inputmode="numeric")
    at_risk_days = _text("At-risk threshold (days)", inputmode="numeric")

    def windows(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.fields if name.startswith("window_")}


# The team settings the form edits as they are stored (the review time and the Slack
# webhook are read and written on their own); the settings page's initial values use them.
TEAM_SETTING_FIELDS = (
    "timezone",
    "review_enabled",
    "review_weekday",
    "review_email",
    "remind_before_days",
    "escalate_after_days",
    "sprint_start_on",
    "sprint_length_days",
    "sprint_capacity",
    "capacity_unit",
    "reserved_percent",
)


class TeamSettingsForm(PolicyFields):
    timezone = _text("Timezone", "IANA name, e.g. Europe/Berlin.")
    review_enabled = forms.BooleanField(label="Send the weekly review", required=False)
    review_weekday = forms.TypedChoiceField(
        label="Review day", choices=WEEKDAY_CHOICES, coerce=int, required=False
    )
    review_time = _text("Review time", "HH:MM in the team's timezone.", placeholder="09:30")
    review_email = _text("Also email the review to", "A list address (optional).")
    slack_webhook_url = forms.CharField(
        label="Slack incoming webhook URL",
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text="Leave empty to keep the current one. https only; never shown again.",
    )
    remove_webhook = forms.BooleanField(label="Remove the Slack webhook", required=False)
    remind_before_days = _text("Remind owners N days before the target date", "Empty: off.")
    escalate_after_days = _text("Tell the lead N days after overdue", "Empty: off.")
    sprint_start_on = forms.DateField(
        label="First sprint starts on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sprint_length_days = _text("Sprint length (days)", inputmode="numeric")
    sprint_capacity = _text("Capacity per sprint", inputmode="decimal")
    capacity_unit = forms.ChoiceField(
        label="Counted in", choices=[(u.value, u.value) for u in CapacityUnit], required=False
    )
    reserved_percent = _text("Share reserved for post-incident work (%)", inputmode="decimal")

    def settings_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {name: data[name] for name in (*TEAM_SETTING_FIELDS, "review_time")}
        if data["review_weekday"] in (None, ""):
            values.pop("review_weekday")
        if data["remove_webhook"]:
            values["slack_webhook_url"] = ""
        elif data["slack_webhook_url"]:
            values["slack_webhook_url"] = data["slack_webhook_url"]
        return values


class PersonSettingsForm(ProblemForm):
    email_enabled = forms.BooleanField(
        label="Email me reminders and weekly reviews", required=False
    )
    slack_enabled = forms.BooleanField(
        label="Mention me in my team's Slack channel", required=False
    )
    slack_member_id = _text("Slack member ID", "For an @-mention, e.g. U012AB3CD.")


class ReviewNoteForm(forms.Form):
    note = forms.CharField(required=False, max_length=2000)
