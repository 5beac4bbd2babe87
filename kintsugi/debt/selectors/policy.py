"""The due-window policy in force: the organisation's row merged with each team's override.

One query loads every policy at once (there are few teams), so a page that shows many
items from many teams asks the database once, not once per item.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import BigIntegerField, CharField, QuerySet, Value

from kintsugi.core.debt.policy import DuePolicy, OrganisationPolicy, effective_policy
from kintsugi.debt.models import OrganisationDuePolicy, TeamDuePolicy
from kintsugi.django_internals import PreparedRead

_POLICY_FIELDS = ("window_p0", "window_p1", "window_p2", "window_p3", "at_risk_days")


def organisation_policy_row() -> OrganisationDuePolicy:
    """The singleton row; the defaults until an admin saves other numbers."""
    row = OrganisationDuePolicy.objects.filter(pk=1).first()
    return row if row is not None else OrganisationDuePolicy(pk=1)


@dataclass
class PolicyBook:
    """Every team's effective policy, looked up by team id (``None``: no team)."""

    organisation: OrganisationPolicy
    teams: dict[int, DuePolicy] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._default = effective_policy(self.organisation, None)

    def for_team(self, team_id: int | None) -> DuePolicy:
        if team_id is None:
            return self._default
        return self.teams.get(team_id, self._default)

    @property
    def default(self) -> DuePolicy:
        return self._default

    def at_risk_groups(self) -> dict[int, list[int]]:
        """Teams whose at-risk threshold differs from the organisation's, by threshold."""
        groups: dict[int, list[int]] = {}
        for team_id, policy in self.teams.items():
            if policy.at_risk_days != self._default.at_risk_days:
                groups.setdefault(policy.at_risk_days, []).append(team_id)
        return groups


def _policies(team_rows: QuerySet[TeamDuePolicy]) -> QuerySet[OrganisationDuePolicy]:
    """The organisation's row (the one without a team) and ``team_rows``, in one union."""
    no_team = Value(None, output_field=BigIntegerField())
    organisation_row = OrganisationDuePolicy.objects.filter(pk=1).values_list(
        no_team, Value("", output_field=CharField()), *_POLICY_FIELDS
    )
    return organisation_row.union(
        team_rows.values_list("team_id", "team__name", *_POLICY_FIELDS), all=True
    )


# Read on most pages and on every save of an action item's target date: compiled once.
_EVERY_POLICY = PreparedRead(lambda: _policies(TeamDuePolicy.objects.all()))
_ONE_TEAM = PreparedRead(lambda team_id: _policies(TeamDuePolicy.objects.filter(team_id=team_id)))


def _book(rows: list[tuple[Any, ...]]) -> PolicyBook:
    stored = OrganisationDuePolicy(pk=1)  # the defaults until an admin saves other numbers
    overrides: list[tuple[int, str, TeamDuePolicy]] = []
    for team_id, team_name, *numbers in rows:
        values = dict(zip(_POLICY_FIELDS, numbers, strict=True))
        if team_id is None:
            stored = OrganisationDuePolicy(pk=1, **values)
        else:
            overrides.append((team_id, team_name, TeamDuePolicy(team_id=team_id, **values)))
    organisation = stored.to_core()
    teams = {
        team_id: effective_policy(organisation, row.to_core(team_name))
        for team_id, team_name, row in overrides
    }
    return PolicyBook(organisation=organisation, teams=teams)


def policy_book() -> PolicyBook:
    """The organisation's row and every team's override in one round trip."""
    return _book(_EVERY_POLICY.rows())


def policy_for_team(team_id: int | None) -> DuePolicy:
    """The effective policy of one team, in one round trip (no team: the organisation's;
    no team has id 0)."""
    return _book(_ONE_TEAM.rows(team_id or 0)).for_team(team_id)
