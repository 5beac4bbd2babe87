"""The 5 Whys editor on the post-mortem page: access, input, conflicts, live checks, queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kintsugi.five_whys import services
from kintsugi.five_whys.models import WhyNode
from kintsugi.five_whys.selectors import analysis_view
from kintsugi.postmortems import services as pm
from tests.web.conftest import HTMX


def base(incident):
    return f"/incidents/{incident.pk}/five-whys/"


def version(incident):
    return analysis_view(incident=incident).version


def chain(user, incident, n):
    parent = None
    for index in range(n):
        parent = services.step_add(
            user=user, incident=incident, version=version(incident), parent=parent,
            question=f"Why {index}?", answer=f"Cause {index} in the pool configuration.",
        )  # fmt: skip
    return parent


def add(client, incident, **data):
    payload = {"version": version(incident), "slot": "new", "question": "", "answer": "", **data}
    return client.post(base(incident) + "add/", payload, **HTMX)


def test_it_shows_the_section_between_factors_and_lessons(login, owner, incident):
    chain(owner, incident, 2)
    html = login(owner).get(f"/incidents/{incident.pk}/").content.decode()
    assert html.index('id="factors"') < html.index('id="five-whys"') < html.index('id="lessons"')
    assert "Root Cause Analysis (5 Whys)" in html
    assert 'data-testid="why-step"' in html
    # The section was #analysis: an old link's anchor lands just before it, and the
    # page's own links and htmx targets use the new name.
    assert html.index('id="factors"') < html.index('id="analysis"') < html.index('id="five-whys"')
    assert html.count('id="analysis"') == 1
    assert 'href="#five-whys"' in html and 'href="#analysis"' not in html
    assert 'hx-target="#analysis"' not in html


def test_it_adds_a_step_and_offers_the_next_question(login, owner, incident):
    client = login(owner)
    response = add(client, incident, question="Why was the site down?",
                   answer="The database connection pool was exhausted.")  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "Why was the database connection pool exhausted?" in html
    assert "data-autofocus" in html
    node = WhyNode.objects.get()
    response = add(client, incident, parent=node.pk, question="Why was it exhausted?",
                   answer="A migration locked the users table.")  # fmt: skip
    assert response.status_code == 200
    assert WhyNode.objects.get(parent=node).answer == "A migration locked the users table."


def test_it_adds_a_branch_at_any_step(login, owner, incident):
    last = chain(owner, incident, 2)
    first = last.parent
    response = add(login(owner), incident, parent=first.pk, starts_branch="1",
                   question="Why was detection late?", answer="No alert watches lock waits.",
                   branch_title="Late detection")  # fmt: skip
    assert response.status_code == 200
    assert 'data-branch="1.1"' in response.content.decode()


def test_it_refuses_whitespace_only_answers_and_keeps_the_text(login, owner, incident):
    response = add(login(owner), incident, question="Why was the site down?", answer="   ")
    assert response.status_code == 422
    html = response.content.decode()
    assert "answer is empty" in html and "Why was the site down?" in html
    assert not WhyNode.objects.exists()


def test_it_answers_a_stale_version_with_409_and_keeps_the_text(login, owner, incident):
    node = chain(owner, incident, 1)
    stale = version(incident)
    chain(owner, incident, 1)
    response = login(owner).post(base(incident) + "add/", {
        "version": stale, "slot": f"next-{node.pk}", "parent": node.pk,
        "question": "Why mine?", "answer": "My unsaved answer.",
    }, **HTMX)  # fmt: skip
    assert response.status_code == 409
    assert "My unsaved answer." in response.content.decode()


def test_it_edits_moves_marks_and_deletes(login, owner, incident):
    client = login(owner)
    last = chain(owner, incident, 3)
    response = client.post(base(incident) + f"{last.pk}/edit/", {
        "version": last.version, "question": "Why 2?", "answer": "No lock_timeout is set.",
    }, **HTMX)  # fmt: skip
    assert response.status_code == 200 and "No lock_timeout is set." in response.content.decode()
    assert client.post(base(incident) + f"{last.pk}/move/up/", {"version": version(incident)},
                       **HTMX).status_code == 200  # fmt: skip
    first = WhyNode.objects.get(parent=None)
    response = client.post(base(incident) + f"{first.pk}/root-cause/",
                           {"version": version(incident), "marked": "1"}, **HTMX)  # fmt: skip
    assert response.status_code == 200 and "Root cause (marked)" in response.content.decode()
    response = client.post(base(incident) + f"{first.pk}/delete/", {"version": version(incident)},
                           **HTMX)  # fmt: skip
    assert response.status_code == 200 and not WhyNode.objects.exists()


def test_it_links_a_root_cause_to_factors_and_action_items(login, owner, incident):
    last = chain(owner, incident, 3)
    factor = pm.factor_add(user=owner, incident=incident, title="Expired credentials")
    item = pm.action_item_add(user=owner, incident=incident, title="Alert on credential expiry")
    response = login(owner).post(base(incident) + f"{last.pk}/links/", {
        "version": version(incident), "factors": [factor.pk], "action_items": [item.pk],
    }, **HTMX)  # fmt: skip
    assert response.status_code == 200
    assert 'data-testid="why-links"' in response.content.decode()
    assert list(last.action_items.all()) == [item]


def test_it_shows_findings_next_to_their_step_and_live(login, owner, incident):
    last = chain(owner, incident, 3)
    client = login(owner)
    client.post(base(incident) + f"{last.pk}/edit/", {
        "version": last.version, "question": "Why?", "answer": "An engineer ran the script manually.",
    }, **HTMX)  # fmt: skip
    html = client.get(f"/incidents/{incident.pk}/").content.decode()
    step = html[html.index(f'id="why-{last.pk}"') :]
    assert 'data-rule="whys/ends-on-person"' in step[: step.index("why-controls")]
    live = client.post(base(incident) + "check/", {
        "node": last.pk, "question": "Why?", "answer": "An engineer ran the script manually.",
    }, **HTMX)  # fmt: skip
    assert 'data-rule="whys/ends-on-person"' in live.content.decode()
    reworded = client.post(base(incident) + "check/", {
        "node": last.pk, "question": "Why?", "answer": "The deploy script has no environment check.",
    }, **HTMX)  # fmt: skip
    assert "whys/ends-on-person" not in reworded.content.decode()


def test_viewers_see_no_controls_and_get_403(login, owner, viewer, incident):
    last = chain(owner, incident, 2)
    client = login(viewer)
    html = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert 'data-testid="why-step"' in html
    assert 'data-testid="why-form"' not in html and 'data-testid="why-delete"' not in html
    for path in ["add/", "check/", f"{last.pk}/edit/", f"{last.pk}/delete/",
                 f"{last.pk}/move/up/", f"{last.pk}/root-cause/", f"{last.pk}/links/"]:  # fmt: skip
        response = client.post(base(incident) + path, {"version": 1, "answer": "x"}, **HTMX)
        assert response.status_code == 403, path
    assert WhyNode.objects.count() == 2


def test_outsiders_get_404_on_a_restricted_incident(login, owner, outsider, restricted_incident):
    last = chain(owner, restricted_incident, 1)
    client = login(outsider)
    assert client.get(base(restricted_incident), **HTMX).status_code == 404
    for path in ["add/", "check/", f"{last.pk}/edit/", f"{last.pk}/delete/"]:
        assert client.post(base(restricted_incident) + path, {}, **HTMX).status_code == 404


def test_a_step_of_another_incident_is_404(login, owner, incident, restricted_incident):
    other = chain(owner, restricted_incident, 1)
    response = login(owner).post(base(incident) + f"{other.pk}/delete/", {"version": 1}, **HTMX)
    assert response.status_code == 404


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **HTMX)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("user_fixture", ["owner", "viewer"])
def test_it_uses_a_constant_number_of_queries(request, login, owner, incident, user_fixture):
    client = login(request.getfixturevalue(user_fixture))
    last = chain(owner, incident, 3)
    services.root_cause_link(user=owner, node=last, version=version(incident), factors=[
        pm.factor_add(user=owner, incident=incident, title="F")], action_items=[])  # fmt: skip
    _queries(client, base(incident))  # warm the organisation's linter cache
    few = _queries(client, base(incident))
    few_page = _queries(client, f"/incidents/{incident.pk}/")
    services.tree_replace(user=owner, incident=incident, version=version(incident), records=[])
    chain(owner, incident, 15)
    fork = WhyNode.objects.filter(incident=incident).order_by("id")[2]
    parent = None
    for index in range(15):
        parent = services.step_add(
            user=owner, incident=incident, version=version(incident),
            parent=parent or fork, starts_branch=parent is None,
            question=f"Why b{index}?", answer=f"Branch cause {index} of the cache layer.",
        )  # fmt: skip
    assert WhyNode.objects.count() == 30
    assert _queries(client, base(incident)) == few
    assert _queries(client, f"/incidents/{incident.pk}/") == few_page


def _first_with_trigger_and_evidence(owner, incident):
    from kintsugi.core.five_whys import Evidence
    from kintsugi.core.vocabulary import EvidenceKind

    chain(owner, incident, 2)
    first = WhyNode.objects.get(parent=None)
    return services.step_update(
        user=owner, node=first, version=first.version,
        trigger="Migration 0142 run by hand",
        evidence=[Evidence(EvidenceKind.GRAPH, "https://grafana.example.com/d/db")],
    )  # fmt: skip


def test_an_edit_leaves_what_its_form_did_not_carry(login, owner, incident):
    """A trigger or evidence from an import or the API is not cleared by an edit made
    with a form (or a script) that did not send those fields."""
    first = _first_with_trigger_and_evidence(owner, incident)
    response = login(owner).post(base(incident) + f"{first.pk}/edit/", {
        "version": first.version, "question": "Why 0?", "answer": "The pool was exhausted.",
    }, **HTMX)  # fmt: skip
    assert response.status_code == 200
    first.refresh_from_db()
    assert first.answer == "The pool was exhausted."
    assert first.trigger == "Migration 0142 run by hand"
    assert first.evidence == [{"kind": "graph", "content": "https://grafana.example.com/d/db"}]


def test_the_edit_form_shows_and_saves_the_trigger_and_evidence(login, owner, incident):
    first = _first_with_trigger_and_evidence(owner, incident)
    client = login(owner)
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    form = page.split(f'data-slot="edit-{first.pk}"', 1)[1].split("</form>", 1)[0]
    assert 'name="trigger"' in form and 'value="Migration 0142 run by hand"' in form
    assert "graph: https://grafana.example.com/d/db</textarea>" in form
    shown = page.split(f'id="why-{first.pk}"', 1)[1].split('class="why-controls', 1)[0]
    assert 'href="https://grafana.example.com/d/db"' in shown
    response = client.post(base(incident) + f"{first.pk}/edit/", {
        "version": first.version, "question": "Why 0?", "answer": first.answer,
        "branch_title": "", "trigger": "Deploy 4411",
        "evidence": "log: FATAL: password authentication failed\n\nhttps://ci.example.com/r/9",
    }, **HTMX)  # fmt: skip
    assert response.status_code == 200
    first.refresh_from_db()
    assert first.trigger == "Deploy 4411"
    assert first.evidence == [
        {"kind": "log", "content": "FATAL: password authentication failed"},
        {"kind": "other", "content": "https://ci.example.com/r/9"},
    ]
    body = response.content.decode()
    assert '<q data-testid="why-evidence-quote">FATAL: password authentication failed</q>' in body
    assert 'href="https://ci.example.com/r/9"' in body
    assert "Deploy 4411" in body


def test_hostile_evidence_is_shown_as_text(login, owner, incident):
    first = _first_with_trigger_and_evidence(owner, incident)
    client = login(owner)
    hostile = 'graph: javascript:alert(1)\nlog: <script>alert(2)</script>\nother: " onmouseover="x'
    response = client.post(base(incident) + f"{first.pk}/edit/", {
        "version": first.version, "question": "Why 0?", "answer": first.answer,
        "evidence": hostile,
    }, **HTMX)  # fmt: skip
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="javascript' not in body and "<script>alert(2)" not in body
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in body
    assert '" onmouseover="x' not in body


@pytest.mark.parametrize(
    ("evidence", "words"),
    [
        ("\n".join(f"log: line {n}" for n in range(11)), "at most 10 pieces"),
        ("query:\n", "names a kind (query) but nothing after it"),
        ("log: " + "x" * 2_001, "the limit is 2,000"),
        ("x" * 25_000, "at most"),  # beyond any allowed post: the form refuses it
    ],
)
def test_bad_evidence_is_refused_and_the_text_kept(login, owner, incident, evidence, words):
    first = _first_with_trigger_and_evidence(owner, incident)
    response = login(owner).post(base(incident) + f"{first.pk}/edit/", {
        "version": first.version, "question": "Why 0?", "answer": "Kept answer.",
        "evidence": evidence,
    }, **HTMX)  # fmt: skip
    assert response.status_code == 422
    body = response.content.decode()
    assert words in body
    assert "Kept answer." in body and evidence[:40] in body
    first.refresh_from_db()
    assert first.evidence == [{"kind": "graph", "content": "https://grafana.example.com/d/db"}]


def test_it_moves_a_branch_from_its_heading(login, owner, viewer, incident):
    chain(owner, incident, 1)
    client = login(owner)
    body = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert 'data-testid="why-branch-up"' not in body  # one branch: nowhere to move
    second = services.step_add(
        user=owner, incident=incident, version=version(incident),
        question="Why was detection slow?", answer="No alert watches the pool.",
    )  # fmt: skip
    body = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert body.count('data-testid="why-branch-up"') == 1  # the second branch's
    assert body.count('data-testid="why-branch-down"') == 1  # the first's
    url = base(incident) + f"{second.pk}/branch/up/"
    assert login(viewer).post(url, {"version": version(incident)}, **HTMX).status_code == 403
    response = client.post(url, {"version": version(incident)}, **HTMX)
    assert response.status_code == 200
    section = response.content.decode()
    assert section.index("No alert watches the pool.") < section.index("Cause 0 in the pool")
    response = client.post(url, {"version": version(incident)}, **HTMX)
    assert response.status_code == 422 and "already the first branch" in response.content.decode()
    stale = client.post(base(incident) + f"{second.pk}/branch/down/", {"version": 1}, **HTMX)
    assert stale.status_code == 409


def _autofocused(body):
    """The test id of the one control that takes the keyboard focus after the swap."""
    import re

    marked = re.findall(r'data-testid="([\w-]+)"[^>]*data-autofocus', body)
    assert len(marked) == 1, marked
    return marked[0]


def test_a_moved_step_or_branch_keeps_the_keyboard_on_its_button(login, owner, incident):
    client = login(owner)
    first = WhyNode.objects.get(pk=chain(owner, incident, 3).pk).parent.parent
    down = client.post(base(incident) + f"{first.pk}/move/down/", {"version": version(incident)},
                       **HTMX).content.decode()  # fmt: skip
    assert _autofocused(down) == "why-down"  # now step 2 of 3: its own Down button
    step_two = down.split(f'id="why-{first.pk}"', 1)[1].split('<li id="why-', 1)[0]
    assert 'data-testid="why-down" data-autofocus' in step_two
    last = client.post(base(incident) + f"{first.pk}/move/down/", {"version": version(incident)},
                       **HTMX).content.decode()  # fmt: skip
    assert _autofocused(last) == "why-up"  # the last step has no Down: Up takes it
    other = services.step_add(
        user=owner, incident=incident, version=version(incident),
        question="Why was detection slow?", answer="No alert watches the pool.",
    )  # fmt: skip
    moved = client.post(base(incident) + f"{other.pk}/branch/up/", {"version": version(incident)},
                        **HTMX).content.decode()  # fmt: skip
    assert _autofocused(moved) == "why-branch-down"  # at the top now: only Down is left


def old_base(incident):
    """The section's address before issue 15, kept for bookmarks and scripts."""
    return f"/incidents/{incident.pk}/analysis/"


