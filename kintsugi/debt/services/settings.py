"""Writes to the debt settings: the organisation's policy, team overrides and settings, and
each person's channels. Every value is checked by the core's rules before it is saved, and
a refusal names the field (``ValidationProblem``), as everywhere in Kintsugi.
"""

from __future__ import annotations

import ipaddress
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction

from kintsugi.accounts.models import User
from kintsugi.core.debt.policy import (
    OrganisationPolicy,
    TeamOverride,
    check_policies,
    effective_policy,
)
from kintsugi.core.debt.schedule import (
    ReminderSettings,
    next_run_after,
    weekly_schedule,
)
from kintsugi.core.debt.sprints import (
    CapacityUnit,
    SprintCadence,
    clean_capacity,
    clean_reserved_percent,
)
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.timeparse import check_date_range
from kintsugi.core.validation import clean_text, clean_whole_days
from kintsugi.core.vocabulary import Priority
from kintsugi.debt.models import (
    OrganisationDuePolicy,
    PersonDebtSettings,
    TeamDebtSettings,
    TeamDuePolicy,
)
from kintsugi.debt.selectors.policy import organisation_policy_row
from kintsugi.postmortems import access
from kintsugi.teams.models import Team


def _require_admin(user: User | None) -> None:
    if user is not None and not access.can_change_organisation_policy(user):
        raise PermissionDenied("Only admins change the organisation's policy.")


def _require_manager(user: User | None, team: Team) -> None:
    if user is not None and not access.can_manage_team(user, team):
        raise PermissionDenied("Only the team's leads and admins change its debt settings.")


def _windows(values: dict[str, Any], *, optional: bool) -> dict[Priority, Any]:
    windows = {}
    for priority in Priority:
        value = values.get(f"window_{priority.value.lower()}")
        if value in (None, "") and optional:
            continue
        windows[priority] = value
    return windows


@transaction.atomic
def organisation_policy_save(
    *, user: User | None, windows: dict[str, Any], at_risk_days: Any
) -> OrganisationDuePolicy:
    """Save the organisation's windows; refused if it would break a team's override."""
    _require_admin(user)
    policy = OrganisationPolicy(
        windows=_windows(windows, optional=False), at_risk_days=at_risk_days
    )
    overrides = [row.to_core() for row in TeamDuePolicy.objects.select_related("team")]
    check_policies(policy, overrides)
    row = organisation_policy_row()
    for priority, days in policy.windows.items():
        setattr(row, f"window_{priority.value.lower()}", days)
    row.at_risk_days = policy.at_risk_days
    row.save()
    return row


@transaction.atomic
def team_policy_save(
    *, user: User | None, team: Team, windows: dict[str, Any], at_risk_days: Any = None
) -> TeamDuePolicy:
    """Save a team's override; empty values inherit the organisation's."""
    _require_manager(user, team)
    threshold = None if at_risk_days in (None, "") else at_risk_days
    override = TeamOverride(
        team=team.name, windows=_windows(windows, optional=True), at_risk_days=threshold
    )
    effective_policy(organisation_policy_row().to_core(), override)
    row, _ = TeamDuePolicy.objects.get_or_create(team=team)
    for priority in Priority:
        setattr(row, f"window_{priority.value.lower()}", override.windows.get(priority))
    row.at_risk_days = override.at_risk_days
    row.save()
    return row


LOOPBACK_NAMES = {"localhost"}


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def clean_webhook_url(value: str | None) -> str:
    """An https incoming-webhook URL, or empty to switch Slack off.

    Plain http is accepted only for a loopback address outside production, so tests and a
    local trial can use a server on 127.0.0.1; a real webhook carries a secret and must
    travel encrypted. The URL is never echoed back in a message: it is the secret.
    """
    text = clean_text(value, field="slack_webhook_url", max_length=500, label="webhook URL")
    if not text:
        return ""
    parts = urlsplit(text)
    host = (parts.hostname or "").lower()
    local_http = (
        parts.scheme == "http"
        and _is_loopback(host)
        and not getattr(django_settings, "IS_PRODUCTION", True)
    )
    if not host or (parts.scheme != "https" and not local_http) or any(c.isspace() for c in text):
        raise ValidationProblem(
            "The Slack webhook must be an https:// address, such as "
            "https://hooks.slack.com/services/T000/B000/XXXX.",
            field="slack_webhook_url",
        )
    return text


