"""The settings page's forms: parse input only; the services decide and validate."""

from __future__ import annotations

from django import forms

from kintsugi.capture.models import SourceKind
from kintsugi.core.capture.severity import DEFAULT_LABEL
from kintsugi.teams.models import Team


class SourceForm(forms.Form):
    kind = forms.ChoiceField(choices=SourceKind.choices)
    name = forms.CharField(max_length=100, help_text="Letters, digits, '-', '_' and '.'.")
    team = forms.ModelChoiceField(
        queryset=Team.objects.order_by("name"),
        required=False,
        help_text="Incidents it opens belong to this team; its leads manage the source.",
    )
    severity_label = forms.CharField(
        max_length=100,
        initial=DEFAULT_LABEL,
        help_text="The alert label whose value gives the severity (Alertmanager).",
    )
    signing_secret = forms.CharField(
        required=False,
        max_length=200,
        widget=forms.PasswordInput,
        help_text="PagerDuty only: the secret PagerDuty showed when you created the webhook.",
    )


class RotateForm(forms.Form):
    source = forms.IntegerField(min_value=1)
    signing_secret = forms.CharField(required=False, max_length=200, widget=forms.PasswordInput)