def _without_csrf(html: str) -> str:
    """The page without its CSRF tokens, which are masked afresh on every response."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_the_old_address_serves_the_same_section_and_links_to_the_new_one(login, owner, incident):
    chain(owner, incident, 2)
    client = login(owner)
    old = client.get(old_base(incident), **HTMX)
    new = client.get(base(incident), **HTMX)
    assert old.status_code == new.status_code == 200
    html = old.content.decode()
    assert _without_csrf(html) == _without_csrf(new.content.decode())
    assert base(incident) + "add/" in html  # its forms post to the new address
    assert old_base(incident) not in html


def test_the_old_address_still_takes_writes_and_refuses_bad_input(login, owner, incident):
    client = login(owner)
    payload = {"version": 0, "slot": "new", "question": "Why was the site down?"}
    response = client.post(old_base(incident) + "add/", {**payload, "answer": "The pool."}, **HTMX)
    assert response.status_code == 200
    assert WhyNode.objects.get().answer == "The pool."
    empty = client.post(
        old_base(incident) + "add/", {**payload, "version": 1, "answer": " "}, **HTMX
    )
    assert empty.status_code == 422 and "Why was the site down?" in empty.content.decode()
    assert WhyNode.objects.count() == 1


def test_the_old_address_hides_a_restricted_incident_and_refuses_viewers(
    login, owner, viewer, outsider, restricted_incident, incident
):
    assert login(outsider).get(old_base(restricted_incident), **HTMX).status_code == 404
    node = chain(owner, incident, 1)
    response = login(viewer).post(old_base(incident) + f"{node.pk}/delete/",
                                  {"version": version(incident)}, **HTMX)  # fmt: skip
    assert response.status_code == 403
    assert WhyNode.objects.filter(pk=node.pk).exists()


def test_a_post_without_htmx_lands_on_the_five_whys_anchor(login, owner, incident):
    payload = {"version": version(incident), "slot": "new", "question": "Why?", "answer": "Pool."}
    response = login(owner).post(base(incident) + "add/", payload)
    assert response.status_code == 302
    assert response["Location"] == f"/incidents/{incident.pk}/#five-whys"
