"""User text (Markdown) -> HTML that is safe to put in any page.

Two layers, because either alone has failed somewhere before: markdown-it-py with raw
HTML disabled (so ``<script>`` is text, and ``javascript:`` links are not made), then nh3
(the Rust ammonia sanitizer) with a short allow-list of tags and attributes, links limited
to http, https and mailto and marked ``rel="noopener noreferrer"``. Images are not loaded
(an image would call a third-party server each time the page is viewed, and exports must
be self-contained): ``![alt](url)`` shows as a link instead.

Both objects are built once per process; rendering is thread-safe.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

ALLOWED_TAGS = frozenset(
    {
        "a",
        "blockquote",
        "br",
        "code",
        "del",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "strong",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})


def _shift_headings(state: StateCore) -> None:
    """User headings sit under the page's own h1/h2: "# Cause" in a section becomes h3."""
    offset = int(state.env.get("heading_offset", 0))
    if not offset:
        return
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1:]) + offset)}"


@cache
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False})
    md.enable(["table", "strikethrough"])
    md.disable("image")
    md.core.ruler.push("kintsugi_shift_headings", _shift_headings)
    return md


@cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_SCHEMES),
        url_relative="deny",
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def sanitize_html(html: str) -> str:
    """Sanitize HTML from any source with the same allow-list."""
    return str(_cleaner().clean(html))


# One line with none of Markdown's or HTML's special characters, no leading space and no
# list marker: Markdown would only wrap it in a paragraph. Most timeline entries look like
# this, and skipping the parser and the sanitizer for them keeps a 500-event post-mortem
# page fast. tests/core/markdown/test_safe_html.py checks both paths agree.
_SPECIAL = r"\\`*_\[\]<>&|~!#=:\x00-\x1f\x7f\x85\xa0\u2028\u2029"
_PLAIN_LINE = re.compile(rf"[^\s\-+0-9{_SPECIAL}][^{_SPECIAL}]*")


def render_user_markdown(text: str, *, heading_offset: int = 2) -> str:
    """Safe HTML for a block of user Markdown (summary, description, lesson...)."""
    if not text or not text.strip():
        return ""
    if _PLAIN_LINE.fullmatch(text) and not text[-1].isspace():
        return f"<p>{text}</p>\n"
    env: dict[str, Any] = {"heading_offset": heading_offset}
    return sanitize_html(_markdown().render(text, env))


def render_user_markdown_inline(text: str) -> str:
    """Safe HTML for one line of user Markdown, without a wrapping paragraph (table cells)."""
    if not text or not text.strip():
        return ""
    return sanitize_html(_markdown().renderInline(text, {}))
