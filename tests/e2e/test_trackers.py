"""A ticket from the browser to the tracker and back: Create ticket in Chromium, the worker
creates it in the loopback tracker, the tracker closes it and signs a webhook sent over
real HTTP, and the page shows the item done, with who closed it."""

from __future__ import annotations

import urllib.request

import pytest
from playwright.sync_api import expect

from kintsugi.postmortems.models import ActionItem
from tests.trackers.conftest import connect, run_worker
from tests.trackers.fakes import TOKEN, FakeGitHub, FakeGitLab

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=["github", "gitlab"])
def tracker(request, monkeypatch):
    monkeypatch.setenv("KINTSUGI_E2E_TRACKER_TOKEN", TOKEN)
    with (FakeGitHub if request.param == "github" else FakeGitLab)() as server:
        server.kind = request.param
        yield server


@pytest.fixture
def action(incident, owner):
    from kintsugi.postmortems.services.action_items import action_item_add

    return action_item_add(user=owner, incident=incident, title="Add a circuit breaker")


def _send(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json", **headers}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.status


def test_a_ticket_goes_out_and_comes_back_done(page, login, live_server, tracker, team, action):
    fake, item = tracker, action
    connection = connect(fake, team, "KINTSUGI_E2E_TRACKER_TOKEN")
    login("alice")
    page.goto(f"/incidents/{item.incident_id}/")
    row = page.locator(f"#action-{item.pk}")
    row.get_by_test_id("ticket-create").click()
    page.wait_for_url(f"**/incidents/{item.incident_id}/#action-{item.pk}")
    expect(page.get_by_test_id("messages")).to_contain_text("will be created")
    expect(row.get_by_test_id("ticket-creating")).to_be_visible()

    assert run_worker() == "1 synced, 0 failed"
    assert fake.issues[1]["title"] == item.title

    if fake.kind == "github":
        fake.change(1, state="closed", state_reason="completed")
        body, headers = fake.hook(1, connection.webhook_secret, action="closed", sender="octo")
    else:
        fake.change(1, state="closed", by="gitty")
        body, headers = fake.hook(1, connection.webhook_secret, action="close", user="gitty")
    hook = f"{live_server.url}/hooks/trackers/{fake.kind}/{connection.pk}/"
    assert _send(hook, body, headers) == 200

    page.reload()
    expect(row.get_by_test_id("action-status")).to_have_text("Done")
    expect(row.get_by_test_id("ticket-closed-by")).to_contain_text(
        "octo" if fake.kind == "github" else "gitty"
    )
    expect(row.get_by_test_id("action-ticket")).to_contain_text("#1")
    assert ActionItem.objects.get(pk=item.pk).completed_at is not None
    assert not page.js_errors  # type: ignore[attr-defined]


def test_bulk_create_shows_progress_then_the_tickets(
    page, login, live_server, team, action, monkeypatch
):
    """The bulk create: htmx posts, the panel polls while the worker creates the issues in
    the loopback GitHub, then the rows show their tickets."""
    from kintsugi.postmortems.services.action_items import action_item_add

    monkeypatch.setenv("KINTSUGI_E2E_TRACKER_TOKEN", TOKEN)
    with FakeGitHub() as fake:
        fake.kind = "github"
        connect(fake, team, "KINTSUGI_E2E_TRACKER_TOKEN")
        incident = action.incident
        others = [
            action_item_add(user=action.owner, incident=incident, title=f"Item {n}")
            for n in range(2)
        ]
        login("alice")
        page.goto(f"/incidents/{incident.pk}/")
        button = page.get_by_test_id("tickets-bulk-create")
        expect(button).to_contain_text("the 3 items without one")
        button.click()
        progress = page.get_by_test_id("tickets-progress-text")
        expect(progress).to_contain_text("0 of 3 tickets created")
        assert page.url.endswith(f"/incidents/{incident.pk}/")  # no reload: htmx

        assert run_worker() == "3 synced, 0 failed"
        expect(progress).to_contain_text("3 of 3 tickets created.", timeout=8_000)
        for item in (action, *others):
            row = page.locator(f"#action-{item.pk}")
            expect(row.get_by_test_id("ticket-synced")).to_be_visible(timeout=8_000)
        expect(page.get_by_test_id("tickets-bulk-create")).to_have_count(0)
        titles = sorted(issue["title"] for issue in fake.issues.values())
        assert titles == sorted([action.title, "Item 0", "Item 1"])
        assert not page.js_errors  # type: ignore[attr-defined]


def test_a_team_lead_finds_trackers_in_the_nav(page, login, owner):
    login("alice")
    page.goto("/")
    page.get_by_test_id("nav-trackers").first.click()
    page.wait_for_url("**/settings/trackers/")
    expect(page.get_by_role("heading", name="Trackers", exact=True)).to_be_visible()
    assert not page.js_errors  # type: ignore[attr-defined]
