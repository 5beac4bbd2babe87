"""The Jinja2 environment of the hot partials (``kintsugi/web/jinja2/``, ``kintsugi/debt/jinja2/``).

A long post-mortem has hundreds of timeline events and dozens of action items. Django's
template engine spends about 0.3 ms on each such row (lookups, filters, tags); Jinja2
compiles a template to a Python function, so the rows keep their markup in templates and
cost what Python code costs. Only these partials use it (``TEMPLATES["jinja2"]`` in
settings, ``DIRS`` = this app's ``jinja2/`` folder and the debt app's, whose weekly
review entries are rendered the same way); pages stay Django templates.

Escaping is Django's, byte for byte: autoescape is on, and every ``{{ value }}`` first goes
through ``finalize``, which escapes it with the same rules as ``django.utils.html.escape``
(``&#x27;`` and ``&quot;``, where markupsafe would write ``&#39;`` and ``&#34;``); a value
that is already safe HTML (``user_markdown``'s sanitized output, a ``SafeString``) passes
as it is. There is no ``|safe`` in these templates.

Line breaks are for reading: ``JoinLines`` removes every line break and the indentation
after it when a template is compiled, so a row is one line of HTML, as the Django rows
were. A space that matters is written inside a line.
"""

from __future__ import annotations

import re
from html import escape as _html_escape
from typing import Any

from django.template import engines
from jinja2 import Environment, Template
from jinja2.ext import Extension
from markupsafe import Markup

from kintsugi.core.timeparse import format_utc
from kintsugi.rendering.filters import css_token, safe_url, user_markdown

_LINE_BREAK = re.compile(r"\n[ \t]*")


class JoinLines(Extension):
    """Removes line breaks and the indentation that follows them, at compile time."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return _LINE_BREAK.sub("", source)


def escape_text(value: object) -> str:
    """Django's ``escape`` without the ``SafeString`` wrapper (and a little faster)."""
    return _html_escape(str(value), quote=True)


def escape_value(value: object) -> object:
    """Django's escaping (``django.utils.html.escape``) for every ``{{ value }}``; safe HTML
    (``user_markdown``'s sanitized output, a ``SafeString``, ``Markup``) as it is."""
    if hasattr(value, "__html__"):
        return value
    return Markup(escape_text(value))  # noqa: S704 - escaped on this line


def environment(**options: Any) -> Environment:
    """Called by Django's Jinja2 backend with the options of ``TEMPLATES`` in settings."""
    options.setdefault("autoescape", True)
    options["extensions"] = [*options.get("extensions", ()), JoinLines]
    env = Environment(finalize=escape_value, **options)  # noqa: S701 - autoescape set above
    env.filters.update(
        css_token=css_token,
        safe_url=safe_url,
        user_markdown=user_markdown,
        utc=format_utc,
    )
    return env


def template(name: str) -> Template:
    """The compiled template (Jinja2 caches it; in DEBUG it is reloaded when edited)."""
    return engines["jinja2"].env.get_template(name)  # type: ignore[no-any-return]
