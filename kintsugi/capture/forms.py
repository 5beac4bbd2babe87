"""The settings page's forms: parse input only; the services decide and validate."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django import forms

from kintsugi.capture.models import SourceKind
from kintsugi.capture.services.slack import CHOSEN_STATES
from kintsugi.core.capture.severity import DEFAULT_LABEL
from kintsugi.core.capture.slack import DEFAULT_REACTIONS
from kintsugi.core.document import MAX_SHORT_TEXT
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.timeparse import format_utc, parse_utc
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


class UtcTime(forms.CharField):
    """A time typed with a zone (naive times are refused, not guessed), as the post-mortem
    forms take it; shown back in UTC."""

    def __init__(self, **kwargs: Any):
        widget = forms.TextInput(
            attrs={"placeholder": "2026-03-01 14:02 UTC", "autocomplete": "off", "maxlength": 64}
        )
        kwargs.setdefault("help_text", "With a zone: 2026-03-01 14:02 UTC or 15:02+01:00.")
        super().__init__(max_length=64, widget=widget, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return format_utc(value) if isinstance(value, datetime) else value

    def clean(self, value: Any) -> datetime:
        text = super().clean(value)
        try:
            return parse_utc(text, field=self.label or "time")
        except ValidationProblem as problem:
            raise forms.ValidationError(problem.message) from None


class SlackImportForm(forms.Form):
    export = forms.FileField(
        label="Slack export (.zip)",
        required=False,
        help_text="The zip Slack's export made (Workspace settings → Import/Export data).",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    earlier = forms.TypedChoiceField(
        label="Or read an earlier upload again",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Another channel or window from an export uploaded before, without uploading it.",
    )
    channel = forms.CharField(
        max_length=100, help_text="The incident channel's name (#inc-checkout) or id."
    )
    start = UtcTime(label="From")
    end = UtcTime(label="Until", help_text="Messages from 'From' up to, not including, this time.")
    workspace_url = forms.CharField(
        label="Workspace address",
        max_length=300,
        help_text="Your Slack's address, e.g. https://acme.slack.com: the messages' links.",
    )
    reactions = forms.CharField(
        label="Reactions that pre-select",
        max_length=500,
        required=False,
        initial=", ".join(DEFAULT_REACTIONS),
        help_text="Messages with one of these reactions (and pinned ones) start as kept.",
    )

    def __init__(self, *args: Any, uploads: Sequence[tuple[int, str]] = (), **kwargs: Any):
        """``uploads``: the incident's stored exports, as (id, label), to read again."""
        super().__init__(*args, **kwargs)
        field = self.fields["earlier"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—"), *uploads]
        if not uploads:
            del self.fields["earlier"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("export") and not data.get("earlier") and "export" not in self.errors:
            self.add_error("export", "Choose the export's zip (or an earlier upload).")
        return data


class CandidateForm(forms.Form):
    occurred_at = UtcTime(label="Time")
    text = forms.CharField(max_length=MAX_SHORT_TEXT, widget=forms.Textarea(attrs={"rows": 3}))


class ChooseForm(forms.Form):
    state = forms.ChoiceField(choices=[(s.value, s.label) for s in CHOSEN_STATES])
