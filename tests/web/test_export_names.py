"""HTML and PDF exports show names where the document carries slugs and usernames (issue 14,
item 12); Markdown and JSON keep the identifiers import resolves."""

from __future__ import annotations

import json

import pytest

from kintsugi.documents.assembly import display_names, document_from_incident
from kintsugi.postmortems import services


@pytest.fixture
def named(incident, owner, teammate, team, service):
    team.name = "Platform Engineering"
    team.save()
    service.name = "Web storefront"
    service.save()
    services.action_item_add(user=owner, incident=incident, title="Add an alert", owner=teammate)
    return incident


def test_the_html_page_shows_names_not_slugs_or_usernames(login, viewer, named):
    body = login(viewer).get(f"/incidents/{named.pk}/export.html").content.decode()
    assert "<dt>Team</dt><dd>Platform Engineering</dd>" in body
    assert "<dt>Services</dt><dd>Web storefront</dd>" in body
    assert "<dt>Authors</dt><dd>Alice Ng</dd>" in body
    assert "<td>Bob Diaz</td>" in body
    for identifier in (">platform<", ">web<", ">alice<", ">bob<"):
        assert identifier not in body


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_markdown_and_json_keep_the_identifiers(login, viewer, named, fmt):
    body = login(viewer).get(f"/incidents/{named.pk}/export.{fmt}").content.decode()
    if fmt == "json":
        data = json.loads(body)
        assert (data["team"], data["services"], data["authors"]) == ("platform", ["web"], ["alice"])
    else:
        assert "platform" in body and "Platform Engineering" not in body
        assert "Alice Ng" not in body and "Bob Diaz" not in body


def test_a_name_typed_by_hand_stays_as_written(owner, named, django_assert_max_num_queries):
    services.action_item_add(user=owner, incident=named, title="Review", owner_name="Dana (SRE)")
    document = document_from_incident(user=owner, pk=named.pk)
    with django_assert_max_num_queries(3):
        names = display_names(document)
    assert names.people == {"alice": "Alice Ng", "bob": "Bob Diaz"}
    assert names.teams == {"platform": "Platform Engineering"}
    assert names.services == {"web": "Web storefront"}


def test_the_editor_does_not_say_because_twice(login, owner, incident):
    from kintsugi.five_whys import services as analysis_services
    from kintsugi.five_whys.selectors import analysis_view

    first = analysis_services.step_add(
        user=owner,
        incident=incident,
        version=analysis_view(incident=incident).version,
        question="Why did checkout fail?",
        answer="Because the pool was exhausted.",
    )
    analysis_services.step_add(
        user=owner,
        incident=incident,
        version=analysis_view(incident=incident).version,
        question="Why was the pool exhausted?",
        answer="A migration held a lock.",
        parent=first,
    )
    from tests.web.conftest import HTMX

    page = login(owner).get(f"/incidents/{incident.pk}/five-whys/", **HTMX).content.decode()
    assert "Because:</span> Because" not in page
    assert "Because:</span> A migration held a lock." in page
