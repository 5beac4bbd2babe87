"""User Markdown rendered to HTML that can run nothing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kintsugi.core.markdown.safe_html import render_user_markdown, render_user_markdown_inline

from .html_checks import executable_parts

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "<a href='javascript:alert(1)'>x</a>",
    "<svg onload=alert(1)>",
    "<iframe src=https://evil.example.com></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "![x](javascript:alert(1))",
    "![x](https://tracker.example.com/pixel.gif)",
    "<style>body{display:none}</style>",
    "[x]: javascript:alert(1)\n\n[click][x]",
    "`<script>alert(1)</script>`",
    "<<script>script>alert(1)<</script>/script>",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_it_never_renders_anything_executable(payload):
    for html in (render_user_markdown(payload), render_user_markdown_inline(payload)):
        assert executable_parts(html) == []
        assert "<script" not in html.lower()


def test_it_keeps_safe_links_and_marks_them():
    html = render_user_markdown(
        "[dashboard](https://grafana.example.com/d/1) [mail](mailto:sre@example.com)"
    )
    assert 'href="https://grafana.example.com/d/1" rel="noopener noreferrer"' in html
    assert 'href="mailto:sre@example.com"' in html


def test_it_drops_relative_links_and_shows_images_as_links():
    assert "href" not in render_user_markdown("[admin](/admin/)")
    html = render_user_markdown("![graph](https://grafana.example.com/render/1.png)")
    assert "<img" not in html
    assert 'href="https://grafana.example.com/render/1.png"' in html


def test_it_renders_markdown_tables_lists_and_code():
    html = render_user_markdown("- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode\n```")
    for tag in ("<ul>", "<li>", "<table>", "<td>", "<pre><code>"):
        assert tag in html


def test_it_puts_user_headings_below_the_page_headings():
    assert render_user_markdown("# Cause").startswith("<h3>Cause</h3>")
    assert render_user_markdown("# Cause", heading_offset=0).startswith("<h1>")
    assert render_user_markdown("###### Deep").startswith("<h6>")


def test_it_renders_nothing_for_blank_text():
    assert render_user_markdown("  \n ") == ""


# The plain-line fast path must give exactly what the parser and sanitizer give.
_ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs",))


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=_ALPHABET, min_size=1, max_size=40))
def test_it_renders_plain_lines_exactly_as_the_parser_would(text):
    from kintsugi.core.markdown import safe_html

    fast = safe_html.render_user_markdown(text)
    slow = safe_html.sanitize_html(safe_html._markdown().render(text, {"heading_offset": 2}))
    if text.strip():
        assert fast == slow


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab -+1.#*_`<>&\"' \u00a0:\t", min_size=1, max_size=12))
def test_it_renders_tricky_plain_lines_exactly_as_the_parser_would(text):
    from kintsugi.core.markdown import safe_html

    fast = safe_html.render_user_markdown(text)
    slow = safe_html.sanitize_html(safe_html._markdown().render(text, {"heading_offset": 2}))
    if text.strip():
        assert fast == slow
