"""``{% analysis_section %}``: the 5 Whys editor on the post-mortem page.

A tag rather than more keys in the page context, so that the section loads its own data
(a constant number of queries) and the page view does not need to know about it. What the
page already loaded (its ``view``: factors and action items) is reused rather than read
again.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from kintsugi.core.five_whys.markdown import answer_says_because
from kintsugi.postmortems.selectors import PostmortemView
from kintsugi.web.five_whys_context import five_whys_context

register = template.Library()


@register.filter
def says_because(answer: str) -> bool:
    """An answer that starts with its own "Because" gets no label in front of it."""
    return answer_says_because(answer or "")


@register.simple_tag(takes_context=True)
def analysis_section(context: template.Context) -> SafeString:
    incident = context["incident"]
    page = context.get("view")
    data: dict[str, Any] = five_whys_context(
        incident,
        can_edit=bool(context.get("can_edit")),
        page=page if isinstance(page, PostmortemView) and page.incident.pk == incident.pk else None,
    )
    data["reading"] = bool(context.get("reading"))  # the read view: no checks' findings
    # render_to_string returns a SafeString: the engine escaped every value already.
    return render_to_string(
        "web/postmortems/_five_whys.html#analysis-page", data, request=context.get("request")
    )
