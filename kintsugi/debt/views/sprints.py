"""The sprint budget of a team: reserved vs planned vs done, warnings and history."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kintsugi.debt.charts import sprint_chart
from kintsugi.debt.selectors.filters import visible_items
from kintsugi.debt.selectors.policy import policy_book
from kintsugi.debt.selectors.sprints import sprint_view
from kintsugi.debt.views.common import filter_choices, team_or_404, today
from kintsugi.postmortems import access
from kintsugi.teams.models import Membership, Team


def sprints(request: HttpRequest) -> HttpResponse:
    choices = filter_choices()
    slug = request.GET.get("team", "").strip()
    teams = choices["teams"]
    team = team_or_404(slug) if slug else _own_team(request, teams)  # type: ignore[arg-type]
    view = None
    if team is not None:
        view = sprint_view(
            visible_items(request.user), team=team, today=today(), book=policy_book()
        )
    context = {
        "nav": "debt",
        "debt_nav": "sprints",
        "team": team,
        "view": view,
        "chart": sprint_chart(view.history) if view else "",
        "may_manage": team is not None and access.can_manage_team(request.user, team),
        **choices,
    }
    return render(request, "debt/sprints.html", context)


def _own_team(request: HttpRequest, teams: list[Team]) -> Team | None:
    """Without a choice: the person's own team that has set its sprints (else their first
    team, else the first team). One query."""
    own = dict(
        Membership.objects.filter(user_id=request.user.pk).values_list(
            "team_id", "team__debt_settings__sprint_start_on"
        )
    )
    mine = [team for team in teams if team.pk in own]
    planned = [team for team in mine if own[team.pk] is not None]
    return next(iter(planned or mine or teams), None)
