"""Admin for the debt settings and deliveries. The webhook URL is a write-only secret here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from kintsugi.core.errors import ValidationProblem
from kintsugi.debt.models import (
    Delivery,
    OrganisationDuePolicy,
    PersonDebtSettings,
    ReviewMark,
    TeamDebtSettings,
    TeamDuePolicy,
)
from kintsugi.debt.services.settings import clean_webhook_url


def _check(instance: Any, data: dict[str, Any], checks: tuple[str, ...]) -> None:
    """Run the core's rules on the edited row, so admin saves obey them too."""
    for name, value in data.items():
        setattr(instance, name, value)
    try:
        for check in checks:
            getattr(instance, check)()
    except ValidationProblem as problem:
        raise forms.ValidationError(problem.message) from None


class OrganisationPolicyForm(forms.ModelForm):
    class Meta:
        model = OrganisationDuePolicy
        fields = ("window_p0", "window_p1", "window_p2", "window_p3", "at_risk_days")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _check(self.instance, data, ("to_core",))
        return data


class TeamSettingsForm(forms.ModelForm):
    slack_webhook_url = forms.CharField(
        required=False,
        label="Slack incoming webhook URL",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Leave empty to keep the current webhook. https only.",
    )
    remove_webhook = forms.BooleanField(required=False)

    class Meta:
        model = TeamDebtSettings
        fields = (
            "team",
            "timezone",
            "review_enabled",
            "review_weekday",
            "review_time",
            "review_email",
            "slack_webhook_url",
            "remind_before_days",
            "escalate_after_days",
            "sprint_start_on",
            "sprint_length_days",
            "sprint_capacity",
            "capacity_unit",
            "reserved_percent",
        )

    def clean_slack_webhook_url(self) -> str:
        value = self.cleaned_data.get("slack_webhook_url", "")
        if not value:
            return self.instance.slack_webhook_url if self.instance.pk else ""
        try:
            return clean_webhook_url(value)
        except ValidationProblem as problem:
            raise forms.ValidationError(problem.message) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.pop("remove_webhook", False):
            data["slack_webhook_url"] = ""
        _check(self.instance, data, ("schedule", "reminders", "cadence", "budget"))
        return data


@admin.register(OrganisationDuePolicy)
class OrganisationDuePolicyAdmin(admin.ModelAdmin):
    form = OrganisationPolicyForm
    list_display = ("__str__", "window_p0", "window_p1", "window_p2", "window_p3", "at_risk_days")

    def has_add_permission(self, request: Any) -> bool:
        return not OrganisationDuePolicy.objects.exists()


@admin.register(TeamDuePolicy)
class TeamDuePolicyAdmin(admin.ModelAdmin):
    list_display = ("team", "window_p0", "window_p1", "window_p2", "window_p3", "at_risk_days")


@admin.register(TeamDebtSettings)
class TeamDebtSettingsAdmin(admin.ModelAdmin):
    form = TeamSettingsForm
    list_display = ("team", "review_enabled", "review_weekday", "review_time", "timezone")
    readonly_fields = ("next_review_at",)


@admin.register(PersonDebtSettings)
class PersonDebtSettingsAdmin(admin.ModelAdmin):
    list_display = ("user", "email_enabled", "slack_enabled")
    raw_id_fields = ("user",)


@admin.register(ReviewMark)
class ReviewMarkAdmin(admin.ModelAdmin):
    list_display = ("action_item", "week", "reviewer_name", "reviewed_at")
    raw_id_fields = ("action_item", "reviewer")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "kind",
        "channel",
        "recipient",
        "status",
        "attempts",
        "next_attempt_at",
    )
    list_filter = ("status", "channel", "kind")
    search_fields = ("idempotency_key", "recipient", "subject")
    raw_id_fields = ("action_item", "team")
    readonly_fields = [f.name for f in Delivery._meta.fields]
