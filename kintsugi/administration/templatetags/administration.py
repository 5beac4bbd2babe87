"""Template questions about administration: whether to offer the link to /manage/."""

from __future__ import annotations

from django import template

from kintsugi.postmortems import access

register = template.Library()


@register.filter
def administers(user: object) -> bool:
    """Site admins and team admins (one query for those who are not site admins: used on
    the account page, not in the nav, whose query counts the tests pin)."""
    return access.can_administer(user) if access.is_signed_in(user) else False  # type: ignore[arg-type]
