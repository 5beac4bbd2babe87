"""Chromium, driven by Playwright, against the app served over real loopback HTTP.

Debian's Chromium is used (Playwright cannot download browsers here). Without it the tests
are skipped with the reason shown, unless KINTSUGI_REQUIRE_BROWSER=1 (CI), where a missing
browser is a failure.
"""

from __future__ import annotations

import contextlib
import os
import shutil

import pytest
from playwright.sync_api import Error as PlaywrightError

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def _chromium_path() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
    ):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    path = _chromium_path()
    if path is None:
        reason = "Chromium not installed (apt-get install chromium chromium-driver)"
        if os.environ.get("KINTSUGI_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Browser tests required but cannot run: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors  # type: ignore[attr-defined]
    yield page
    # Pages load parts of themselves after showing (htmx hx-trigger="load": the
    # blamelessness summary, recurrence): let those requests end before the test's
    # database is flushed under the live server.
    # A page that never settles is the test's failure to report, not teardown's.
    with contextlib.suppress(PlaywrightError):
        page.wait_for_load_state("networkidle", timeout=5_000)
    context.close()


@pytest.fixture
def login(page):
    from tests.conftest import PASSWORD

    def do_login(username: str) -> None:
        page.goto("/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/")

    return do_login
