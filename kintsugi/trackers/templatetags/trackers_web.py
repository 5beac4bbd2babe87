"""Template questions about trackers (the nav's Trackers link)."""

from __future__ import annotations

from django import template

from kintsugi.postmortems import access

register = template.Library()


@register.filter
def trackers_in_nav(user: object) -> bool:
    """Admins get the Trackers link in the nav. A team's leads manage its tracker too, but
    asking whether someone leads a team would cost a query on every page (whose counts the
    tests pin): they find the link in the user menu, fetched when the menu is opened
    (``views.settings.tracker_menu``)."""
    return access.is_admin(user) if access.is_signed_in(user) else False  # type: ignore[arg-type]
