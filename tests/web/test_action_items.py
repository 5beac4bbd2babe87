"""Action items: add, edit, delete in place; owners, tickets, dates and statuses."""

from datetime import date

import pytest

from kintsugi.postmortems import services
from kintsugi.postmortems.models import ActionItem
from tests.web.conftest import HTMX, assert_fragment


def _data(**overrides):
    factor = overrides.pop("factor", None)
    if factor is not None and not isinstance(factor, str):
        factor = factor.pk
    data = {
        "title": "Alert on credential expiry",
        "priority": "P1",
        "owner": "bob",
        "ticket_id": "OPS-42",
        "ticket_url": "https://jira.example.com/OPS-42",
        "due_on": "2026-03-15",
        "status": "open",
        "status_reason": "",
        "factor": factor or "",
        "description": "Kept description",
    }
    data.update(overrides)
    return data


def _add_url(incident):
    return f"/incidents/{incident.pk}/actions/add/"


def test_it_offers_active_users_as_owners(login, owner, teammate, make_user, incident):
    make_user("gone", is_active=False)
    response = login(owner).get(_add_url(incident), **HTMX)
    assert_fragment(response)
    body = response.content.decode()
    assert '<option value="bob">Bob Diaz (bob)</option>' in body
    assert 'value="gone"' not in body


def test_it_adds_an_action_item(login, owner, teammate, incident):
    factor = services.factor_add(user=owner, incident=incident, title="No alert")
    response = login(owner).post(_add_url(incident), _data(factor=factor), **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#action-items"
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="action-items"')
    assert "Alert on credential expiry" in body and "F1 · No alert" in body
    assert 'data-testid="action-missing"' not in body.split('data-testid="action-add-form"')[0]
    item = ActionItem.objects.get()
    assert (item.owner, item.due_on, item.factor) == (teammate, date(2026, 3, 15), factor)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "The action title is required."),
        ({"title": "   "}, "The action title is required."),
        ({"title": "x" * 201}, "the limit is 200"),
        ({"owner": "ghost"}, "Unknown owner “ghost”: choose an active user"),
        ({"ticket_url": "javascript:alert(1)"}, "must be a full http:// or https:// address"),
        ({"ticket_id": "OPS 42; DROP"}, "A ticket ID holds letters"),
        ({"due_on": "next week"}, "is not a date; write it as YYYY-MM-DD"),
        ({"status": "wont_do", "status_reason": ""}, "Say why this action will not be done."),
        ({"priority": "P9"}, "is not one of the choices offered"),
        ({"factor": "999999"}, "Choose one of this incident's contributing factors."),
    ],
)
def test_it_refuses_bad_input_and_keeps_the_rest(
    login, owner, teammate, incident, overrides, message
):
    response = login(owner).post(_add_url(incident), _data(**overrides), **HTMX)
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#action-items-add"
    body = response.content.decode()
    assert message.replace("'", "&#x27;") in body
    assert "Kept description" in body
    if "owner" not in overrides:
        assert '<option value="bob" selected>' in body
    assert not ActionItem.objects.exists()


def test_it_refuses_a_factor_of_another_incident(
    login, owner, teammate, incident, restricted_incident
):
    foreign = services.factor_add(user=owner, incident=restricted_incident, title="Elsewhere")
    response = login(owner).post(_add_url(incident), _data(factor=foreign), **HTMX)
    assert response.status_code == 422
    assert "contributing factors" in response.content.decode()


def test_it_refuses_a_duplicate_ticket(login, owner, teammate, incident):
    client = login(owner)
    client.post(_add_url(incident), _data(), **HTMX)
    response = client.post(_add_url(incident), _data(title="Another"), **HTMX)
    assert response.status_code == 422
    assert "Ticket OPS-42 is already linked" in response.content.decode()


