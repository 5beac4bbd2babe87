"""The demo's 5 Whys: the main chain ends on the runner credentials and is clean."""

from __future__ import annotations

from kintsugi.documents.demo import load_demo
from kintsugi.five_whys.selectors import analysis_view
from kintsugi.postmortems.models import Incident


def test_the_main_chain_reaches_the_runner_credentials_with_no_error(db):
    main, _ = load_demo()
    view = analysis_view(incident=main)
    branch = view.tree.branches[0]
    assert len(branch.steps) == 6
    assert "runner credentials expired" in branch.root_cause.answer
    assert [view.action_items[n - 1].priority for n in branch.actions] == ["P0", "P0"]
    assert [view.factors[n - 1].title for n in branch.factors][0].startswith("Pipeline")
    assert [f for f in view.findings() if f.severity == "error"] == []


def test_the_checkout_incident_has_two_branches(db):
    load_demo()
    checkout = Incident.objects.get(title__startswith="Checkout payments declined")
    assert len(analysis_view(incident=checkout).tree.branches) == 2
