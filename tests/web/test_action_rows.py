"""One action item row, built in Python: every state the template used to show, escaped."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kintsugi.accounts.models import User
from kintsugi.postmortems.models import ActionItem, Factor
from kintsugi.web.action_rows import action_row

TODAY = date(2026, 11, 27)
POLICY = '<p class="policy-note" data-testid="action-policy">Policy: 14 days</p>'


def _row(item: ActionItem, *, can_edit: bool = True) -> str:
    return action_row(
        item,
        policy=POLICY,
        base_url="/incidents/7/actions/",
        can_edit=can_edit,
        csrf_token='tok"en',
        today=TODAY,
    )


def _item(**fields) -> ActionItem:
    values = {"pk": 42, "incident_id": 7, "title": "Cap the pool", "priority": "P1"}
    return ActionItem(**(values | fields))


def test_a_complete_open_item_past_its_date_is_overdue():
    owner = User(pk=3, username="bob", first_name="Bob", last_name="Ops")
    factor = Factor(pk=9, incident_id=7, title="No pool limit")
    item = _item(
        owner=owner, ticket_id="OPS-1", ticket_url="https://jira.example/OPS-1",
        due_on=date(2026, 11, 20), factor=factor, description="Use **pgbouncer**",
    )  # fmt: skip
    item.factor_number = 2
    html = _row(item)
    assert 'class="action-item action-open"' in html and "incomplete" not in html
    assert 'title="P1 - High" data-testid="action-priority">P1</span>' in html
    assert "<strong>pgbouncer</strong>" in html
    assert '<a href="#factor-9">F2 · No pool limit</a>' in html
    assert POLICY in html
    assert 'data-testid="action-owner">Bob Ops</span>' in html
    assert '<a href="https://jira.example/OPS-1" rel="noopener noreferrer nofollow"' in html
    assert '<time datetime="2026-11-20">2026-11-20</time> <span class="badge overdue"' in html
    assert 'data-testid="action-status">Open</span>' in html
    assert 'href="/incidents/7/actions/42/edit/"' in html
    assert 'value="tok&quot;en"' in html  # the CSRF token escaped like any value


def test_missing_owner_ticket_and_date_are_visible_and_viewers_get_no_buttons():
    html = _row(_item(), can_edit=False)
    assert 'class="action-item action-open incomplete"' in html
    assert "⚠ Missing owner, ticket, target date" in html
    assert '<span class="missing">no owner</span>' in html
    assert '<span class="missing">no ticket</span>' in html
    assert '<span class="missing">no date</span>' in html
    assert "action-edit" not in html and "action-delete" not in html


def test_closed_items_are_not_overdue_and_show_their_reason_and_time():
    item = _item(
        status="wont_do", status_reason="Replaced by <b>OPS-9</b>", due_on=date(2026, 11, 1),
        completed_at=datetime(2026, 11, 2, 9, 30, tzinfo=UTC),
    )  # fmt: skip
    html = _row(item)
    assert "action-overdue" not in html
    assert 'data-testid="action-status">Won&#x27;t do</span>' in html
    assert "Replaced by &lt;b&gt;OPS-9&lt;/b&gt;" in html
    assert "2026-11-02 09:30 UTC" in html


def test_hostile_values_are_escaped_and_non_http_links_neutralised():
    payload = '<img src=x onerror=alert(1)> "q"'
    item = _item(
        title=payload, ticket_id=payload, ticket_url="javascript:alert(1)",
        description="<script>alert(2)</script>", status_reason=payload,
    )  # fmt: skip
    html = _row(item)
    assert "<img" not in html and "<script" not in html and "javascript:" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; &quot;q&quot;" in html
    assert '<a href="#" rel="noopener noreferrer nofollow" target="_blank">' in html


def test_a_link_without_an_id_says_so():
    html = _row(_item(ticket_url="https://jira.example/OPS-2"))
    assert '<a href="https://jira.example/OPS-2"' in html and ">link</a>" in html
    assert '<span class="missing">no ID</span>' in html


@pytest.mark.parametrize(("due", "overdue"), [(date(2026, 11, 26), True), (TODAY, False)])
def test_an_item_is_overdue_only_after_its_target_date(due, overdue):
    html = _row(_item(due_on=due))
    assert ('data-testid="action-overdue"' in html) is overdue


def test_a_remembered_row_follows_what_it_shows():
    """Rows are remembered keyed on what they show (``Shown``): a renamed factor, a new
    policy line or a new day changes the row, with no new version of the item."""
    factor = Factor(pk=9, incident_id=7, title="No pool limit")
    item = _item(factor=factor, due_on=date(2026, 11, 27))
    assert 'data-testid="action-overdue"' not in _row(item)
    factor.title = "No <pool> limit"
    html = action_row(
        item, policy="<p>Policy: 7 days</p>", base_url="/incidents/7/actions/",
        can_edit=False, csrf_token="", today=date(2026, 11, 28),
    )  # fmt: skip
    assert "No &lt;pool&gt; limit" in html and "<p>Policy: 7 days</p>" in html
    assert 'data-testid="action-overdue"' in html


def test_each_response_puts_its_own_token_in_a_remembered_row():
    from kintsugi.web.remembered import CSRF_SLOT

    item = _item()
    first = action_row(
        item, policy="", base_url="/a/", can_edit=True, csrf_token="one", today=TODAY
    )
    second = action_row(
        item, policy="", base_url="/a/", can_edit=True, csrf_token="two", today=TODAY
    )
    assert 'value="one"' in first and 'value="two"' in second
    assert CSRF_SLOT not in first + second
