"""Hostile text for the XSS sweep, and the check that a page shown in Chromium stayed inert.

Each field gets its own tag inside the payload, so a failure names the field that got
through (``window.__xss == "factor-title"``). The page has a Content Security Policy that
refuses inline script, so an injection could be blocked by it and still be a bug: besides
``window.__xss``, the check looks for the markup itself (an ``<img src=x>``, an event
handler attribute, a ``javascript:`` link) and for CSP violations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.sync_api import ConsoleMessage, Dialog, Page


def hostile(tag: str) -> str:
    """Plain-text payload: markup, an attribute break-out and a template expression."""
    return f"<img src=x onerror=\"window.__xss='{tag}'\">\"><script>window.__xss='{tag}'</script>{{{{7*7}}}}"


def hostile_markdown(tag: str) -> str:
    """For Markdown fields: the same, plus a link and an autolink to a ``javascript:`` URL."""
    return f"{hostile(tag)} [x](javascript:window.__xss='{tag}') <javascript:window.__xss=1>"


def hostile_url(tag: str) -> str:
    """An http(s) URL (the only kind the services store) that tries to close its attribute."""
    return f'https://example.com/{tag}?q=%22%3E%3Cimg%20src=x%20onerror=window.__xss=1%3E&a="><b>'


# What an injection leaves in the DOM, if it gets past escaping and sanitizing.
INJECTED = """() => {
  const found = [];
  const hit = (el, why) => found.push(why + ": " + el.outerHTML.slice(0, 160));
  document.querySelectorAll('img[src="x"]').forEach((el) => hit(el, "img src=x"));
  document.querySelectorAll('a[href^="javascript:" i], [src^="javascript:" i]').forEach(
    (el) => hit(el, "javascript: URL"));
  document.querySelectorAll("*").forEach((el) => {
    for (const attr of el.getAttributeNames()) {
      if (attr.startsWith("on")) hit(el, "event handler " + attr);
    }
  });
  document.querySelectorAll("script").forEach((el) => {
    if (el.textContent.includes("__xss")) hit(el, "script");
  });
  return found;
}"""


@dataclass
class Watch:
    """Dialogs and CSP violations seen by a page, from the moment it is watched."""

    page: Page
    dialogs: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("dialog", self._dialog)
        self.page.on("console", self._console)

    def _dialog(self, dialog: Dialog) -> None:
        if dialog.type == "beforeunload":  # the app's "unsaved changes?" when leaving a form
            dialog.accept()
            return
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(message.text)

    def assert_inert(self, where: str) -> None:
        """Nothing ran or was injected, in the page and in its frames (import previews)."""
        self.page.wait_for_load_state("networkidle")
        for frame in self.page.frames:
            ran = frame.evaluate("window.__xss")
            assert ran is None, f"{where}: script ran (window.__xss = {ran!r}) in {frame.url}"
            injected = frame.evaluate(INJECTED)
            assert injected == [], f"{where}: markup injected in {frame.url}: {injected}"
        assert self.dialogs == [], f"{where}: a dialog opened: {self.dialogs}"
        assert self.violations == [], f"{where}: CSP refused something: {self.violations}"
        errors = getattr(self.page, "js_errors", [])
        assert errors == [], f"{where}: JavaScript errors: {errors}"
