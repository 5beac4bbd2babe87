"""The action item's ticket on the post-mortem page: buttons, state, access, queries."""

from __future__ import annotations

import pytest
from django.db import connection as database
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kintsugi.trackers.models import SyncJob, TicketLink
from tests.trackers.conftest import run_worker


def _client(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def _page(client, incident):
    response = client.get(f"/incidents/{incident.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _post(client, incident, item, what, **data):
    return client.post(f"/incidents/{incident.pk}/actions/{item.pk}/ticket/{what}/", data)


def test_editors_see_create_and_link_viewers_do_not(
    fake, connection, item, owner, viewer, incident
):
    assert 'data-testid="ticket-create"' in _page(_client(owner), incident)
    assert 'data-testid="ticket-create"' not in _page(_client(viewer), incident)


def test_no_buttons_without_a_tracker(db, item, owner, incident):
    assert 'data-testid="ticket-create"' not in _page(_client(owner), incident)


def test_create_queues_then_shows_the_ticket(fake, connection, item, owner, incident):
    client = _client(owner)
    answer = _post(client, incident, item, "create")
    assert answer.status_code == 303 and answer["Location"].endswith(f"#action-{item.pk}")
    assert 'data-testid="ticket-creating"' in _page(client, incident)
    run_worker()
    page = _page(client, incident)
    assert 'data-testid="ticket-synced"' in page and "#1</a>" in page


def test_a_failed_sync_shows_the_error_and_a_retry(
    fake, connection, item, owner, incident, monkeypatch
):
    monkeypatch.setenv(connection.token_env, "wrong")
    client = _client(owner)
    _post(client, incident, item, "create")
    run_worker()
    page = _page(client, incident)
    assert 'data-testid="ticket-sync-error"' in page and "401" in page
    monkeypatch.setenv(connection.token_env, "fake-token-0123456789")
    assert _post(client, incident, item, "retry").status_code == 303
    run_worker()
    assert 'data-testid="ticket-sync-error"' not in _page(client, incident)


@pytest.mark.parametrize("reference", ["", "<script>alert(1)</script>", "x" * 5000, "other/repo#1"])
def test_a_bad_reference_is_said_and_nothing_is_linked(
    fake, connection, item, owner, incident, reference
):
    client = _client(owner)
    answer = _post(client, incident, item, "link", reference=reference)
    assert answer.status_code == 303
    page = client.get(answer["Location"]).content.decode()
    assert 'data-testid="messages"' in page and "<script>alert(1)</script>" not in page
    assert not TicketLink.objects.exists()


def test_tracker_text_is_escaped_on_the_page(fake, connection, item, owner, incident):
    client = _client(owner)
    _post(client, incident, item, "create")
    run_worker()
    who = "<img src=x onerror=alert(1)>"
    fake.change(1, assignee=who if fake.kind == "github" else {"username": who})
    from datetime import timedelta

    from django.utils import timezone

    run_worker(timezone.now() + timedelta(hours=1))
    page = _page(client, incident)
    assert "<img src=x" not in page and "&lt;img src=x" in page


def test_access(fake, connection, item, owner, viewer, outsider, restricted_incident, incident):
    from kintsugi.postmortems.services.action_items import action_item_add

    assert _post(_client(viewer), incident, item, "create").status_code == 403
    hidden = action_item_add(user=owner, incident=restricted_incident, title="Hidden")
    assert _post(_client(outsider), restricted_incident, hidden, "create").status_code == 404
    assert (
        Client().post(f"/incidents/{incident.pk}/actions/{item.pk}/ticket/create/").status_code
        == 302
    )
    assert _post(_client(owner), incident, item, "nonsense").status_code == 404
    assert (
        _client(owner).get(f"/incidents/{incident.pk}/actions/{item.pk}/ticket/create/").status_code
        == 405
    )
    csrf = _client(owner, enforce_csrf_checks=True)
    assert _post(csrf, incident, item, "create").status_code == 403
    assert not SyncJob.objects.exists()


def test_bulk_create(fake, connection, item, owner, incident):
    from kintsugi.postmortems.services.action_items import action_item_add

    action_item_add(user=owner, incident=incident, title="Second")
    answer = _client(owner).post(f"/incidents/{incident.pk}/actions/tickets/")
    assert answer.status_code == 303
    assert SyncJob.objects.count() == 2


def test_the_page_reads_links_in_one_query_whatever_their_number(
    fake, connection, item, owner, incident
):
    from kintsugi.postmortems.services.action_items import action_item_add
    from kintsugi.trackers.services.tickets import ticket_create

    client = _client(owner)
    ticket_create(user=owner, item=item)
    _page(client, incident)
    with CaptureQueriesContext(database) as few:
        _page(client, incident)
    for n in range(10):
        ticket_create(
            user=owner, item=action_item_add(user=owner, incident=incident, title=f"I{n}")
        )
    run_worker()
    with CaptureQueriesContext(database) as many:
        _page(client, incident)
    assert len(few) == len(many)
