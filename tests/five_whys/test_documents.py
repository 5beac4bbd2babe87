"""The analysis travels with the post-mortem: export writes it, import recreates it."""

from __future__ import annotations

from kintsugi.core.markdown import parse_markdown, render_markdown
from kintsugi.documents.assembly import document_from_incident
from kintsugi.documents.imports import postmortem_import
from kintsugi.five_whys import services
from kintsugi.five_whys.selectors import analysis_view
from kintsugi.postmortems import services as pm


def test_it_exports_and_imports_the_tree_with_its_links(owner, incident):
    pm.factor_add(user=owner, incident=incident, title="Slow migration")
    factor = pm.factor_add(user=owner, incident=incident, title="Expired credentials")
    pm.action_item_add(user=owner, incident=incident, title="Later", priority="P3")
    item = pm.action_item_add(user=owner, incident=incident, title="Alert on expiry", priority="P0")
    node = services.step_add(
        user=owner, incident=incident, version=0, question="Why down?", answer="Pool exhausted."
    )
    cause = services.step_add(
        user=owner,
        incident=incident,
        version=analysis_view(incident=incident).version,
        question="Why exhausted?",
        answer="No alert watches credential expiry.",
        parent=node,
    )
    services.root_cause_link(
        user=owner,
        node=cause,
        version=analysis_view(incident=incident).version,
        factors=[factor],
        action_items=[item],
    )
    document = document_from_incident(user=owner, pk=incident.pk)
    branch = document.analysis.branches[0]
    assert (branch.factors, branch.actions) == ([2], [1])
    text = render_markdown(document)
    assert "**Action items:** A1" in text
    parsed = parse_markdown(text)
    parsed.id = None  # a copy: with its id, the file would update the incident it came from
    copy = postmortem_import(user=owner, document=parsed)
    stored = analysis_view(incident=copy)
    assert stored.tree == document.analysis
    linked = stored.nodes[-1]
    assert [f.title for f in linked.factors.all()] == ["Expired credentials"]
    assert [a.title for a in linked.action_items.all()] == ["Alert on expiry"]
