"""The 5 Whys API: the whole tree, single steps, the checks; access, bad input, conflicts."""

from __future__ import annotations

import pytest

from kintsugi.core.five_whys import MAX_PATH_DEPTH
from kintsugi.postmortems import services
from tests.api.conftest import assert_refused_anonymous, error_of


def node(id, parent=None, question="Why did it fail?", answer="The pool was exhausted.", **kw):
    return {"id": id, "parent": parent, "question": question, "answer": answer, **kw}


CHAIN = [
    node("a", question="Why was the site down?", answer="The pool was exhausted."),
    node("b", "a", "Why was the pool exhausted?", "A migration locked the users table."),
    node("c", "b", "Why did it lock the table?", "No lock_timeout is set on migrations."),
]


def put(api, user, incident, nodes, version=0):
    return api.call(
        "put", f"/incidents/{incident.pk}/five-whys", user=user,
        json={"version": version, "nodes": nodes},
    )  # fmt: skip


def test_it_refuses_anonymous_callers(api, incident):
    for method, path in [
        ("get", f"/incidents/{incident.pk}/five-whys"),
        ("get", f"/incidents/{incident.pk}/five-whys/checks"),
        ("post", f"/incidents/{incident.pk}/five-whys/nodes"),
        ("patch", "/five-whys/nodes/1"),
        ("delete", "/five-whys/nodes/1"),
    ]:
        assert_refused_anonymous(api, method, path)


def test_it_replaces_and_reads_the_tree(api, owner, incident):
    response = put(api, owner, incident, CHAIN)
    assert response.status_code == 200, response.content
    body = api.get(f"/incidents/{incident.pk}/five-whys", user=owner).json()
    assert body["version"] == 1
    assert [n["answer"] for n in body["nodes"]][0] == "The pool was exhausted."
    assert body["nodes"][0]["suggested_question"] == "Why was the pool exhausted?"


def test_it_gives_the_viewer_the_tree_but_refuses_writes(api, owner, viewer, incident):
    put(api, owner, incident, CHAIN)
    assert api.get(f"/incidents/{incident.pk}/five-whys", user=viewer).status_code == 200
    response = put(api, viewer, incident, CHAIN, version=1)
    assert response.status_code == 403
    assert error_of(response)["code"]
    first = api.get(f"/incidents/{incident.pk}/five-whys", user=owner).json()["nodes"][0]
    assert api.patch(f"/five-whys/nodes/{first['id']}", user=viewer,
                     json={"answer": "x", "version": 1}).status_code == 403  # fmt: skip


def test_it_hides_a_restricted_incident_from_outsiders(api, owner, outsider, restricted_incident):
    put(api, owner, restricted_incident, CHAIN)
    first = api.get(f"/incidents/{restricted_incident.pk}/five-whys", user=owner).json()["nodes"][0]
    for method, path in [
        ("get", f"/incidents/{restricted_incident.pk}/five-whys"),
        ("get", f"/incidents/{restricted_incident.pk}/five-whys/checks"),
        ("patch", f"/five-whys/nodes/{first['id']}"),
        ("delete", f"/five-whys/nodes/{first['id']}"),
    ]:
        response = api.call(method, path, user=outsider, json={"answer": "x", "version": 1})
        assert response.status_code == 404, (method, path)
    assert put(api, outsider, restricted_incident, CHAIN, version=1).status_code == 404


def test_it_refuses_a_cycle(api, owner, incident):
    nodes = [node("a"), node("b", "c"), node("c", "b")]
    response = put(api, owner, incident, nodes)
    assert response.status_code == 422
    assert "cycle" in error_of(response)["message"]


def test_it_refuses_a_cycle_made_by_moving_a_step(api, owner, incident):
    put(api, owner, incident, CHAIN)
    nodes = api.get(f"/incidents/{incident.pk}/five-whys", user=owner).json()["nodes"]
    response = api.patch(f"/five-whys/nodes/{nodes[0]['id']}", user=owner,
                         json={"parent": nodes[2]["id"], "tree_version": 1})  # fmt: skip
    assert response.status_code == 422
    assert "cycle" in error_of(response)["message"]


def test_it_refuses_a_tree_too_deep(api, owner, incident):
    nodes = [node(n, n - 1 if n else None, answer=f"Cause {n}.") for n in range(MAX_PATH_DEPTH + 1)]
    response = put(api, owner, incident, nodes)
    assert response.status_code == 422
    assert "deep" in error_of(response)["message"]


