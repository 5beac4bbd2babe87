"""Template questions about capture (the nav's Sources link)."""

from __future__ import annotations

from django import template

from kintsugi.postmortems import access

register = template.Library()


@register.filter
def may_manage_sources(user: object) -> bool:
    """Whether to offer the Sources link in the nav: to admins. Team leads may use the page
    too, but asking whether someone leads a team costs a query on every page (whose query
    counts the tests pin), so they reach it from docs/integrations.md's address; the page
    itself decides (``may_manage_any``)."""
    return access.is_admin(user) if access.is_signed_in(user) else False  # type: ignore[arg-type]
