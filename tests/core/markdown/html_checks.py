"""Checks that HTML can run nothing: no script-capable tags, handlers or dangerous URLs."""

from __future__ import annotations

from html.parser import HTMLParser

FORBIDDEN_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "img",
    "svg",
    "math",
    "form",
    "input",
    "button",
    "link",
    "base",
    "frame",
    "frameset",
    "video",
    "audio",
}
SAFE_URL_PREFIXES = ("http://", "https://", "mailto:", "#")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.styles = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "style":
            self.styles += 1
        elif tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and any(
            name == "http-equiv" and value == "refresh" for name, value in attrs
        ):
            self.problems.append("meta refresh")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}=")
            is_url = name in ("href", "src", "action", "formaction", "xlink:href")
            if is_url and not (value or "").strip().lower().startswith(SAFE_URL_PREFIXES):
                self.problems.append(f"{tag} {name}={value!r}")
            if name == "style":
                self.problems.append(f"{tag} style=")


def executable_parts(html: str, *, allowed_styles: int = 0) -> list[str]:
    """Everything in ``html`` that a browser could execute or load; empty when inert."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    problems = list(collector.problems)
    if collector.styles > allowed_styles:
        problems.append("<style>")
    return problems