@pytest.mark.parametrize("answer", ["", "   ", "\n\t "])
def test_it_refuses_empty_and_whitespace_only_steps(api, owner, incident, answer):
    response = put(api, owner, incident, [node("a", answer=answer)])
    assert response.status_code == 422
    assert "answer is empty" in error_of(response)["message"]
    response = api.post(f"/incidents/{incident.pk}/five-whys/nodes", user=owner,
                        json={"version": 0, "question": "Why?", "answer": answer})  # fmt: skip
    assert response.status_code == 422


def test_it_refuses_a_stale_version_with_the_current_tree(api, owner, incident):
    put(api, owner, incident, CHAIN)
    response = put(api, owner, incident, CHAIN[:1], version=0)
    assert response.status_code == 409
    error = error_of(response)
    assert error["current"]["version"] == 1 and len(error["current"]["nodes"]) == 3


def test_it_refuses_a_stale_step_version(api, owner, incident):
    put(api, owner, incident, CHAIN)
    first = api.get(f"/incidents/{incident.pk}/five-whys", user=owner).json()["nodes"][0]
    path = f"/five-whys/nodes/{first['id']}"
    ok = api.patch(path, user=owner, json={"answer": "The pool ran dry.", "version": 1})
    assert ok.status_code == 200 and ok.json()["version"] == 2
    assert api.patch(path, user=owner, json={"answer": "Lost?", "version": 1}).status_code == 409


def test_it_adds_steps_and_branches_and_marks_and_links_a_root_cause(api, owner, incident):
    factor = services.factor_add(user=owner, incident=incident, title="Expired credentials")
    item = services.action_item_add(user=owner, incident=incident, title="Alert on expiry")
    base = f"/incidents/{incident.pk}/five-whys"
    first = api.post(f"{base}/nodes", user=owner, json={
        "version": 0, "question": "Why was the site down?", "answer": "The pool was exhausted."
    }).json()  # fmt: skip
    second = api.post(f"{base}/nodes", user=owner, json={
        "version": 1, "parent": first["id"], "question": first["suggested_question"],
        "answer": "The runner credentials expired with no monitoring alert.",
    }).json()  # fmt: skip
    fork = api.post(f"{base}/nodes", user=owner, json={
        "version": 2, "parent": first["id"], "starts_branch": True,
        "question": "Why was the pool so small?", "answer": "The pool size is a fixed default.",
    })  # fmt: skip
    assert fork.status_code == 201
    linked = api.patch(f"/five-whys/nodes/{second['id']}", user=owner, json={
        "tree_version": 3, "is_root_cause": True,
        "factor_ids": [factor.pk], "action_item_ids": [item.pk],
    })  # fmt: skip
    assert linked.status_code == 200, linked.content
    assert linked.json()["factor_ids"] == [factor.pk]
    checks = api.get(f"{base}/checks", user=owner).json()["findings"]
    assert all(f["severity"] != "error" for f in checks)
    # One request, one version: the PATCH above took the tree from 3 to 4.
    assert api.delete(f"/five-whys/nodes/{second['id']}?version=4", user=owner).status_code == 204


def test_it_reports_a_chain_that_ends_on_a_person(api, owner, incident):
    nodes = [*CHAIN[:2], node("c", "b", "Why?", "An engineer ran the script manually.")]
    put(api, owner, incident, nodes)
    findings = api.get(f"/incidents/{incident.pk}/five-whys/checks", user=owner).json()["findings"]
    person = [f for f in findings if f["rule"] == "whys/ends-on-person"]
    assert person and person[0]["step"] == 3 and person[0]["node_id"]


def test_it_moves_a_branch_and_refuses_a_move_with_nowhere_to_go(api, owner, incident):
    two = [*CHAIN, node("d", question="Why was detection slow?", answer="No alert on the pool.")]
    put(api, owner, incident, two)
    nodes = api.get(f"/incidents/{incident.pk}/five-whys", user=owner).json()["nodes"]
    second = next(n for n in nodes if n["answer"] == "No alert on the pool.")
    response = api.patch(f"/five-whys/nodes/{second['id']}", user=owner,
                         json={"move_branch": "up", "tree_version": 1})  # fmt: skip
    assert response.status_code == 200, response.content
    tree = api.get(f"/incidents/{incident.pk}/five-whys", user=owner).json()
    tops = [n["answer"] for n in tree["nodes"] if n["parent"] is None]
    assert tops == ["No alert on the pool.", "The pool was exhausted."]
    again = api.patch(f"/five-whys/nodes/{second['id']}", user=owner,
                      json={"move_branch": "up", "tree_version": tree["version"]})  # fmt: skip
    assert again.status_code == 422
    assert "already the first branch" in error_of(again)["message"]
    missing = api.patch(f"/five-whys/nodes/{second['id']}", user=owner, json={"move_branch": "up"})
    assert missing.status_code == 422 and "tree_version" in error_of(missing)["message"]


