"""The read view, the share link and the executive summary in Chromium, on a desktop and
on a 390 px phone: nothing may overflow sideways, the site's links stay reachable."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kintsugi.postmortems.models import Incident
from tests.reviews.conftest import complete  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
LONG = "Checkout-payments-connection-pool-exhaustion-during-the-peak-sale-" * 2


def _published(incident: Incident) -> Incident:
    Incident.objects.filter(pk=incident.pk).update(status="published")
    return incident


def _fits(page, width: int = 390) -> None:
    page.wait_for_load_state("networkidle")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, (page.url, scroll)


def test_a_reader_gets_a_document_and_an_editor_one_click_to_edit(page, login, complete):  # noqa: F811
    _published(complete)
    login("alice")
    page.goto(f"/incidents/{complete.pk}/")
    view = page.get_by_test_id("read-view")
    expect(view.get_by_test_id("incident-title")).to_have_text(complete.title)
    expect(view.locator("[data-testid=event-edit], [data-testid=action-edit]")).to_have_count(0)
    expect(view.get_by_test_id("why-step")).to_have_count(3)
    expect(view.get_by_test_id("why-findings")).to_have_count(0)
    page.get_by_test_id("read-edit").click()
    page.wait_for_url(f"**/incidents/{complete.pk}/edit/")
    expect(page.get_by_test_id("header-edit")).to_be_visible()
    page.get_by_test_id("open-read-view").click()
    page.wait_for_url(f"**/incidents/{complete.pk}/")
    expect(page.get_by_test_id("read-view")).to_be_visible()
    assert page.js_errors == []


def test_keyboard_reaches_the_skip_link_first_and_it_lands_on_the_document(page, login, complete):  # noqa: F811
    _published(complete)
    login("alice")
    page.goto(f"/incidents/{complete.pk}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "skip-link" in focused
    expect(page.locator(".skip-link")).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    headings = page.evaluate(
        "Array.from(document.querySelectorAll('main h1, main h2')).map(h => h.tagName)"
    )
    assert headings[0] == "H1" and headings.count("H1") == 1 and len(headings) >= 8


def test_the_share_link_is_copied_and_opens_the_read_view(page, login, complete):  # noqa: F811
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    login("alice")
    page.goto(f"/incidents/{complete.pk}/")  # a draft: the editing page
    share = page.get_by_test_id("share-url").inner_text()
    assert share.endswith(f"/p/{complete.pk}/")
    page.get_by_test_id("share-copy").click()
    expect(page.get_by_test_id("share-copy")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == share
    page.goto(share)
    expect(page.get_by_test_id("read-view")).to_be_visible()
    expect(page.get_by_test_id("read-draft-notice")).to_contain_text("not published")


def test_a_restricted_share_link_shows_nothing_to_an_outsider(
    page, login, outsider, restricted_incident
):
    login("mallory")
    response = page.goto(f"/p/{restricted_incident.pk}/")
    assert response is not None and response.status == 404
    expect(page.locator("body")).not_to_contain_text("leaked token")


def test_print_shows_the_document_without_the_site_around_it(page, login, complete):  # noqa: F811
    _published(complete)
    login("alice")
    for url in (f"/incidents/{complete.pk}/", f"/incidents/{complete.pk}/executive/"):
        page.goto(url)
        page.emulate_media(media="print")
        expect(page.locator(".site-header")).to_be_hidden()
        expect(page.locator(".doc-actions")).to_be_hidden()
        expect(page.get_by_test_id("incident-title")).to_be_visible()
        page.emulate_media(media="screen")


def test_the_executive_summary_fits_on_one_printed_page(page, login, complete):  # noqa: F811
    login("alice")
    page.goto(f"/incidents/{complete.pk}/executive/")
    expect(page.get_by_test_id("exec-root-cause")).to_have_count(1)
    expect(page.get_by_test_id("exec-action")).to_have_count(1)
    pdf = page.pdf(format="A4")  # Chromium prints with the print stylesheet
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1


def test_the_pages_fit_a_390_px_phone(page, login, complete, make_user):  # noqa: F811
    complete.title = LONG
    complete.save(update_fields=["title"])
    _published(complete)
    page.set_viewport_size(PHONE)
    login("alice")
    for url in (
        f"/incidents/{complete.pk}/",
        f"/incidents/{complete.pk}/executive/",
        f"/p/{complete.pk}/",
        "/",
        "/debt/",
    ):
        page.goto(url)
        _fits(page)
    # One row, visited by the keyboard in the order it is seen: logo, search, Menu, you.
    order = ["nav-home", "nav-search", "nav-menu-button", "user-menu"]
    boxes = [page.get_by_test_id(name).bounding_box() for name in order]
    assert all(box is not None and box["x"] + box["width"] <= 390 for box in boxes), boxes
    assert [box["x"] for box in boxes] == sorted(box["x"] for box in boxes), boxes
    page.locator(".skip-link").focus()
    seen = []
    for _ in order:
        page.keyboard.press("Tab")
        seen.append(
            page.evaluate("(document.activeElement.closest('[data-testid]') || {}).dataset.testid")
        )
    assert seen == order, seen
    # The site's links are in the Menu, not cut off at the edge.
    expect(page.get_by_test_id("nav-insights")).to_be_hidden()
    page.get_by_test_id("nav-menu-button").click()
    link = page.get_by_test_id("menu-nav-insights")
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    _fits(page)
    link.click()
    page.wait_for_url("**/insights/")


def test_the_editing_page_and_an_admin_menu_fit_too(page, login, complete, admin_user):  # noqa: F811
    page.set_viewport_size(PHONE)
    login("root")  # the longest menu: sources, trackers, admin
    page.goto(f"/incidents/{complete.pk}/")
    _fits(page)
    page.get_by_test_id("nav-menu-button").click()
    expect(page.get_by_test_id("menu-nav-admin")).to_be_visible()
    _fits(page)
    assert page.js_errors == []


def test_the_review_meeting_takes_notes_on_a_phone(page, login, complete, teammate):  # noqa: F811
    from kintsugi.reviews.services.comments import thread_start

    thread_start(
        user=teammate, incident=complete, anchor="section:timeline", text="Who paged the DBA?"
    )
    page.set_viewport_size(PHONE)
    login("alice")
    page.goto(f"/incidents/{complete.pk}/edit/")
    page.get_by_test_id("open-meeting").click()
    page.wait_for_url(f"**/incidents/{complete.pk}/meeting/")
    expect(page.get_by_test_id("agenda-question")).to_contain_text("Who paged the DBA?")
    _fits(page)
    page.get_by_test_id("meeting-attendees").fill("bob")
    page.get_by_test_id("meeting-notes-text").fill("Bob answers: <b>the on-call</b> did.")
    page.get_by_test_id("meeting-save").click()
    expect(page.get_by_test_id("meeting-saved")).to_be_visible()
    expect(page.get_by_test_id("meeting-notes-text")).to_have_value(
        "Bob answers: <b>the on-call</b> did."
    )
    expect(page.get_by_test_id("meeting-send")).to_have_text("Email the follow-up to 1 attendee")
    _fits(page)
    assert page.js_errors == []
