"""The demo's sprint budget: the Platform team reserves a fifth of each sprint for
post-incident work and has planned the main incident's actions in it.

Sprints are laid out from the day the demo is loaded (the current sprint is the third),
so the budget page shows a current sprint and a short history whenever the demo is run;
the incidents themselves keep their fixed dates.
"""

from __future__ import annotations

from datetime import date, timedelta

from kintsugi.core.debt.sprints import SprintCadence
from kintsugi.debt.models import TeamDebtSettings
from kintsugi.postmortems.models import ActionItem
from kintsugi.teams.models import Team

SPRINT_DAYS = 14
CAPACITY = 40.0  # points per sprint
RESERVED_PERCENT = 20.0

# (title of a main-incident action item, estimate in points, sprint offset from current)
PLANNED = [
    ("Set lock_timeout and statement_timeout for migration sessions", 2.0, -1),
    ("Alert when pipeline runner credentials are within 14 days of expiry", 3.0, 0),
    ("Make the migration step mandatory: a failed migration fails the deploy", 3.0, 0),
    ("Rotate runner credentials automatically via the secrets manager", 5.0, 0),
]


def load_sprint_demo(today: date) -> None:
    """Platform's cadence and budget, and its planned items; nothing if the team is gone."""
    team = Team.objects.filter(slug="platform").first()
    if team is None:
        return
    monday = today - timedelta(days=today.weekday())
    start = monday - timedelta(days=2 * SPRINT_DAYS)  # the current sprint is the third
    TeamDebtSettings.objects.update_or_create(
        team=team,
        defaults={
            "sprint_start_on": start,
            "sprint_length_days": SPRINT_DAYS,
            "sprint_capacity": CAPACITY,
            "reserved_percent": RESERVED_PERCENT,
        },
    )
    current = SprintCadence(start, SPRINT_DAYS).sprint_for(today).number
    for title, estimate, offset in PLANNED:
        ActionItem.objects.filter(incident__team=team, title=title).update(
            estimate=estimate, planned_sprint=current + offset
        )