# The old paths (/analysis..., before issue 15): the same handlers, deprecated in the schema.
OLD_AND_NEW = [
    ("get", "/incidents/{id}/analysis", "get_analysis", "/incidents/{id}/five-whys", "get_five_whys"),
    ("put", "/incidents/{id}/analysis", "put_analysis", "/incidents/{id}/five-whys", "put_five_whys"),
    ("post", "/incidents/{id}/analysis/nodes", "add_node",
     "/incidents/{id}/five-whys/nodes", "add_five_whys_node"),
    ("patch", "/analysis/nodes/{id}", "update_node", "/five-whys/nodes/{id}", "update_five_whys_node"),
    ("delete", "/analysis/nodes/{id}", "delete_node", "/five-whys/nodes/{id}", "delete_five_whys_node"),
    ("get", "/incidents/{id}/analysis/checks", "get_checks",
     "/incidents/{id}/five-whys/checks", "get_five_whys_checks"),
]  # fmt: skip


def _schema_path(path: str) -> str:
    name = "{incident_id}" if path.startswith("/incidents/") else "{node_id}"
    return "/api/v1" + path.replace("{id}", name)


def test_the_schema_marks_the_old_paths_deprecated_under_their_old_operation_ids(api, owner):
    paths = api.get("/openapi.json", user=owner).json()["paths"]
    for method, old, old_id, new, new_id in OLD_AND_NEW:
        old_op, new_op = (paths[_schema_path(path)][method] for path in (old, new))
        assert (old_op["operationId"], old_op.get("deprecated")) == (old_id, True)
        assert (new_op["operationId"], new_op.get("deprecated", False)) == (new_id, False)
        assert old_op["responses"] == new_op["responses"]
        assert old_op.get("requestBody") == new_op.get("requestBody")


def test_the_old_paths_still_read_and_write_the_same_tree(api, owner, incident):
    old = f"/incidents/{incident.pk}/analysis"
    assert put(api, owner, incident, CHAIN).status_code == 200
    assert (
        api.get(old, user=owner).json()
        == api.get(f"/incidents/{incident.pk}/five-whys", user=owner).json()
    )
    added = api.post(f"{old}/nodes", user=owner, json={
        "version": 1, "parent": None, "question": "Why was detection slow?",
        "answer": "No alert on the pool.",
    })  # fmt: skip
    assert added.status_code == 201, added.content
    edited = api.patch(f"/analysis/nodes/{added.json()['id']}", user=owner,
                       json={"answer": "No alert on the pool size.", "version": 1})  # fmt: skip
    assert edited.status_code == 200 and edited.json()["answer"] == "No alert on the pool size."
    assert (
        api.get(f"{old}/checks", user=owner).json()
        == api.get(f"/incidents/{incident.pk}/five-whys/checks", user=owner).json()
    )
    tree = api.get(f"/incidents/{incident.pk}/five-whys", user=owner).json()
    gone = api.delete(f"/analysis/nodes/{added.json()['id']}?version={tree['version']}", user=owner)
    assert gone.status_code == 204
    assert len(api.get(f"/incidents/{incident.pk}/five-whys", user=owner).json()["nodes"]) == 3


def test_the_old_paths_refuse_anonymous_callers_and_bad_input_alike(api, owner, incident):
    for method, path in [
        ("get", f"/incidents/{incident.pk}/analysis"),
        ("post", f"/incidents/{incident.pk}/analysis/nodes"),
        ("patch", "/analysis/nodes/1"),
    ]:
        assert_refused_anonymous(api, method, path)
    bad = {"version": 0, "nodes": [node("a", "missing")]}
    old = api.call("put", f"/incidents/{incident.pk}/analysis", user=owner, json=bad)
    new = api.call("put", f"/incidents/{incident.pk}/five-whys", user=owner, json=bad)
    assert old.status_code == new.status_code == 422
    assert error_of(old) == error_of(new)
