"""Links as the export writes them and as people type them.

Written: ``[label](url)``, or ``<url>`` when there is no label; a URL with parentheses
goes inside angle brackets so that it needs no escaping. Read: those two forms and a bare
URL. The URL itself is checked by :func:`fields.clean_url` (http and https only).
"""

from __future__ import annotations

import re

from kintsugi.core.markdown.escaping import escape_label, unescape_label

_BARE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")


def render_link(label: str, url: str) -> str:
    if not label:
        return f"<{url}>"
    destination = f"<{url}>" if ("(" in url or ")" in url) else url
    return f"[{escape_label(label)}]({destination})"


def _label_end(text: str) -> int:
    """Index of the ``]`` that closes the label opened at text[0], or -1."""
    depth = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return -1


def _destination(text: str) -> tuple[str, str] | None:
    """(url, rest) from the text after ``](``."""
    if text.startswith("<"):
        end = text.find(">")
        if end < 0:
            return None
        rest = text[end + 1 :].lstrip()
        if not rest.startswith(")"):
            return None
        return text[1:end], rest[1:]
    depth = 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                url, _, _title = text[:index].strip().partition(" ")
                return url, text[index + 1 :]
            depth -= 1
    return None


def parse_link(text: str) -> tuple[str, str] | None:
    """(label, url) when ``text`` is exactly one link, else None. The label is "" for an
    autolink or a bare URL."""
    text = text.strip()
    if text.startswith("["):
        end = _label_end(text)
        if end < 0 or text[end + 1 : end + 2] != "(":
            return None
        parsed = _destination(text[end + 2 :])
        if parsed is None or parsed[1].strip():
            return None
        return unescape_label(text[1:end]).strip(), parsed[0].strip()
    if text.startswith("<") and text.endswith(">") and " " not in text:
        return "", text[1:-1]
    if _BARE.fullmatch(text):
        return "", text
    return None
