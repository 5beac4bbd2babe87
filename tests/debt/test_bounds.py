"""Bounds in the debt settings: the first sprint's start lies in the stored date range.

Sprint dates are the start plus whole sprints, so a start near year 9999 overflowed on the
sprint pages; it is now refused where it is typed, and a start at the limit is kept.
"""

from __future__ import annotations

from datetime import date

import pytest

from kintsugi.core.errors import ValidationProblem
from kintsugi.debt.models import TeamDebtSettings
from kintsugi.debt.services import settings as debt_settings
from tests.debt.conftest import NOW


@pytest.mark.parametrize("start", [date(1970, 1, 1), date(8999, 12, 31)])
def test_a_sprint_start_at_the_limits_is_kept(owner, team, start):
    debt_settings.team_settings_save(
        user=owner, team=team, now=NOW, sprint_start_on=start, sprint_length_days="14"
    )
    assert TeamDebtSettings.objects.get(team=team).sprint_start_on == start


@pytest.mark.parametrize("start", [date(1969, 12, 31), date(9000, 1, 1), date(9999, 12, 31)])
def test_a_sprint_start_past_the_limits_is_refused(owner, team, start):
    with pytest.raises(ValidationProblem, match="between 1970-01-01 and 9000-01-01") as refused:
        debt_settings.team_settings_save(
            user=owner, team=team, now=NOW, sprint_start_on=start, sprint_length_days="14"
        )
    assert refused.value.field == "sprint_start_on"
    assert not TeamDebtSettings.objects.filter(team=team, sprint_start_on=start).exists()


def test_the_settings_page_shows_the_sprint_start_error_next_to_the_field(clock, login, owner):
    response = login(owner).post(
        "/debt/teams/platform/settings/",
        {
            "timezone": "UTC",
            "review_time": "09:30",
            "sprint_start_on": "9999-12-31",
            "sprint_length_days": "14",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    field = body.split('name="sprint_start_on"', 1)[1].split('<div class="field', 1)[0]
    assert "A date must be between 1970-01-01 and 9000-01-01." in field
