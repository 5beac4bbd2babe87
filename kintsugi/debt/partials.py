"""The debt pages' hot partials, rendered by Jinja2 through Django's backend.

The weekly review shows up to 125 entries; in Django's template engine each entry cost
about ten times what the same markup cost as Python strings (9 ms against 0.8 ms for a
page), so those partials (``kintsugi/debt/jinja2/``) are compiled by Jinja2 to Python
instead: about 2 ms, and the markup stays in templates. Only these partials use it; the
pages themselves stay Django templates.

Autoescape is on. The callers pass values already escaped as Django escapes them
(``&#x27;``, ``&quot;``; markupsafe would write ``&#39;``, ``&#34;``), so the pages keep
their bytes; anything passed unescaped is escaped by the template.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.template.backends.jinja2 import Jinja2
from jinja2 import Environment, Template


@cache
def environment() -> Environment:
    backend = Jinja2(
        {
            "NAME": "debt-partials",
            "DIRS": [Path(__file__).resolve().parent / "jinja2"],
            "APP_DIRS": False,
            "OPTIONS": {"autoescape": True},
        }
    )
    return backend.env


def template(name: str) -> Template:
    """The compiled template (Jinja2 caches it; reloaded when the file changes in DEBUG)."""
    return environment().get_template(name)
