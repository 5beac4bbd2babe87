"""The JSON form: lossless, JSON-safe, and as strict as the Markdown import."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings

from kintsugi.core.document import ActionItemEntry, PostmortemDocument
from kintsugi.core.markdown import ProblemList, document_from_dict, document_to_dict

from .strategies import documents


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_it_round_trips_generated_documents(doc):
    data = json.loads(json.dumps(document_to_dict(doc), allow_nan=False))
    assert document_from_dict(data) == doc


def base(**changes):
    data = document_to_dict(PostmortemDocument(title="Pool", action_items=[ActionItemEntry("Fix")]))
    data.update(changes)
    return data


def fields_of(data) -> list[str | None]:
    with pytest.raises(ProblemList) as caught:
        document_from_dict(data)
    return [problem.field for problem in caught.value.problems]


def test_it_writes_times_as_utc_iso_strings():
    data = document_to_dict(
        PostmortemDocument(title="Pool", started_at=datetime(2024, 3, 1, 14, 2, tzinfo=UTC))
    )
    assert data["started_at"] == "2024-03-01T14:02:00Z"
    assert (data["format"], data["version"]) == ("kintsugi.postmortem", 1)


def test_it_normalises_text_like_the_markdown_import():
    doc = document_from_dict(base(title="  Pool  ", summary="a\r\nb\n\n"))
    assert (doc.title, doc.summary) == ("Pool", "a\nb")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": 42}, "title"),
        ({"severity": "SEV9"}, "severity"),
        ({"started_at": "2024-03-01T14:02:00"}, "started_at"),
        ({"services": "web"}, "services"),
        ({"surprise": 1}, "surprise"),
        ({"version": 2}, "format"),
        ({"id": "7"}, "id"),
        (
            {"timeline": [{"at": "2024-03-01T14:02:00Z", "kind": "exploded", "text": "x"}]},
            "timeline[0].kind",
        ),
        ({"timeline": [{"kind": "note", "text": "x"}]}, "timeline[0].at"),
        (
            {"timeline": [{"at": "2024-03-01T14:02:00Z", "kind": "note", "text": ""}]},
            "timeline[0].text",
        ),
        (
            {
                "factors": [
                    {"title": "F", "evidence": [{"kind": "graph", "url": "javascript:alert(1)"}]}
                ]
            },
            "factors[0].evidence[0].url",
        ),
        (
            {"action_items": [{"title": "Fix", "ticket_url": "javascript:alert(1)"}]},
            "action_items[0].ticket_url",
        ),
        ({"action_items": [{"title": "Fix", "addresses": 9}]}, "action_items[0].addresses"),
        (
            {"action_items": [{"title": "Fix", "status": "wont_do"}]},
            "action_items[0].status_reason",
        ),
        ({"action_items": [{"title": "Fix", "owner": "a" * 151}]}, "action_items[0].owner"),
        ({"lessons": {"went_well": ["ok", 3]}}, "lessons.went_well"),
        ({"authors": ["alice"] * 2}, "authors[1]"),
        ({"regions": ["eu"] * 201}, "regions"),
        ({"incident_version": "3"}, "incident_version"),
        ({"incident_version": 0}, "version"),
        ({"restricted": "yes"}, "restricted"),
        ({"members": "alice"}, "members"),
        ({"members": ["bob", "bob"]}, "members[1]"),
        ({"source_metadata": ["layout"]}, "source_metadata"),
        ({"source_metadata": {"weight": float("nan")}}, "source_metadata"),
    ],
)
def test_it_names_the_field_of_each_problem(changes, field):
    assert field in fields_of(base(**changes))


def test_it_refuses_a_ticket_used_twice():
    items = [{"title": "A", "ticket_id": "KIN-1"}, {"title": "B", "ticket_id": "KIN-1"}]
    assert fields_of(base(action_items=items)) == ["action_items[1].ticket_id"]


def test_it_refuses_something_that_is_not_an_object():
    assert fields_of([]) == ["", "title"]


def test_it_writes_the_incident_version_access_and_source_metadata():
    doc = PostmortemDocument(
        title="Pool",
        version=4,
        restricted=True,
        members=["carol"],
        source_metadata={"layout": "post", "tags": ["db"]},
    )
    data = document_to_dict(doc)
    assert (data["version"], data["incident_version"]) == (1, 4)  # format, incident
    assert (data["restricted"], data["members"]) == (True, ["carol"])
    assert data["source_metadata"] == {"layout": "post", "tags": ["db"]}
    assert document_from_dict(json.loads(json.dumps(data))) == doc


def test_a_file_from_before_these_fields_reads_as_unrestricted_without_metadata():
    data = base()
    for key in ("incident_version", "restricted", "members", "source_metadata"):
        del data[key]
    doc = document_from_dict(data)
    assert (doc.version, doc.restricted, doc.members, doc.source_metadata) == (None, False, [], {})
