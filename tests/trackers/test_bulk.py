"""The bulk "Create tickets for all items without one" on the post-mortem page: the button, its
progress (htmx), idempotency, failures, access and the page's query count."""

from __future__ import annotations

import pytest
from django.db import connection as database
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kintsugi.postmortems.services.action_items import action_item_add
from kintsugi.trackers.models import SyncJob, TicketLink
from tests.trackers.conftest import run_worker

HX = {"HTTP_HX_REQUEST": "true"}


def _client(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def _url(incident):
    return f"/incidents/{incident.pk}/actions/tickets/"


def _page(client, incident):
    answer = client.get(f"/incidents/{incident.pk}/")
    assert answer.status_code == 200
    return answer.content.decode()


@pytest.fixture
def two(item, owner, incident):
    return [item, action_item_add(user=owner, incident=incident, title="Alert on queue depth")]


def test_editors_see_the_button_with_the_count_viewers_do_not(
    fake, connection, two, owner, viewer, incident
):
    page = _page(_client(owner), incident)
    assert 'data-testid="tickets-bulk-create"' in page and "the 2 items without one" in page
    assert 'data-testid="tickets-bulk-create"' not in _page(_client(viewer), incident)


def test_no_button_without_a_tracker(db, item, owner, incident):
    assert 'data-testid="tickets-bulk"' not in _page(_client(owner), incident)
    assert "tickets-bulk-create" not in _page(_client(owner), incident)


def test_htmx_post_answers_progress_that_polls_until_the_worker_is_done(
    fake, connection, two, owner, incident
):
    client = _client(owner)
    answer = client.post(_url(incident), **HX)
    assert answer.status_code == 200 and answer["Cache-Control"] == "no-store"
    body = answer.content.decode()
    assert "0 of 2 tickets created" in body and 'hx-trigger="every 2s"' in body
    assert 'data-testid="tickets-progress-loader"' in _page(client, incident)  # after a reload
    assert "tickets-bulk-create" not in _page(client, incident)
    run_worker()
    body = client.get(_url(incident), **HX).content.decode()
    assert "2 of 2 tickets created." in body and "every 2s" not in body
    assert 'data-testid="tickets-bulk-done"' in body  # shows the rows again
    assert sorted(TicketLink.objects.values_list("key", flat=True)) == ["1", "2"]
    assert len([w for w in fake.writes() if w[0] == "POST"]) == 2


def test_it_is_idempotent(fake, connection, two, owner, incident):
    client = _client(owner)
    client.post(_url(incident), **HX)
    client.post(_url(incident), **HX)
    client.post(_url(incident))  # without JavaScript
    assert SyncJob.objects.count() == 2
    run_worker()
    answer = client.post(_url(incident), **HX)
    assert "2 of 2" in answer.content.decode() and SyncJob.objects.count() == 2
    assert len([w for w in fake.writes() if w[0] == "POST"]) == 2


def test_a_failure_is_counted_and_left_on_the_row(
    fake, connection, two, owner, incident, monkeypatch
):
    monkeypatch.setenv(connection.token_env, "wrong")
    client = _client(owner)
    client.post(_url(incident), **HX)
    run_worker()
    body = client.get(_url(incident), **HX).content.decode()
    assert "0 of 2 tickets created" in body and "2 failed" in body and "every 2s" not in body
    assert _page(client, incident).count('data-testid="ticket-retry"') == 2


def test_a_retryable_failure_keeps_polling(fake, connection, two, owner, incident):
    fake.faults.append((503, {}))
    client = _client(owner)
    client.post(_url(incident), **HX)
    run_worker()
    body = client.get(_url(incident), **HX).content.decode()
    assert "1 of 2" in body and "1 waiting to be tried again" in body and "every 2s" in body


def test_without_a_tracker_the_panel_says_why(db, item, owner, incident):
    body = _client(owner).post(_url(incident), **HX).content.decode()
    assert 'data-testid="tickets-bulk-error"' in body and "no tracker connection" in body
    assert not SyncJob.objects.exists()


def test_without_javascript_it_redirects_with_a_message(fake, connection, two, owner, incident):
    client = _client(owner)
    answer = client.post(_url(incident))
    assert answer.status_code == 303 and answer["Location"].endswith("#action-items")
    assert "2 ticket(s) will be created" in client.get(answer["Location"]).content.decode()
    assert client.get(_url(incident)).status_code == 303  # the progress is for htmx


def test_access(fake, connection, two, owner, viewer, outsider, restricted_incident, incident):
    assert _client(viewer).post(_url(incident), **HX).status_code == 403
    assert _client(viewer).get(_url(incident), **HX).status_code == 403
    action_item_add(user=owner, incident=restricted_incident, title="Hidden")
    assert _client(outsider).post(_url(restricted_incident), **HX).status_code == 404
    assert _client(outsider).get(_url(restricted_incident), **HX).status_code == 404
    anonymous = Client().post(_url(incident), **HX)
    assert anonymous.status_code == 200 and "/login/" in anonymous["HX-Redirect"]
    csrf = _client(owner, enforce_csrf_checks=True)
    assert csrf.post(_url(incident), **HX).status_code == 403
    assert _client(owner).put(_url(incident), **HX).status_code == 405
    assert not SyncJob.objects.exists()


def test_hostile_titles_are_escaped_in_the_progress(fake, connection, owner, incident):
    action_item_add(user=owner, incident=incident, title="<script>alert(1)</script>")
    client = _client(owner)
    body = client.post(_url(incident), **HX).content.decode()
    run_worker()
    page = _page(client, incident)
    assert "<script>alert(1)</script>" not in body + page


def test_the_button_costs_no_query(fake, connection, item, owner, incident):
    client = _client(owner)
    _page(client, incident)
    with CaptureQueriesContext(database) as few:
        page = _page(client, incident)
    assert "the 1 item without one" in page
    for n in range(12):
        action_item_add(user=owner, incident=incident, title=f"Item {n}")
    with CaptureQueriesContext(database) as many:
        page = _page(client, incident)
    assert "the 13 items without one" in page and len(few) == len(many)
