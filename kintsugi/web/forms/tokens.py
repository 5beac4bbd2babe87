"""The form that names a new personal API token."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

EXPIRY_CHOICES = [("30", "30 days"), ("90", "90 days"), ("365", "1 year"), ("", "Never")]


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What the token is for, e.g. “CI import job”.",
        error_messages={"required": "Give the token a name so you can recognise it later."},
    )
    expires_in = forms.ChoiceField(
        label="Expires",
        choices=EXPIRY_CHOICES,
        required=False,
        initial="90",
        error_messages={"invalid_choice": "Choose one of the expiry periods offered."},
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError("Give the token a name so you can recognise it later.")
        return name

    def expires_at(self):  # type: ignore[no-untyped-def]
        days = self.cleaned_data.get("expires_in")
        return timezone.now() + timedelta(days=int(days)) if days else None
