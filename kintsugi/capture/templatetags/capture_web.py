"""Template questions about capture (the nav's Sources link)."""

from __future__ import annotations

from django import template

from kintsugi.postmortems import access

register = template.Library()


@register.filter
def may_manage_sources(user: object) -> bool:
    """Whether to offer the Sources link in the nav: to admins and team admins (leads),
    who manage their teams' sources. Whether someone leads a team is ``User.leads_team``,
    on the user row every request loads already (kintsugi/teams/signals.py keeps it), so
    the link costs no query; the page itself still decides (``may_manage_any``)."""
    if not access.is_signed_in(user):
        return False
    return access.is_admin(user) or bool(getattr(user, "leads_team", False))  # type: ignore[arg-type]
