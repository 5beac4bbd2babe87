"""Content Security Policy pieces for the few responses that need more than the default.

The default (``settings.CONTENT_SECURITY_POLICY``, put on every response by
``kintsugi.web.middleware.ContentSecurityPolicyMiddleware``) refuses every inline style.
The standalone HTML export embeds its one stylesheet in a ``<style>`` element, so that the
file works on its own; a page that shows it (the Import page's preview, an ``iframe
srcdoc``, which inherits the page's policy) allows exactly that stylesheet by its hash,
never inline style in general. The hash is the export's own (``export_policy``), so it
follows the export's styling whenever it changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from django.conf import settings


def _sources_of(policy: str, name: str) -> tuple[str, ...]:
    for directive in policy.split(";"):
        words = directive.split()
        if words and words[0] == name:
            return tuple(words[1:])
    return ()


@cache
def export_style_sources() -> tuple[str, ...]:
    """The sources that allow the stylesheet the HTML export embeds (by its hash)."""
    from kintsugi.core.markdown.html import export_policy  # the Markdown stack: when asked

    return _sources_of(export_policy(), "style-src")


def with_sources(policy: str, added: Mapping[str, tuple[str, ...]]) -> str:
    """``policy`` with the sources of ``added`` appended to the directives it names."""
    directives = []
    for directive in (part.strip() for part in policy.split(";")):
        extra = added.get(directive.split(" ", 1)[0], ())
        directives.append(" ".join((directive, *extra)))
    return "; ".join(directives)


def policy_allowing_export_style() -> str:
    """The default policy, plus the HTML export's embedded stylesheet."""
    return with_sources(settings.CONTENT_SECURITY_POLICY, {"style-src": export_style_sources()})
