"""The review workflow, comments and audit log over the API (tokens, as scripts call it)."""

from __future__ import annotations

import pytest

from kintsugi.reviews.models import Thread
from tests.api.conftest import XSS
from tests.reviews.conftest import carol, complete  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_it_runs_the_workflow(api, complete, owner, teammate):  # noqa: F811
    base = f"/incidents/{complete.pk}/review"
    review = api.get(base, user=owner)
    assert review.status_code == 200
    body = review.json()
    assert body["status"] == "draft" and body["approvals_needed"] == 1
    assert body["checklist"]["passed"] is True
    assert [c["key"] for c in body["checklist"]["checks"]] == [
        "template", "blameless", "whys", "root_causes", "action_items"
    ]  # fmt: skip

    asked = api.post(f"{base}/requests", user=owner, json={"reviewers": ["bob"]})
    assert asked.status_code == 201, asked.json()
    assert asked.json()["reviewers"][0]["username"] == "bob"
    decided = api.post(f"{base}/decision", user=teammate, json={"decision": "approved"})
    assert decided.json()["status"] == "approved"
    published = api.post(f"{base}/publish", user=owner)
    assert published.status_code == 200 and published.json()["status"] == "published"
    audit = api.get(f"/incidents/{complete.pk}/audit", user=owner).json()
    assert [e["action"] for e in audit[:3]] == ["publish", "review_decision", "review_request"]
    back = api.post(f"{base}/send-back", user=owner, json={"reason": "Wrong date."})
    assert back.json()["status"] == "draft"


def test_it_waives_and_withdraws(api, incident, owner):
    base = f"/incidents/{incident.pk}/review"
    problems = api.get(base, user=owner).json()["checklist"]["checks"][0]["problems"]
    key = problems[0]["key"]
    waived = api.post(f"{base}/waivers", user=owner, json={"problem": key, "reason": "Later."})
    assert waived.status_code == 201
    check = waived.json()["checklist"]["checks"][0]
    (entry,) = check["waived"]
    assert entry["key"] == key and entry["reason"] == "Later." and entry["waived_by"] == "alice"
    gone = api.delete(f"{base}/waivers/{entry['waiver_id']}", user=owner)
    assert gone.status_code == 204
    assert api.delete(f"{base}/waivers/{entry['waiver_id']}", user=owner).status_code == 404


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("review/requests", {"reviewers": ["nobody"]}, "reviewers"),
        ("review/requests", {"reviewers": ["x" * 151]}, "reviewers.0"),
        ("review/requests", {"reviewers": [f"u{i}" for i in range(51)]}, "reviewers"),
        ("review/requests", {"reviewers": "bob"}, "reviewers"),
        ("review/requests", {"reviewers": ["bob"], "extra": 1}, "extra"),
        ("review/decision", {"decision": "maybe"}, "decision"),
        ("review/send-back", {"reason": "x" * 2001}, "reason"),
        ("review/send-back", {"reason": "  "}, "reason"),
        ("review/waivers", {"problem": "nope", "reason": "x"}, "problem"),
        ("threads", {"anchor": "section:nope", "text": "x"}, "anchor"),
        ("threads", {"anchor": "section:timeline", "text": "x" * 10_001}, "text"),
        ("threads", {"anchor": "section:timeline", "text": ""}, "text"),
    ],
)
def test_it_refuses_bad_bodies_naming_the_field(api, incident, owner, teammate, path, payload,
                                                field):  # fmt: skip
    response = api.post(f"/incidents/{incident.pk}/{path}", user=owner, json=payload)
    assert response.status_code == 422, response.json()
    assert field in response.json()["error"]["fields"], response.json()


def test_malformed_json_is_a_clear_400(api, incident, owner):
    response = api.post(f"/incidents/{incident.pk}/threads", user=owner, body="{not json")
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["error"]["message"]


def test_comments_round_trip_unescaped_as_data_and_resolve(api, incident, owner, viewer):
    started = api.post(
        f"/incidents/{incident.pk}/threads",
        user=viewer,
        json={"anchor": "field:impact", "text": XSS + " human error @alice"},
    )
    assert started.status_code == 201, started.json()
    thread = started.json()
    assert thread["comments"][0]["text"].startswith(XSS)  # JSON carries the text as written
    assert any(f["rule"].startswith("blame/") for f in thread["comments"][0]["findings"])
    reply = api.post(f"/threads/{thread['id']}/comments", user=owner, json={"text": "Fixed."})
    assert [c["author"] for c in reply.json()["comments"]] == ["victor", "alice"]
    resolved = api.patch(f"/threads/{thread['id']}", user=owner, json={"resolved": True})
    assert resolved.json()["resolved"] is True and resolved.json()["resolved_by"] == "alice"
    closed = api.post(f"/threads/{thread['id']}/comments", user=owner, json={"text": "more"})
    assert closed.status_code == 422


def test_restricted_threads_reviews_and_audit_are_invisible_to_outsiders(
    api, restricted_incident, owner, outsider
):
    started = api.post(
        f"/incidents/{restricted_incident.pk}/threads",
        user=owner,
        json={"anchor": "section:timeline", "text": "the secret token"},
    ).json()
    for method, path, payload in [
        ("get", f"/incidents/{restricted_incident.pk}/threads", None),
        ("get", f"/incidents/{restricted_incident.pk}/review", None),
        ("get", f"/incidents/{restricted_incident.pk}/audit", None),
        ("post", f"/threads/{started['id']}/comments", {"text": "hi"}),
        ("post", f"/threads/{started['id']}/comments", {"bad": 1}),  # malformed: still 404
        ("patch", f"/threads/{started['id']}", {"resolved": True}),
        ("post", f"/incidents/{restricted_incident.pk}/threads", {"anchor": 1}),
    ]:
        response = api.call(method, path, user=outsider, json=payload)
        assert response.status_code == 404, (path, response.json())
        assert b"secret" not in response.content
    assert Thread.objects.get().comments.count() == 1


def test_team_leads_set_the_approvals_needed(api, owner, teammate, team, complete, carol):  # noqa: F811
    assert api.call("put", "/review-settings/platform", user=teammate,
                    json={"approvals_needed": 2}).status_code == 403  # fmt: skip
    for bad in (0, 11, "two", None):
        response = api.call("put", "/review-settings/platform", user=owner,
                            json={"approvals_needed": bad})  # fmt: skip
        assert response.status_code == 422
    assert api.call("put", "/review-settings/none", user=owner,
                    json={"approvals_needed": 2}).status_code == 404  # fmt: skip
    done = api.call("put", "/review-settings/platform", user=owner, json={"approvals_needed": 2})
    assert done.json() == {"team": "platform", "approvals_needed": 2}
    api.post(f"/incidents/{complete.pk}/review/requests", user=owner, json={"teams": ["platform"]})
    after = api.post(
        f"/incidents/{complete.pk}/review/decision", user=teammate, json={"decision": "approved"}
    ).json()
    assert (after["status"], after["approvals"], after["approvals_needed"]) == ("in_review", 1, 2)
