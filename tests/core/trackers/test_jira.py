"""Jira's shapes without a network: keys, descriptions, issues read, signatures."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kintsugi.core.trackers.jira import (
    adf_description,
    adf_text,
    issue_key,
    jira_hook_ticket,
    jira_signature,
    jira_signature_ok,
    jira_ticket,
    visible_markers,
    wiki_description,
)

HOST = "acme.atlassian.net"


@pytest.mark.parametrize(
    "reference,key",
    [("OPS-12", "OPS-12"), ("ops-12", "OPS-12"), (" OPS-012 ", "OPS-12"),
     ("https://acme.atlassian.net/browse/OPS-12", "OPS-12"),
     ("https://ACME.atlassian.net/browse/OPS-12/", "OPS-12"),
     ("OTHER-12", None), ("OPS", None), ("12", None), ("OPS-", None), ("OPS-1-2", None),
     ("https://evil.test/browse/OPS-12", None), ("https://acme.atlassian.net/jira/OPS-12", None),
     ("javascript://acme.atlassian.net/browse/OPS-1", None), ("OPS-1 OR project = X", None)],
)  # fmt: skip
def test_issue_keys_stay_in_the_project_and_site(reference, key):
    assert issue_key(reference, project="OPS", host=HOST) == key


def test_a_data_center_context_path_is_part_of_the_browse_url():
    url = "https://jira.acme.test/jira/browse/OPS-4"
    assert issue_key(url, project="OPS", host="jira.acme.test", root="/jira/") == "OPS-4"
    assert issue_key(url, project="OPS", host="jira.acme.test") is None
    other = "https://jira.acme.test/other/browse/OPS-4"
    assert issue_key(other, project="OPS", host="jira.acme.test", root="/jira") is None


def test_a_description_keeps_its_paragraphs_and_links():
    body = (
        "Do it.\n\nFrom [Outage](https://k.test/incidents/2/) now.\n\n<!-- kintsugi:create:1:2 -->"
    )
    doc = adf_description(visible_markers(body))
    assert [p["type"] for p in doc["content"]] == ["paragraph"] * 3
    link = doc["content"][1]["content"][1]
    assert link == {"type": "text", "text": "Outage",
                    "marks": [{"type": "link", "attrs": {"href": "https://k.test/incidents/2/"}}]}  # fmt: skip
    assert "kintsugi-ref: create:1:2" in adf_text(doc)
    assert wiki_description(body).count("[Outage|https://k.test/incidents/2/]") == 1


def test_a_javascript_link_stays_text():
    doc = adf_description("[x](javascript:alert(1))")
    assert "marks" not in doc["content"][0]["content"][0]


def _issue(**fields):
    base = {"summary": "Fix", "status": {"statusCategory": {"key": "new"}}}
    return {"key": "OPS-3", "fields": {**base, **fields}}


def test_an_issue_reads_into_a_ticket():
    done = {"statusCategory": {"key": "done"}}
    ticket = jira_ticket(
        _issue(status=done, resolution={"name": "Won't Do"}, duedate="2027-01-15",
               resolutiondate="2026-12-07T10:00:00.000+0000",
               assignee={"accountId": "abc", "emailAddress": "b@x.test"}),
        browse="https://acme.atlassian.net/",
    )  # fmt: skip
    assert ticket is not None
    assert (ticket.key, ticket.url) == ("OPS-3", "https://acme.atlassian.net/browse/OPS-3")
    assert ticket.closed and ticket.not_planned and ticket.due_on == date(2027, 1, 15)
    assert (ticket.assignee, ticket.assignee_email) == ("abc", "b@x.test")
    assert ticket.closed_at.startswith("2026-12-07")
    dc = jira_ticket(_issue(assignee={"name": "bob"}), browse="https://j.test", cloud=False)
    assert dc is not None and dc.assignee == "bob" and not dc.closed


def test_a_webhook_names_who_closed_it_only_when_the_status_moved():
    payload = {"webhookEvent": "jira:issue_updated", "user": {"displayName": "Jo"},
               "issue": _issue(status={"statusCategory": {"key": "done"}}),
               "changelog": {"items": [{"field": "status"}]}}  # fmt: skip
    ticket = jira_hook_ticket(payload, browse="https://j.test", cloud=True)
    assert ticket is not None and ticket.closed_by == "Jo"
    payload["changelog"] = {"items": [{"field": "summary"}]}
    ticket = jira_hook_ticket(payload, browse="https://j.test", cloud=True)
    assert ticket is not None and ticket.closed_by == ""
    assert (
        jira_hook_ticket({**payload, "webhookEvent": "comment_created"}, browse="", cloud=True)
        is None
    )


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.sampled_from(["key", "fields", "status", "summary",
                                                       "statusCategory", "assignee", "labels",
                                                       "issue", "webhookEvent", "changelog",
                                                       "items", "content", "text"]),
                                      inner, max_size=4), max_leaves=20))  # fmt: skip
def test_no_payload_crashes_the_readers(payload):
    jira_ticket(payload, browse="https://j.test")
    jira_hook_ticket(payload, browse="https://j.test", cloud=False)
    adf_text(payload)


def test_the_signature_covers_the_body_and_needs_a_secret():
    body = b'{"webhookEvent": "jira:issue_updated"}'
    good = jira_signature(body, "s3cret")
    assert good.startswith("sha256=") and len(good) == 7 + 64
    assert jira_signature_ok(body, good, "s3cret")
    assert not jira_signature_ok(body + b" ", good, "s3cret")
    assert not jira_signature_ok(body, good, "other")
    assert not jira_signature_ok(body, jira_signature(body, "no secret set"), "")
    assert not jira_signature_ok(body, good.removeprefix("sha256="), "s3cret")


def test_who_closed_it_comes_from_the_last_status_change():
    done = {"statusCategory": {"key": "done"}}
    histories = [
        {"created": "2026-12-01T10:00:00.000+0000", "author": {"displayName": "Ann"},
         "items": [{"field": "status"}]},
        {"created": "2026-12-03T10:00:00.000+0000", "author": {"displayName": "Sam"},
         "items": [{"field": "summary"}]},
        {"created": "2026-12-02T10:00:00.000+0000", "author": {"name": "jo"},
         "items": [{"field": "status"}]},
    ]  # fmt: skip
    issue = {**_issue(status=done), "changelog": {"histories": histories}}
    ticket = jira_ticket(issue, browse="https://j.test")
    assert ticket is not None and ticket.closed_by == "jo"
    still_open = {**_issue(), "changelog": {"histories": histories}}
    assert jira_ticket(still_open, browse="https://j.test").closed_by == ""  # type: ignore[union-attr]
