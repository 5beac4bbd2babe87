"""The due-window policy in force: the organisation's row merged with each team's override.

One query loads every policy at once (there are few teams), so a page that shows many
items from many teams asks the database once, not once per item.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import BigIntegerField, CharField, QuerySet, Value

from kintsugi.core.debt.policy import DuePolicy, OrganisationPolicy, effective_policy
from kintsugi.database import PreparedRead
from kintsugi.debt.models import OrganisationDuePolicy, TeamDuePolicy

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


def _every_policy() -> QuerySet[OrganisationDuePolicy]:
    no_team = Value(None, output_field=BigIntegerField())
    organisation_row = OrganisationDuePolicy.objects.filter(pk=1).values_list(
        no_team, Value("", output_field=CharField()), *_POLICY_FIELDS
    )
    team_rows = TeamDuePolicy.objects.values_list("team_id", "team__name", *_POLICY_FIELDS)
    return organisation_row.union(team_rows, all=True)


_EVERY_POLICY = PreparedRead(_every_policy)  # read on most pages: compiled once


def policy_book() -> PolicyBook:
    """The organisation's row and every team's override in one round trip (a union: the
    organisation's row is the one without a team)."""
    stored = OrganisationDuePolicy(pk=1)  # the defaults until an admin saves other numbers
    overrides: list[tuple[int, str, TeamDuePolicy]] = []
    for team_id, team_name, *numbers in _EVERY_POLICY.rows():
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


def policy_for_team(team_id: int | None) -> DuePolicy:
    """The effective policy of one team (two small queries)."""
    organisation = organisation_policy_row().to_core()
    if team_id is None:
        return effective_policy(organisation, None)
    row = TeamDuePolicy.objects.select_related("team").filter(team_id=team_id).first()
    return effective_policy(organisation, row.to_core(row.team.name) if row else None)
