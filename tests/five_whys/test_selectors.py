"""Reading the why-tree: what the post-mortem page passes in, and what it costs."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kintsugi.five_whys import services
from kintsugi.five_whys.selectors import analysis_view
from kintsugi.postmortems import services as pm
from kintsugi.postmortems.models import ActionItem, Factor
from tests.five_whys.test_services import add, chain, version


def _linked_chain(owner, incident, steps, priorities, pick):
    """A chain whose last step links ``pick(factors, items)`` of three factors and three
    action items of ``priorities``; returns that step."""
    *_, last = chain(owner, incident, steps)
    factors = [pm.factor_add(user=owner, incident=incident, title=f"F{n}") for n in range(3)]
    items = [
        pm.action_item_add(user=owner, incident=incident, title=f"Add alerting {n}", priority=p)
        for n, p in enumerate(priorities)
    ]
    linked_factors, linked_items = pick(factors, items)
    services.root_cause_link(
        user=owner, node=last, version=version(incident),
        factors=linked_factors, action_items=linked_items,
    )  # fmt: skip
    return last


def test_the_lists_the_page_loaded_number_the_links_as_a_fresh_read_does(owner, incident):
    last = _linked_chain(
        owner, incident, 3, ["P2", "P0", "P1"], lambda factors, items: ([factors[2]], [items[0]])
    )
    loaded_factors = list(Factor.objects.filter(incident=incident))  # as the page loads them
    loaded_items = list(ActionItem.objects.filter(incident=incident))
    with CaptureQueriesContext(connection) as fresh_queries:
        fresh = analysis_view(incident=incident)
    with CaptureQueriesContext(connection) as passed_queries:
        passed = analysis_view(incident=incident, factors=loaded_factors, action_items=loaded_items)
    assert passed.records == fresh.records
    linked = next(record for record in passed.records if record.id == last.pk)
    assert linked.factors == (3,) and linked.actions == (3,)  # P0, P1, P2: A3 is the P2
    assert passed.version == fresh.version
    assert len(fresh_queries) - len(passed_queries) == 2


def test_an_empty_tree_does_not_read_the_language_settings(owner, incident):
    view = analysis_view(incident=incident)
    with CaptureQueriesContext(connection) as captured:
        assert view.findings() == []
    assert len(captured) == 0


def test_answers_are_still_checked_for_blame(owner, incident):
    add(owner, incident, "Why was the site down?", "It was human error during the deploy.")
    view = analysis_view(incident=incident)
    view.findings()  # builds this process's linter
    with CaptureQueriesContext(connection) as captured:
        findings = view.findings()
    assert len(captured) == 1  # is the organisation's linter current?
    assert any("human error" in f.message.lower() or "human-error" in f.rule for f in findings)


def test_a_step_s_links_come_in_the_order_the_lists_number_them(owner, incident):
    last = _linked_chain(
        owner,
        incident,
        2,
        ["P3", "P0", "P1"],
        lambda factors, items: ([factors[2], factors[0]], items),
    )
    with CaptureQueriesContext(connection) as captured:
        view = analysis_view(incident=incident)
    linked = next(record for record in view.records if record.id == last.pk)
    assert linked.factors == (1, 3)
    assert linked.actions == (1, 2, 3)  # P0, P1, P3
    # Steps, their links (one union), factor and action item ids, the version.
    assert len(captured) == 5
