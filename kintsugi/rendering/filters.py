"""Display filters both template engines apply: user Markdown, safe links, CSS tokens.

Django's template library (``web/templatetags/kintsugi_web.py``) and the Jinja2
environment of the hot partials (``jinja.py``) register the same functions, so a row drawn
by either engine shows user text the same way: sanitized Markdown or escaped text, a link
only when it is http(s).
"""

from __future__ import annotations

import functools
from functools import lru_cache

from django.utils.safestring import SafeString, mark_safe

from kintsugi.core.markdown.safe_html import render_user_markdown


@functools.cache
def _markdown_renderer():  # type: ignore[no-untyped-def]
    """The sanitizing renderer (a seam so tests can swap it)."""
    return render_user_markdown


# Rendering Markdown is pure, and a long timeline renders hundreds of short texts on every
# view; caching the short ones keeps the page fast without holding big documents in memory.
_CACHED_LENGTH = 2_000


@functools.lru_cache(maxsize=4096)
def _render(render, text: str) -> str:  # type: ignore[no-untyped-def]
    return str(render(text))


def user_markdown(text: str | None) -> SafeString:
    """User-written Markdown as sanitized HTML."""
    if not text:
        return mark_safe("")  # noqa: S308 - the empty string
    render = _markdown_renderer()
    html = (
        _render(render, text) if len(text) <= _CACHED_LENGTH else _render.__wrapped__(render, text)
    )
    # render_user_markdown sanitizes its output.
    return mark_safe(html)  # noqa: S308


def css_token(value: object) -> str:
    """A stored choice value as a CSS class suffix (values are fixed vocabularies)."""
    return _css_token(str(value))


@lru_cache(maxsize=256)
def _css_token(value: str) -> str:
    # Called for every timeline row with one of a dozen values: worth remembering.
    return "".join(ch for ch in value.lower() if ch.isalnum() or ch in "-_")


def safe_url(url: str | None) -> str:
    """The URL if it is http(s), else ``#``.

    The services only store http(s) links; this is the second lock on the door, for rows
    written before a rule existed or by a path that skipped it.
    """
    text = (url or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else "#"
