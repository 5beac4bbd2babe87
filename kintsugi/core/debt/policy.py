"""The due-window policy: how many days after an incident each priority of action may take.

Defaults follow the practice Kintsugi encodes: high priority (P0, P1) within 14 days of the
incident's start, P2 within 30, P3 within 60. The organisation sets its own windows; a team
may override some of them (only P1, say) and inherits the rest. Every window remembers where
it comes from so that each action item can show "14 days (team Platform)".

A target date later than the policy asks is allowed, but only with a reason: the exception is
recorded and shown, never a silent change. See docs/debt.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from kintsugi.core.document import MAX_SHORT_TEXT
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.validation import clean_text, clean_whole_days
from kintsugi.core.vocabulary import Priority

DEFAULT_WINDOWS: Mapping[Priority, int] = {
    Priority.P0: 14,
    Priority.P1: 14,
    Priority.P2: 30,
    Priority.P3: 60,
}
DEFAULT_AT_RISK_DAYS = 3
MAX_WINDOW_DAYS = 3650  # ten years: anything longer is a typo, not a policy


def clean_window_days(value: object, *, priority: Priority | str, field: str = "") -> int:
    """A due window as a positive whole number of days (1..3650).

    Accepts an ``int`` or a string of digits (what forms and the API send). Floats such as
    ``1.5`` are refused rather than rounded: half a day has no meaning for a date.
    """
    name = field or f"window_{str(priority).lower()}"
    label = f"The {priority} window"
    days = clean_whole_days(value, field=name, label=label)
    if days <= 0:
        raise ValidationProblem(
            f"{label} must be at least 1 day; {days} would make every item due at once.",
            field=name,
        )
    if days > MAX_WINDOW_DAYS:
        raise ValidationProblem(
            f"{label} is {days:,} days; the longest allowed is {MAX_WINDOW_DAYS:,} (ten years).",
            field=name,
        )
    return days


def clean_at_risk_days(value: object, *, shortest_window: int, field: str = "at_risk_days") -> int:
    """Days before the target date at which an item counts as at risk: 0 .. window - 1.

    A threshold as long as the window would make every new item at risk on day one, which
    hides the items that really are.
    """
    label = "The at-risk threshold"
    days = clean_whole_days(value, field=field, label=label)
    if days < 0:
        raise ValidationProblem(f"{label} cannot be negative (it is {days} days).", field=field)
    if days >= shortest_window:
        raise ValidationProblem(
            f"{label} ({days} days) must be shorter than the shortest due window "
            f"({shortest_window} days), or every new item would start at risk.",
            field=field,
        )
    return days


class PolicySource(StrEnum):
    ORGANISATION = "organisation"
    TEAM = "team"


@dataclass(frozen=True)
class Setting:
    """One number of days and where it comes from, for display beside the item."""

    days: int
    source: PolicySource
    team: str | None = None

    @property
    def origin(self) -> str:
        if self.source is PolicySource.TEAM:
            return f"team {self.team}"
        return "organisation default"

    @property
    def label(self) -> str:
        unit = "day" if self.days == 1 else "days"
        return f"{self.days} {unit} ({self.origin})"


@dataclass(frozen=True)
class OrganisationPolicy:
    """The organisation's windows (complete: every priority has one) and at-risk threshold."""

    windows: Mapping[Priority, int] = field(default_factory=lambda: dict(DEFAULT_WINDOWS))
    at_risk_days: int = DEFAULT_AT_RISK_DAYS

    def __post_init__(self) -> None:
        missing = [p.value for p in Priority if p not in self.windows]
        if missing:
            raise ValidationProblem(
                f"The organisation policy needs a window for {', '.join(missing)}.",
                field="windows",
            )
        clean = {p: clean_window_days(self.windows[p], priority=p) for p in Priority}
        object.__setattr__(self, "windows", clean)
        shortest = min(clean.values())
        object.__setattr__(
            self, "at_risk_days", clean_at_risk_days(self.at_risk_days, shortest_window=shortest)
        )


@dataclass(frozen=True)
class TeamOverride:
    """A team's partial policy: only the windows it sets replace the organisation's."""

    team: str
    windows: Mapping[Priority, int] = field(default_factory=dict)
    at_risk_days: int | None = None

    def __post_init__(self) -> None:
        clean: dict[Priority, int] = {}
        for key, days in self.windows.items():
            try:
                priority = Priority(str(key).strip().upper())
            except ValueError:
                raise ValidationProblem(
                    f"Unknown priority {key!r} in the policy of team {self.team}; "
                    "use P0, P1, P2 or P3.",
                    field="windows",
                ) from None
            clean[priority] = clean_window_days(days, priority=priority)
        object.__setattr__(self, "windows", clean)
        if self.at_risk_days is not None:
            # The upper bound depends on the merged windows: checked in effective_policy.
            object.__setattr__(
                self,
                "at_risk_days",
                clean_at_risk_days(self.at_risk_days, shortest_window=MAX_WINDOW_DAYS + 1),
            )


