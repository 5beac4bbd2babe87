"""What the settings pages show: the policies in force, a team's stored settings, and a
person's channels. Reads only; the writes are ``services.settings``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from kintsugi.accounts.models import User
from kintsugi.core.debt.policy import Setting
from kintsugi.core.vocabulary import Priority
from kintsugi.debt.models import PersonDebtSettings, TeamDebtSettings, TeamDuePolicy
from kintsugi.debt.selectors.policy import PolicyBook
from kintsugi.teams.models import Team

POLICY_FIELDS = (*(f"window_{p.value.lower()}" for p in Priority), "at_risk_days")


def policy_values(row: object) -> dict[str, object]:
    """A policy row's windows and at-risk threshold by form field name (``None``: inherit)."""
    return {name: getattr(row, name) for name in POLICY_FIELDS}


class TeamPolicyLine(NamedTuple):
    """One team's effective policy as the policy page lists it."""

    team: Team
    windows: list[str]  # described, one per priority
    at_risk: Setting


def team_policy_lines(book: PolicyBook) -> list[TeamPolicyLine]:
    """Every team's effective policy, by name (one query: the teams; the book has the rest)."""
    return [
        TeamPolicyLine(
            team=team,
            windows=[book.for_team(team.pk).describe(p) for p in Priority],
            at_risk=book.for_team(team.pk).at_risk,
        )
        for team in Team.objects.order_by("name")
    ]


@dataclass(frozen=True)
class TeamSettingsView:
    """A team's stored settings and policy override (unsaved defaults if it has none)."""

    settings: TeamDebtSettings
    override: TeamDuePolicy

    def values(self, setting_fields: Iterable[str]) -> dict[str, object]:
        """The stored values by form field name: the override's, the settings' named, and
        the review time as the form writes it (HH:MM)."""
        return {
            **policy_values(self.override),
            **{name: getattr(self.settings, name) for name in setting_fields},
            "review_time": self.settings.review_time.strftime("%H:%M"),
        }

    @property
    def webhook_hint(self) -> str:
        """Enough to recognise which webhook is set, not enough to use it."""
        url = self.settings.slack_webhook_url
        return f"…{url[-4:]}" if len(url) > 12 else ("set" if url else "")


def team_settings_view(team: Team) -> TeamSettingsView:
    current = TeamDebtSettings.objects.filter(team=team).first() or TeamDebtSettings(team=team)
    override = TeamDuePolicy.objects.filter(team=team).first() or TeamDuePolicy(team=team)
    return TeamSettingsView(settings=current, override=override)


def person_settings_values(user: User) -> dict[str, Any]:
    """A person's reminder channels by form field name (the defaults until they save)."""
    row = PersonDebtSettings.objects.filter(user=user).first() or PersonDebtSettings(user=user)
    return {
        "email_enabled": row.email_enabled,
        "slack_enabled": row.slack_enabled,
        "slack_member_id": row.slack_member_id,
    }