def _reminder_days(value: Any, field: str) -> int | None:
    """A reminder delay (0..365 days), or ``None`` to switch the step off."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    days = clean_whole_days(value, field=field, label="A reminder delay")
    core_name = "days_before_due" if field == "remind_before_days" else "escalate_after_days"
    try:
        ReminderSettings(**{core_name: days})
    except ValidationProblem as problem:
        raise ValidationProblem(problem.message, field=field) from None
    return days


@transaction.atomic
def team_debt_settings_save(
    *,
    user: User | None,
    team: Team,
    now: datetime,
    windows: dict[str, Any],
    at_risk_days: Any = None,
    **fields: Any,
) -> TeamDebtSettings:
    """The team settings page's save: the policy override and the settings together, or
    neither (a refused field leaves both as they were)."""
    team_policy_save(user=user, team=team, windows=windows, at_risk_days=at_risk_days)
    return team_settings_save(user=user, team=team, now=now, **fields)


@transaction.atomic
def team_settings_save(
    *, user: User | None, team: Team, now: datetime, **fields: Any
) -> TeamDebtSettings:
    """Save a team's debt settings; every field optional, each checked by the core.

    Changing the review schedule (or switching it on) sets the next run from ``now``, so
    the worker sends at the new time and never "catches up" on a time that just moved.
    """
    _require_manager(user, team)
    row, _ = TeamDebtSettings.objects.select_for_update().get_or_create(team=team)
    schedule_changed = _apply_schedule(row, fields)
    _apply_recipients(row, fields)
    for name in ("remind_before_days", "escalate_after_days"):
        if name in fields:
            setattr(row, name, _reminder_days(fields[name], name))
    _apply_sprints(row, fields)
    if schedule_changed or (row.review_enabled and row.next_review_at is None):
        row.next_review_at = next_run_after(now, row.schedule()) if row.review_enabled else None
    row.save()
    return row


def _apply_schedule(row: TeamDebtSettings, fields: dict[str, Any]) -> bool:
    """The review's day, time, timezone and switch; whether the schedule changed (a new
    time, or switched on)."""
    changed = False
    if {"timezone", "review_weekday", "review_time"} & fields.keys():
        schedule = weekly_schedule(
            fields.get("review_weekday", row.review_weekday),
            fields.get("review_time", row.review_time),
            fields.get("timezone", row.timezone),
        )
        moved = (schedule.weekday, schedule.at, schedule.timezone)
        changed = moved != (row.review_weekday, row.review_time, row.timezone)
        row.review_weekday, row.review_time, row.timezone = moved
    if "review_enabled" in fields:
        enabled = bool(fields["review_enabled"])
        changed = changed or (enabled and not row.review_enabled)
        row.review_enabled = enabled
    return changed


def _apply_recipients(row: TeamDebtSettings, fields: dict[str, Any]) -> None:
    """Where the review goes besides the members: a list address and a Slack webhook."""
    if "review_email" in fields:
        row.review_email = _review_email(fields["review_email"])
    if "slack_webhook_url" in fields:
        row.slack_webhook_url = clean_webhook_url(fields["slack_webhook_url"])


def _review_email(value: Any) -> str:
    address = clean_text(value, field="review_email", max_length=254)
    if address:
        try:
            validate_email(address)
        except DjangoValidationError:
            raise ValidationProblem(
                f"{address!r} is not an email address.", field="review_email"
            ) from None
    return address


def _apply_sprints(row: TeamDebtSettings, fields: dict[str, Any]) -> None:
    """The sprint cadence (checked whole, start and length together) and the budget."""
    if "sprint_start_on" in fields:
        start = fields["sprint_start_on"]
        # Sprint dates are the start plus whole sprints: a start near year 9999 overflows.
        row.sprint_start_on = (
            None if start is None else check_date_range(start, field="sprint_start_on")
        )
    if "sprint_length_days" in fields:
        row.sprint_length_days = clean_whole_days(
            fields["sprint_length_days"], field="length_days", label="The sprint length"
        )
    if row.sprint_start_on is not None:
        SprintCadence(start_on=row.sprint_start_on, length_days=row.sprint_length_days)
    if "sprint_capacity" in fields:
        capacity = fields["sprint_capacity"]
        empty = capacity is None or (isinstance(capacity, str) and not capacity.strip())
        row.sprint_capacity = None if empty else clean_capacity(capacity)
    if "capacity_unit" in fields:
        row.capacity_unit = _capacity_unit(fields["capacity_unit"])
    if "reserved_percent" in fields:
        row.reserved_percent = clean_reserved_percent(fields["reserved_percent"])


def _capacity_unit(value: Any) -> str:
    try:
        return CapacityUnit(str(value).strip().lower()).value
    except ValueError:
        raise ValidationProblem(
            "The capacity is counted in points or hours.", field="capacity_unit"
        ) from None


@transaction.atomic
def person_settings_save(
    *, user: User, email_enabled: bool, slack_enabled: bool, slack_member_id: str = ""
) -> PersonDebtSettings:
    member = clean_text(slack_member_id, field="slack_member_id", max_length=32)
    if member and not (member.isascii() and member.isalnum() and member[0] in "UW"):
        raise ValidationProblem(
            "A Slack member ID looks like U012AB3CD (in Slack: profile, ⋮, Copy member ID).",
            field="slack_member_id",
        )
    row, _ = PersonDebtSettings.objects.get_or_create(user=user)
    row.email_enabled = bool(email_enabled)
    row.slack_enabled = bool(slack_enabled)
    row.slack_member_id = member
    row.save()
    return row
