"""What the debt views share: today's date from the injectable clock, and the team filter."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest

from kintsugi.core.debt.clock import utc_today
from kintsugi.debt.clock import get_clock
from kintsugi.teams.models import Service, Team


def today() -> date:
    return utc_today(get_clock())


def absolute_base(request: HttpRequest) -> str:
    """``https://host`` of this request, for links in Markdown (which must be absolute)."""
    return request.build_absolute_uri("/").rstrip("/")


def team_or_404(slug: str) -> Team:
    team = Team.objects.filter(slug=slug).first()
    if team is None:
        raise Http404("No such team.")
    return team


def filter_choices() -> dict[str, object]:
    """Teams and services for the filter menus (two small queries)."""
    return {
        "teams": list(Team.objects.order_by("name")),
        "services": list(Service.objects.order_by("name")),
    }
