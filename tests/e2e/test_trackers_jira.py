"""A Jira ticket from the browser and back, in both flavours: Create ticket in Chromium, the
worker creates it in the loopback Jira, Jira moves it to Done and sends a signed webhook over
real HTTP, and the page shows the item done, with who closed it and the key OPS-1."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kintsugi.postmortems.models import ActionItem
from tests.e2e.test_trackers import _send
from tests.trackers.conftest import run_worker
from tests.trackers.fake_jira import serve

pytestmark = pytest.mark.django_db(transaction=True)
ENV = "KINTSUGI_E2E_JIRA_TOKEN"


@pytest.fixture(params=["jira_cloud", "jira_dc"])
def jira(request, monkeypatch):
    with serve(request.param, monkeypatch, ENV) as server:
        yield server


def test_a_jira_ticket_goes_out_and_comes_back_done(
    page, login, live_server, jira, team, incident, owner
):
    from kintsugi.postmortems.services.action_items import action_item_add
    from kintsugi.trackers.services.connections import connection_create

    item = action_item_add(user=owner, incident=incident, title="Add a circuit breaker")
    connection = connection_create(
        user=None, team=team, kind=jira.kind, name="ops-jira", project="OPS", token_env=ENV,
        base_url=jira.url,
    )  # fmt: skip
    login("alice")
    page.goto(f"/incidents/{item.incident_id}/")
    row = page.locator(f"#action-{item.pk}")
    row.get_by_test_id("ticket-create").click()
    page.wait_for_url(f"**/incidents/{item.incident_id}/#action-{item.pk}")
    expect(row.get_by_test_id("ticket-creating")).to_be_visible()

    assert run_worker() == "1 synced, 0 failed"
    assert jira.fields(1)["summary"] == item.title

    jira.change(1, status="Done")
    body, headers = jira.hook(1, connection.webhook_secret, user="Jo Jira", status_changed=True)
    assert (
        _send(f"{live_server.url}/hooks/trackers/{jira.kind}/{connection.pk}/", body, headers)
        == 200
    )

    page.reload()
    expect(row.get_by_test_id("action-status")).to_have_text("Done")
    expect(row.get_by_test_id("ticket-closed-by")).to_contain_text("Jo Jira")
    expect(row.get_by_test_id("action-ticket")).to_contain_text("OPS-1")
    assert ActionItem.objects.get(pk=item.pk).completed_at is not None
    assert not page.js_errors  # type: ignore[attr-defined]