def test_it_edits_an_item_to_wont_do_with_a_reason(login, owner, teammate, incident):
    item = services.action_item_add(user=owner, incident=incident, title="Maybe")
    client = login(owner)
    url = f"/incidents/{incident.pk}/actions/{item.pk}/edit/"
    form = client.get(url, **HTMX).content.decode()
    assert form.lstrip().startswith(f'<li id="action-{item.pk}"')
    response = client.post(
        url,
        {**_data(status="wont_do", status_reason="Superseded by OPS-1", owner=""), "version": 1},
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Won&#x27;t do" in body and "Superseded by OPS-1" in body
    assert "⚠ Missing owner" in body


def test_it_refuses_the_second_of_two_concurrent_edits(login, owner, teammate, incident):
    item = services.action_item_add(user=owner, incident=incident, title="Original")
    url = f"/incidents/{incident.pk}/actions/{item.pk}/edit/"
    first = login(owner).post(url, {**_data(title="Alice's title"), "version": 1}, **HTMX)
    assert first.status_code == 200
    second = login(teammate).post(
        url, {**_data(title="Bob's title", ticket_id="OPS-43"), "version": 1}, **HTMX
    )
    assert second.status_code == 409
    body = second.content.decode()
    assert "Alice&#x27;s title" in body and "Bob&#x27;s title" in body
    assert 'name="version" value="2"' in body
    item.refresh_from_db()
    assert item.title == "Alice's title"


def test_it_deletes_an_item(login, owner, incident):
    item = services.action_item_add(user=owner, incident=incident, title="Gone")
    response = login(owner).post(f"/incidents/{incident.pk}/actions/{item.pk}/delete/", **HTMX)
    assert response.status_code == 200
    assert not ActionItem.objects.exists()


def test_it_returns_the_row_for_cancel(login, owner, incident):
    factor = services.factor_add(user=owner, incident=incident, title="F")
    item = services.action_item_add(user=owner, incident=incident, title="Row", factor=factor)
    body = login(owner).get(f"/incidents/{incident.pk}/actions/{item.pk}/", **HTMX).content.decode()
    assert body.lstrip().startswith(f'<li id="action-{item.pk}"') and "F1 · F" in body


def test_each_save_refreshes_the_debt_box_out_of_band(login, owner, teammate, incident):
    late = services.action_item_add(
        user=None, incident=incident, title="Late one", owner=teammate, due_on=date(2026, 3, 1)
    )
    client = login(owner)
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "0 of 1 action items closed (0 %)" in page and 'data-testid="debt-overdue"' in page
    url = f"/incidents/{incident.pk}/actions/{late.pk}/edit/"
    data = {**_data(title="Late one", status="done", due_on="2026-03-01"), "version": 1}
    body = client.post(url, data, **HTMX).content.decode()
    debt = body.split('<section id="debt"', 1)[1]
    assert debt.split(">", 1)[0].endswith('hx-swap-oob="true"')
    assert "1 of 1 action items closed (100 %)" in debt
    assert 'data-testid="debt-overdue"' not in debt
    another = _data(title="Another", ticket_id="OPS-43", ticket_url="")
    added = client.post(_add_url(incident), another, **HTMX).content.decode()
    assert "1 of 2 action items closed (50 %)" in added
    item = ActionItem.objects.get(title="Another")
    deleted = client.post(f"/incidents/{incident.pk}/actions/{item.pk}/delete/", **HTMX)
    assert "1 of 1 action items closed (100 %)" in deleted.content.decode()


def test_it_shows_every_refused_field_at_once(login, owner, teammate, incident):
    """Two fields the service refuses: both errors, each next to its field (issue 14.12)."""
    response = login(owner).post(
        _add_url(incident),
        _data(ticket_id="OPS 42!", ticket_url="javascript:alert(1)"),
        **HTMX,
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert 'data-testid="error-ticket_id"' in body
    assert 'data-testid="error-ticket_url"' in body
    assert not ActionItem.objects.exists()


def test_a_status_change_of_a_recorded_late_item_saves(login, owner, teammate, incident):
    """Issue 20: the form posts an empty reason; only a new date or priority may ask one."""
    late = services.action_item_add(
        user=None, incident=incident, title="Late one", priority="P1", owner=teammate,
        due_on=date(2026, 5, 1),
    )  # fmt: skip
    client = login(owner)
    url = f"/incidents/{incident.pk}/actions/{late.pk}/edit/"
    data = {**_data(title="Late one", status="done", due_on="2026-05-01", due_reason="")}
    response = client.post(url, {**data, "version": 1}, **HTMX)
    assert response.status_code == 200, response.content.decode()
    late.refresh_from_db()
    assert (late.status, late.due_on, late.due_reason) == ("done", date(2026, 5, 1), "")
    moved = {**data, "status": "open", "due_on": "2026-04-20", "version": 2}
    refused = client.post(url, moved, **HTMX)
    assert refused.status_code == 422 and "needs a reason" in refused.content.decode()
