"""Template questions about trackers (the nav's Trackers link)."""

from __future__ import annotations

from django import template

from kintsugi.postmortems import access

register = template.Library()


@register.filter
def trackers_in_nav(user: object) -> bool:
    """Admins and team admins (leads) get the Trackers link in the nav: leads manage their
    teams' trackers. Whether someone leads a team is ``User.leads_team``, on the user row
    every request loads already (kintsugi/teams/signals.py keeps it), so the link costs no
    query; the page itself still decides who may manage what."""
    if not access.is_signed_in(user):
        return False
    return access.is_admin(user) or bool(getattr(user, "leads_team", False))  # type: ignore[arg-type]
