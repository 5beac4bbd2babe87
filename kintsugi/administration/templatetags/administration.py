"""Template questions about administration: whether to offer the link to /manage/."""

from __future__ import annotations

from django import template
from django.urls import reverse

from kintsugi.postmortems import access

register = template.Library()


@register.filter
def administers(user: object) -> bool:
    """Site admins and team admins (one query for those who are not site admins: used on
    the account page, not in the nav, whose query counts the tests pin)."""
    return access.can_administer(user) if access.is_signed_in(user) else False  # type: ignore[arg-type]


@register.filter
def admin_nav_url(user: object) -> str:
    """Where the nav's Admin link goes, or "" for no link: /manage/ for site admins, the
    team's own page for a team admin (``admin-my-team`` picks it when clicked). Read from
    the user row the request loaded already (``User.leads_team``): no query on any page."""
    if not access.is_signed_in(user):
        return ""
    if access.is_admin(user):  # type: ignore[arg-type]
        return reverse("administration")
    if getattr(user, "leads_team", False):
        return reverse("admin-my-team")
    return ""
