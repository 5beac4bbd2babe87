"""PATCH of a 5 Whys step: one use case, one transaction, checked against the client's
versions; a field left out is unchanged; an unknown id is refused by name (issue 14.8)."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kintsugi.accounts.models import ApiToken
from kintsugi.five_whys.selectors import analysis_view
from kintsugi.postmortems import services
from tests.api.conftest import T0, error_of
from tests.api.test_five_whys import CHAIN, node, put


def _another(owner, team, service, title):
    return services.incident_create(user=owner, title=title, started_at=T0, team=team,
                                    services=[service])  # fmt: skip


def tree(api, user, incident):
    return api.get(f"/incidents/{incident.pk}/five-whys", user=user).json()


@pytest.fixture
def linked(api, owner, incident):
    """A three-step chain whose last step is the root cause, linked to one factor and one
    action item, with evidence and a trigger on the first step."""
    factor = services.factor_add(user=owner, incident=incident, title="Expired credentials")
    item = services.action_item_add(user=owner, incident=incident, title="Alert on expiry")
    nodes = [
        {**CHAIN[0], "trigger": "A deploy at 14:00", "evidence": [
            {"kind": "graph", "content": "https://grafana.example/d/pool"}]},
        CHAIN[1],
        {**CHAIN[2], "is_root_cause": True, "factor_ids": [factor.pk],
         "action_item_ids": [item.pk]},
    ]  # fmt: skip
    assert put(api, owner, incident, nodes).status_code == 200
    body = tree(api, owner, incident)
    return {"factor": factor, "item": item, "tree": body, "nodes": body["nodes"]}


def _path(step):
    return f"/five-whys/nodes/{step['id']}"


def test_it_keeps_the_factors_when_a_patch_names_only_the_action_items(
    api, owner, incident, linked
):
    cause = linked["nodes"][2]
    other = services.action_item_add(user=owner, incident=incident, title="Rotate sooner")
    response = api.patch(_path(cause), user=owner, json={
        "tree_version": linked["tree"]["version"], "action_item_ids": [other.pk]})  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["factor_ids"] == [linked["factor"].pk]
    assert response.json()["action_item_ids"] == [other.pk]


def test_it_keeps_the_action_items_when_a_patch_names_only_the_factors(
    api, owner, incident, linked
):
    cause = linked["nodes"][2]
    response = api.patch(_path(cause), user=owner, json={
        "tree_version": linked["tree"]["version"], "factor_ids": []})  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["factor_ids"] == []  # an explicit empty list clears
    assert response.json()["action_item_ids"] == [linked["item"].pk]


def test_a_text_patch_leaves_everything_it_does_not_name(api, owner, incident, linked):
    first, _, cause = linked["nodes"]
    response = api.patch(_path(first), user=owner,
                         json={"version": first["version"], "answer": "The pool ran dry."})  # fmt: skip
    assert response.status_code == 200, response.content
    after = {n["id"]: n for n in tree(api, owner, incident)["nodes"]}
    assert after[first["id"]]["answer"] == "The pool ran dry."
    for key in ("question", "trigger", "evidence", "parent", "position", "starts_branch"):
        assert after[first["id"]][key] == first[key], key
    assert after[cause["id"]]["factor_ids"] == [linked["factor"].pk]
    assert after[cause["id"]]["is_root_cause"] is True


def test_a_stale_tree_version_is_a_409_and_nothing_changes(api, owner, incident, linked):
    """Before: the text was saved first, then the structural part ran against the version
    the text edit had just produced, so the stale tree_version was never checked."""
    first = linked["nodes"][0]
    stale = linked["tree"]["version"] - 1
    response = api.patch(_path(first), user=owner, json={
        "version": first["version"], "tree_version": stale,
        "answer": "Overwritten?", "move_branch": "down",
    })  # fmt: skip
    assert response.status_code == 409, response.content
    error = error_of(response)
    assert error["current"]["version"] == linked["tree"]["version"]
    assert tree(api, owner, incident) == linked["tree"]


def test_a_stale_step_version_with_a_structural_change_is_a_409_and_nothing_changes(
    api, owner, incident, linked
):
    cause = linked["nodes"][2]
    response = api.patch(_path(cause), user=owner, json={
        "version": cause["version"] + 5, "tree_version": linked["tree"]["version"],
        "answer": "Lost?", "factor_ids": [],
    })  # fmt: skip
    assert response.status_code == 409, response.content
    assert tree(api, owner, incident) == linked["tree"]


@pytest.mark.parametrize(
    ("field", "message"),
    [("factor_ids", "no factor with id 999999"),
     ("action_item_ids", "no action item with id 999999")],
)  # fmt: skip
def test_an_unknown_link_id_is_a_422_naming_it_and_nothing_changes(
    api, owner, incident, linked, field, message
):
    """Before: unknown ids were silently dropped (and the other list wiped)."""
    cause = linked["nodes"][2]
    response = api.patch(_path(cause), user=owner, json={
        "version": cause["version"], "tree_version": linked["tree"]["version"],
        "answer": "Changed with a bad link.",
        field: [linked["factor" if field == "factor_ids" else "item"].pk, 999999],
    })  # fmt: skip
    assert response.status_code == 422, response.content
    error = error_of(response)
    assert message in error["message"].lower()
    assert field in error["fields"]
    assert tree(api, owner, incident) == linked["tree"]


def test_a_link_to_another_incidents_row_is_a_422(api, owner, incident, linked, team, service):
    elsewhere = _another(owner, team, service, "Other")
    foreign = services.factor_add(user=owner, incident=elsewhere, title="Not ours")
    response = api.patch(_path(linked["nodes"][2]), user=owner, json={
        "tree_version": linked["tree"]["version"], "factor_ids": [foreign.pk]})  # fmt: skip
    assert response.status_code == 422
    assert f"id {foreign.pk}" in error_of(response)["message"]
    assert tree(api, owner, incident) == linked["tree"]


def test_an_unknown_parent_id_is_a_422_naming_it(api, owner, incident, linked):
    response = api.patch(_path(linked["nodes"][2]), user=owner,
                         json={"tree_version": linked["tree"]["version"], "parent": 999999})  # fmt: skip
    assert response.status_code == 422, response.content
    assert "999999" in error_of(response)["message"]
    assert tree(api, owner, incident) == linked["tree"]
    added = api.post(f"/incidents/{incident.pk}/five-whys/nodes", user=owner, json={
        "version": linked["tree"]["version"], "parent": 999999,
        "question": "Why?", "answer": "Something.",
    })  # fmt: skip
    assert added.status_code == 422 and "999999" in error_of(added)["message"]
    assert tree(api, owner, incident) == linked["tree"]


def test_an_unknown_step_in_the_path_is_a_404(api, owner, incident, linked):
    response = api.patch("/five-whys/nodes/999999", user=owner, json={"tree_version": 1})
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_an_unknown_evidence_kind_is_a_422_naming_it(api, owner, incident, linked):
    first = linked["nodes"][0]
    response = api.patch(_path(first), user=owner, json={
        "version": first["version"], "evidence": [{"kind": "hunch", "content": "x"}]})  # fmt: skip
    assert response.status_code == 422
    assert "'hunch'" in error_of(response)["message"]
    assert tree(api, owner, incident) == linked["tree"]


def test_evidence_kinds_are_read_as_the_markdown_importer_reads_them(api, owner, incident, linked):
    """One reader of the kinds (the core's): its words on a bad one, its spellings on a good
    one, so a kind the importer takes from a file is taken from a script too."""
    first = linked["nodes"][0]
    refused = api.patch(_path(first), user=owner, json={
        "version": first["version"], "evidence": [{"kind": "<b>hunch</b>", "content": "x"}]})  # fmt: skip
    assert error_of(refused)["fields"] == {"evidence": [
        "Unknown evidence kind '<b>hunch</b>'; use one of: graph, query, trace, log, dashboard, "
        "other."]}  # fmt: skip
    response = api.patch(_path(first), user=owner, json={
        "version": first["version"], "evidence": [{"kind": " Dashboard ", "content": "d/1"}]})  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["evidence"] == [{"kind": "dashboard", "content": "d/1"}]


def test_a_put_with_an_unknown_link_id_is_a_422_and_nothing_changes(api, owner, incident, linked):
    before = tree(api, owner, incident)
    nodes = [node("a", action_item_ids=[999999])]
    response = put(api, owner, incident, nodes, version=before["version"])
    assert response.status_code == 422
    assert "999999" in error_of(response)["message"]
    assert tree(api, owner, incident) == before


def test_one_patch_is_one_version(api, owner, incident, linked):
    first, _, cause = linked["nodes"]
    version = linked["tree"]["version"]
    response = api.patch(_path(cause), user=owner, json={
        "tree_version": version, "is_root_cause": True, "factor_ids": [],
        "action_item_ids": [linked["item"].pk]})  # fmt: skip
    assert response.status_code == 200, response.content
    assert tree(api, owner, incident)["version"] == version + 1


def _patch_queries(api, owner, incident, steps):
    nodes = [node(i, i - 1 if i else None, answer=f"Cause number {i}.") for i in range(steps)]
    assert put(api, owner, incident, nodes).status_code == 200
    view = analysis_view(incident=incident)
    last = view.nodes[-1]
    payload = {
        "version": last.version, "tree_version": view.version, "answer": "Edited cause.",
        "is_root_cause": True, "factor_ids": [], "action_item_ids": [],
    }  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        response = api.patch(f"/five-whys/nodes/{last.pk}", user=owner, json=payload)
    assert response.status_code == 200, response.content
    return len(queries)


def test_a_patch_costs_the_same_queries_whatever_the_size_of_the_tree(
    api, owner, incident, team, service
):
    small = _patch_queries(api, owner, incident, 3)
    bigger = _another(owner, team, service, "Bigger")
    large = _patch_queries(api, owner, bigger, 12)
    assert small == large, (small, large)
    assert small <= 60, small


def _call(url, raw, method, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method=method)
    request.add_header("Authorization", f"Bearer {raw}")
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.django_db(transaction=True)
def test_two_clients_with_the_same_version_over_http_one_wins_one_gets_409(
    live_server, owner, teammate, incident
):
    from django.db import connection

    if connection.vendor != "postgresql":
        # The in-memory SQLite test database shares one cache between threads, which
        # answers "table is locked" at once instead of waiting as a file database does.
        pytest.skip("concurrent writers over HTTP need PostgreSQL (make test-postgres)")
    from kintsugi.five_whys import services as analysis

    first = analysis.step_add(user=owner, incident=incident, version=0,
                              question="Why down?", answer="The pool was exhausted.")  # fmt: skip
    second = analysis.step_add(user=owner, incident=incident, version=1,
                               question="Why slow?", answer="No alert on the pool.")  # fmt: skip
    version = analysis_view(incident=incident).version
    tokens = [ApiToken.issue(user=user, name="race")[1] for user in (owner, teammate)]
    base = f"{live_server.url}/api/v1/five-whys/nodes"
    requests = [
        (tokens[0], f"{base}/{second.pk}", {"tree_version": version, "move_branch": "up",
                                            "answer": "Edited by one.", "version": 1}),
        (tokens[1], f"{base}/{first.pk}", {"tree_version": version, "move_branch": "down",
                                           "answer": "Edited by two.", "version": 1}),
    ]  # fmt: skip
    start = threading.Barrier(len(requests))
    results: list[tuple[int, dict]] = [(0, {})] * len(requests)

    def run(index: int) -> None:
        raw, url, body = requests[index]
        start.wait()
        results[index] = _call(url, raw, "PATCH", body)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    statuses = sorted(status for status, _ in results)
    assert statuses == [200, 409], results
    loser = next(body for status, body in results if status == 409)
    assert loser["error"]["code"] == "conflict"
    after = analysis_view(incident=incident)
    assert after.version == version + 1
    answers = {n.answer for n in after.nodes}
    assert len(answers & {"Edited by one.", "Edited by two."}) == 1  # the loser wrote nothing
