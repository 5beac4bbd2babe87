"""The main pages in Chromium under the real Content Security Policy: no violation is
reported, and what used inline code before still works (print buttons, htmx editing, the
debt progress bar, the import preview's own stylesheet, the API docs)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from playwright.sync_api import expect

from kintsugi.postmortems import services
from kintsugi.postmortems.models import ActionItem

pytestmark = pytest.mark.django_db(transaction=True)

WATCH = """
window.__csp = [];
window.__printed = 0;
window.print = function () { window.__printed += 1; };
document.addEventListener("securitypolicyviolation", function (event) {
  var where = event.target && event.target.outerHTML ? event.target.outerHTML.slice(0, 160) : "";
  window.__csp.push(event.violatedDirective + " " + event.blockedURI + " at " +
    event.sourceFile + ":" + event.lineNumber + " " + where);
});
"""


@pytest.fixture
def watched(page):
    """The page, with every CSP violation it reports (event or console) kept in a list."""
    page.add_init_script(WATCH)
    console: list[str] = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.csp_console = console  # type: ignore[attr-defined]
    return page


def _assert_clean(page) -> None:
    page.wait_for_load_state("networkidle")
    reported = page.evaluate("window.__csp")
    assert reported == [], reported
    assert page.csp_console == [], page.csp_console
    assert page.js_errors == [], page.js_errors
    # htmx was told not to insert its indicator stylesheet; the rules come from kintsugi.css.
    assert page.evaluate("document.querySelectorAll('style').length") == 0


def _green_share(png: bytes) -> float:
    """The share of the bar's middle row drawn in the progress green (#1a7f37)."""
    from PIL import Image

    image = Image.open(BytesIO(png)).convert("RGB")
    print("PIXELS", [image.getpixel((x, image.height // 2)) for x in range(0, image.width, 60)])
    row = [image.getpixel((x, image.height // 2)) for x in range(image.width)]
    green = [p for p in row if max(abs(p[0] - 26), abs(p[1] - 127), abs(p[2] - 55)) < 30]
    print("GREEN", len(green), len(row), row[100])
    return len(green) / len(row)


@pytest.fixture
def incident_with_items(owner, teammate, team, service):
    incident = services.incident_create(
        user=owner,
        title="Checkout outage",
        started_at=datetime(2026, 3, 1, 14, 0, tzinfo=UTC),
        severity="SEV2",
        team=team,
        services=[service],
        summary="Checkout returned errors for 40 minutes.",
    )
    for index, status in enumerate(["done", "done", "open", "open"]):
        item = services.action_item_add(
            user=owner,
            incident=incident,
            title=f"Action {index}",
            owner=teammate,
            due_on=date(2026, 3, 15),
        )
        ActionItem.objects.filter(pk=item.pk).update(status=status)
    return incident


def test_the_post_mortem_page_works_without_inline_code(watched, login, incident_with_items):
    page = watched
    login("alice")
    _assert_clean(page)
    page.goto(f"/incidents/{incident_with_items.pk}/")

    # The debt box's progress bar: half of the items are closed, drawn by <progress>.
    bar = page.get_by_test_id("debt-progress")
    expect(bar).to_be_visible()
    assert bar.evaluate("el => [el.value, el.max]") == [50, 100]
    assert bar.bounding_box()["width"] > 100
    # Drawn half green: the page's stylesheets, not an inline width. (A screenshot leaves
    # style="" on elements, which htmx must not copy across a swap: see base.html.)
    shares = []
    for _ in range(20):
        shares.append(_green_share(bar.screenshot()))
        if 0.4 < shares[-1] < 0.6:
            break
        page.wait_for_timeout(100)
    assert 0.4 < shares[-1] < 0.6, shares

    # The indicator rules htmx would have inserted are in the stylesheet.
    opacity = page.evaluate(
        "() => { const el = document.createElement('span'); el.className = 'htmx-indicator';"
        " document.body.append(el); const o = getComputedStyle(el).opacity; el.remove();"
        " return o; }"
    )
    assert opacity == "0"

    # htmx editing: the summary's form comes in, saves, and goes.
    page.get_by_test_id("summary-edit").click()
    form = page.get_by_test_id("summary-form")
    form.locator("[name=summary]").fill("Checkout failed for 40 minutes; retries doubled load.")
    page.get_by_test_id("summary-save").click()
    expect(page.get_by_test_id("summary-text")).to_contain_text("retries doubled load")

    # 5 Whys, loaded after the page and edited with htmx.
    section = page.get_by_test_id("section-five-whys")
    section.get_by_test_id("why-new-branch").click()
    new = section.locator("details.why-new form")
    new.get_by_test_id("why-question-input").fill("Why did checkout fail?")
    new.get_by_test_id("why-answer-input").fill("The database connection pool was exhausted.")
    new.get_by_test_id("why-answer-input").press("Enter")
    expect(section.get_by_test_id("why-step")).to_have_count(1)

    # Print, from the export menu: a data attribute and kintsugi.js, no onclick.
    page.get_by_test_id("export-menu").locator("summary").click()
    page.get_by_test_id("print").click()
    assert page.evaluate("window.__printed") == 1
    _assert_clean(page)


def test_the_debt_pages_and_the_review_print_button(watched, login, incident_with_items):
    page = watched
    login("alice")
    for path in ("/debt/", "/debt/items/", "/debt/sprints/", "/debt/me/"):
        page.goto(path)
        _assert_clean(page)
    page.goto("/debt/review/")
    page.get_by_test_id("review-print").click()
    assert page.evaluate("window.__printed") == 1
    _assert_clean(page)


def test_the_list_import_and_account_pages(watched, login, incident_with_items, tmp_path):
    page = watched
    login("alice")
    for path in ("/", "/incidents/new/", "/account/", "/account/password/"):
        page.goto(path)
        _assert_clean(page)

    # API tokens: created over htmx, the copy button wired by kintsugi.js.
    page.goto("/account/tokens/")
    page.get_by_test_id("token-form").locator("[name=name]").fill("deploy script")
    page.get_by_test_id("token-create").click()
    expect(page.get_by_test_id("raw-token")).to_be_visible()
    _assert_clean(page)

    # The import preview is the HTML export in an iframe srcdoc, styled by its own sheet.
    document = tmp_path / "queue.md"
    document.write_text("# Queue backlog\n\n## Summary\n\nThe queue backed up.\n")
    page.goto("/import/")
    page.get_by_test_id("import-files").set_input_files([str(document)])
    page.get_by_test_id("import-preview-button").click()
    preview = page.frame_locator("[data-testid=import-preview]")
    heading = preview.locator("h1")
    expect(heading).to_contain_text("Queue backlog")
    expect(heading).to_have_css("font-size", "28.8px")  # the export's 1.8rem, not 2em
    _assert_clean(page)


def test_signed_out_pages_and_the_api_docs(watched):
    page = watched
    for path in ("/login/", "/password-reset/", "/password-reset/sent/"):
        page.goto(path)
        _assert_clean(page)
    # Swagger UI from django-ninja's bundled files: no inline script, so no page policy of its
    # own. Its bundle is large; a loaded machine takes a while to run it.
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Kintsugi API", timeout=30_000)
    expect(page.locator(".opblock").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__csp") == [], page.evaluate("window.__csp")
    assert page.csp_console == []


def test_the_html_export_is_styled_under_a_policy_that_allows_its_sheet_by_hash(watched, owner):
    """The policy for the standalone HTML export without 'unsafe-inline' (for the API's and
    the web's export responses and the page's own meta element): its stylesheet by hash."""
    from kintsugi.core.document import PostmortemDocument
    from kintsugi.core.markdown.html import export_policy, render_html

    page = watched
    # Exactly what the export serves: its own meta policy and the API's header.
    body = render_html(PostmortemDocument(title="Queue backlog", summary="It backed up."))
    policy = export_policy()
    assert "unsafe-inline" not in body and "unsafe-inline" not in policy
    page.route(
        "**/export-preview.html",
        lambda route: route.fulfill(
            status=200,
            body=body,
            headers={"Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": policy},
        ),
    )
    page.goto("/export-preview.html")
    expect(page.locator("h1")).to_have_css("font-size", "28.8px")
    assert page.evaluate("window.__csp") == []
    assert page.csp_console == []


def test_the_admin_pages(watched, login, admin_user):
    page = watched
    login("root")
    for path in (
        "/admin/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{admin_user.pk}/change/",
        "/admin/accounts/apitoken/add/",
    ):
        page.goto(path)
        _assert_clean(page)


def test_the_administration_pages(watched, login, admin_user, team, service, teammate):
    page = watched
    login("root")
    for path in (
        "/manage/",
        "/manage/users/",
        "/manage/users/bob/",
        "/manage/invite/",
        "/manage/teams/",
        "/manage/teams/platform/",
        "/manage/services/",
        "/manage/severities/",
        "/manage/language/",
        "/manage/audit/",
        "/welcome/",
    ):
        page.goto(path)
        _assert_clean(page)
