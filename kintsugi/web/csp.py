"""Content Security Policy pieces for the few responses that need more than the default.

The default (``settings.CONTENT_SECURITY_POLICY``, put on every response by
``kintsugi.web.middleware.ContentSecurityPolicyMiddleware``) refuses every inline style.
The standalone HTML export embeds its one stylesheet in a ``<style>`` element, so that the
file works on its own; a page that shows it (the Import page's preview, an ``iframe
srcdoc``, which inherits the page's policy) allows exactly that stylesheet by its hash,
never inline style in general.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache

from django.conf import settings

_STYLE_ELEMENT = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def style_source(css: str) -> str:
    """The CSP source that allows exactly this inline stylesheet (its text as served)."""
    digest = hashlib.sha256(css.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@cache
def export_style_sources() -> tuple[str, ...]:
    """The sources for the stylesheets the HTML export embeds, read from an export itself,
    so that they follow the export's styling whenever it changes."""
    from kintsugi.core.document import PostmortemDocument
    from kintsugi.core.markdown.html import render_html

    page = render_html(PostmortemDocument(title="Style"))
    return tuple(style_source(css) for css in _STYLE_ELEMENT.findall(page))


def with_style_sources(policy: str, sources: tuple[str, ...]) -> str:
    """``policy`` with ``sources`` added to its ``style-src`` directive."""
    directives = []
    for directive in (part.strip() for part in policy.split(";")):
        if directive.split(" ", 1)[0] == "style-src":
            directive = " ".join((directive, *sources))
        directives.append(directive)
    return "; ".join(directives)


def policy_allowing_export_style() -> str:
    """The default policy, plus the HTML export's embedded stylesheet."""
    return with_style_sources(settings.CONTENT_SECURITY_POLICY, export_style_sources())