@dataclass(frozen=True)
class DuePolicy:
    """The policy in force for one team: a window per priority, each with its origin."""

    windows: Mapping[Priority, Setting]
    at_risk: Setting

    def window_days(self, priority: Priority) -> int:
        return self.windows[priority].days

    def describe(self, priority: Priority) -> str:
        """What the item page shows: ``14 days (organisation default)``."""
        return self.windows[priority].label

    @property
    def at_risk_days(self) -> int:
        return self.at_risk.days


def effective_policy(org: OrganisationPolicy, team_override: TeamOverride | None) -> DuePolicy:
    """Merge the team's override onto the organisation's policy, keeping each origin.

    Raises :class:`ValidationProblem` when the merge is inconsistent (the team shortens a
    window below the at-risk threshold), so saving an override can call this to validate it.
    """
    windows: dict[Priority, Setting] = {
        p: Setting(org.windows[p], PolicySource.ORGANISATION) for p in Priority
    }
    at_risk = Setting(org.at_risk_days, PolicySource.ORGANISATION)
    if team_override is not None:
        for priority, days in team_override.windows.items():
            windows[priority] = Setting(days, PolicySource.TEAM, team_override.team)
        if team_override.at_risk_days is not None:
            at_risk = Setting(team_override.at_risk_days, PolicySource.TEAM, team_override.team)
    shortest = min(setting.days for setting in windows.values())
    clean_at_risk_days(at_risk.days, shortest_window=shortest)
    return DuePolicy(windows=windows, at_risk=at_risk)


def check_policies(org: OrganisationPolicy, overrides: Iterable[TeamOverride]) -> None:
    """Validate a change of the organisation policy against every team's override.

    Shortening an organisation window can make a team's own at-risk threshold too long;
    the change is refused with the team named rather than breaking that team's pages later.
    """
    for override in overrides:
        try:
            effective_policy(org, override)
        except ValidationProblem as problem:
            raise ValidationProblem(
                f"For team {override.team}: {problem.message}", field=problem.field
            ) from None


def default_due_on(incident_started_at: datetime, priority: Priority, policy: DuePolicy) -> date:
    """The target date the policy asks for: the incident's start date (UTC) plus the window."""
    if incident_started_at.tzinfo is None or incident_started_at.utcoffset() is None:
        raise ValidationProblem(
            "The incident's start time needs a timezone.", field="incident_started_at"
        )
    start_day = incident_started_at.astimezone(UTC).date()
    return start_day + timedelta(days=policy.window_days(priority))


@dataclass(frozen=True)
class DueException:
    """A target date later than the policy's, and why: recorded and shown on the item."""

    due_on: date
    policy_due_on: date
    reason: str

    @property
    def days_beyond_policy(self) -> int:
        return (self.due_on - self.policy_due_on).days


def check_due_date(
    due_on: date | None, policy_due_on: date, reason: str | None
) -> DueException | None:
    """Accept a target date, or say why not.

    Earlier than (or on) the policy's date: fine, no reason needed, returns ``None``.
    Later: returns the exception to record, or raises when the reason is missing.
    No date at all is not an exception here; the item is then in the ``no_date`` state.
    """
    if due_on is None or due_on <= policy_due_on:
        return None
    text = clean_text(reason, field="due_reason", max_length=MAX_SHORT_TEXT, label="reason")
    if not text:
        days = (due_on - policy_due_on).days
        raise ValidationProblem(
            f"A target date of {due_on.isoformat()} is {days} days later than the policy's "
            f"{policy_due_on.isoformat()} and needs a reason.",
            field="due_reason",
        )
    return DueException(due_on=due_on, policy_due_on=policy_due_on, reason=text)


@dataclass(frozen=True)
class PriorityChange:
    """What the policy asks after a change of priority, and what happens to the target date."""

    policy_due_on: date
    due_on: date | None
    follows_policy: bool
    is_exception: bool


def change_priority(
    *,
    incident_started_at: datetime,
    old_priority: Priority,
    new_priority: Priority,
    due_on: date | None,
    policy: DuePolicy,
) -> PriorityChange:
    """Recompute the policy's date for a new priority.

    A target date that still equals what the policy asked for the old priority (or is
    missing) follows the policy to the new date: nobody chose it by hand. A date chosen by
    hand is kept; ``is_exception`` then says whether it is now later than the policy allows,
    in which case the caller must collect a reason with :func:`check_due_date`.
    """
    old_policy_due = default_due_on(incident_started_at, old_priority, policy)
    new_policy_due = default_due_on(incident_started_at, new_priority, policy)
    follows = due_on is None or due_on == old_policy_due
    new_due = new_policy_due if follows else due_on
    return PriorityChange(
        policy_due_on=new_policy_due,
        due_on=new_due,
        follows_policy=follows,
        is_exception=new_due is not None and new_due > new_policy_due,
    )
