"""The Jinja2 environment of the hot partials escapes exactly as Django does."""

from __future__ import annotations

import re

import pytest
from django.template import engines
from django.utils.html import escape
from django.utils.safestring import mark_safe

from kintsugi.rendering.jinja import escape_text, escape_value

HOSTILE = "<img src=x onerror=alert(1)> \"q\" & 'single'"


def _render(source: str, **context) -> str:
    return engines["jinja2"].env.from_string(source).render(**context)


def test_autoescape_is_on_and_escapes_like_django():
    assert _render("{{ value }}", value=HOSTILE) == escape(HOSTILE)
    assert _render('<a title="{{ value }}">', value=HOSTILE) == f'<a title="{escape(HOSTILE)}">'
    assert "&#x27;" in escape_text(HOSTILE) and "&quot;" in escape_text(HOSTILE)


def test_safe_html_passes_as_it_is_and_everything_else_is_escaped():
    assert _render("{{ value }}", value=mark_safe("<b>ok</b>")) == "<b>ok</b>"
    assert str(escape_value(mark_safe("<b>ok</b>"))) == "<b>ok</b>"
    assert _render("{{ 42 }}{{ none }}", none=None) == "42None"  # as Django prints them


def test_user_markdown_is_sanitized_in_jinja_as_in_django():
    html = _render("{{ text|user_markdown }}", text="**b** <script>alert(1)</script>")
    assert "<strong>b</strong>" in html and "<script" not in html


@pytest.mark.parametrize(
    ("url", "expected"),
    [("https://ok.example/a?b=1&c=2", "https://ok.example/a?b=1&amp;c=2"), ("javascript:x", "#")],
)
def test_safe_url_neutralises_other_schemes(url, expected):
    assert _render('<a href="{{ url|safe_url }}">', url=url) == f'<a href="{expected}">'


def test_line_breaks_and_indentation_are_for_reading_only():
    source = "<p>\n  <span>{{ a }}</span>\n  <span> {{ b }}</span>\n</p>\n"
    assert _render(source, a=1, b=2) == "<p><span>1</span><span> 2</span></p>"


def test_no_template_of_the_web_app_turns_escaping_off():
    from pathlib import Path

    import kintsugi

    folder = Path(kintsugi.__file__).parent / "web" / "jinja2"
    sources = {path.name: path.read_text(encoding="utf-8") for path in folder.rglob("*.html")}
    assert len(sources) >= 3
    for name, source in sources.items():
        assert not re.search(r"\|\s*safe\b(?!_)", source), name
        assert "autoescape" not in source, name
