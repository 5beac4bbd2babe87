"""Editing the header, executive summary and trigger/detection/resolution in place."""

from datetime import timedelta

import pytest

from kintsugi.postmortems import services
from kintsugi.postmortems.models import Incident
from tests.web.conftest import HTMX, T0, assert_fragment


def _summary_data(incident, **overrides):
    data = {
        "version": incident.version,
        "summary": "The pool ran dry.",
        "impact": "All EU customers.",
        "regions": "eu-west-1, eu-central-1",
        "services": [s.pk for s in incident.services.all()],
        "severity": "SEV1",
        "started_at": "2026-03-01 14:00 UTC",
        "ended_at": "2026-03-01 15:30+01:00",
    }
    data.update(overrides)
    return data


def _edit_form(client, incident, section):
    response = client.get(f"/incidents/{incident.pk}/{section}/edit/", **HTMX)
    assert response.status_code == 200
    return response


def _base(client, incident, section):
    body = _edit_form(client, incident, section).content.decode()
    marker = 'name="base" value="'
    start = body.index(marker) + len(marker)
    return body[start : body.index('"', start)]


def test_it_returns_only_the_edit_fragment_to_htmx(login, owner, incident):
    response = _edit_form(login(owner), incident, "summary")
    assert_fragment(response)
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="summary"')
    assert 'name="version" value="1"' in body
    assert "Checkout returned errors for 40 minutes." in body
    assert "HX-Request" in response["Vary"]


def test_it_serves_a_whole_page_without_htmx(login, owner, incident):
    body = login(owner).get(f"/incidents/{incident.pk}/summary/edit/").content.decode()
    assert "<html" in body and 'data-testid="summary-form"' in body


def test_it_saves_the_summary_and_refreshes_metrics_out_of_band(login, owner, incident):
    client = login(owner)
    data = _summary_data(incident, base=_base(client, incident, "summary"))
    response = client.post(f"/incidents/{incident.pk}/summary/edit/", data, **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#summary"
    assert_fragment(response)
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="summary"')
    assert '<div id="metrics" class="metrics" data-testid="metrics" hx-swap-oob="true">' in body
    assert 'id="severity-badge"' in body and 'hx-swap-oob="true"' in body
    assert "section-timeline" not in body  # other sections untouched
    incident.refresh_from_db()
    assert incident.summary == "The pool ran dry."
    assert incident.regions == ["eu-west-1", "eu-central-1"]
    assert incident.severity == "SEV1"
    assert incident.ended_at == T0 + timedelta(minutes=30)
    assert incident.version == 2


def test_it_redirects_after_a_plain_post(login, owner, incident):
    client = login(owner)
    response = client.post(
        f"/incidents/{incident.pk}/narrative/edit/",
        {"version": 1, "trigger": "A deploy", "detection": "", "resolution": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/incidents/{incident.pk}/#narrative"
    incident.refresh_from_db()
    assert incident.trigger == "A deploy"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ended_at": "2026-03-01 13:00 UTC"}, "The end of the incident is before its start."),
        ({"started_at": "2026-03-01 14:00"}, "Add a timezone to this time"),
        ({"started_at": ""}, "A time is required."),
        ({"summary": "x" * 20_001}, "the limit is 20,000"),
        ({"severity": "SEV0"}, "is not one of the choices offered"),
        ({"services": ["9999"]}, "does not exist"),
    ],
)
def test_it_refuses_bad_input_and_keeps_the_rest(login, owner, incident, overrides, message):
    client = login(owner)
    data = _summary_data(incident, impact="Impact I typed", **overrides)
    response = client.post(f"/incidents/{incident.pk}/summary/edit/", data, **HTMX)
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#summary"
    body = response.content.decode()
    assert message in body
    assert "Impact I typed" in body
    assert Incident.objects.get(pk=incident.pk).version == 1


def test_it_refuses_a_start_after_the_mitigation(login, owner, incident):
    services.timeline_event_add(
        user=owner,
        incident=incident,
        kind="mitigated",
        text="ok",
        occurred_at=T0 + timedelta(minutes=10),
    )
    client = login(owner)
    data = _summary_data(incident, started_at="2026-03-01 14:30 UTC", ended_at="")
    body = client.post(f"/incidents/{incident.pk}/summary/edit/", data, **HTMX).content.decode()
    assert "is before the incident started" in body
    assert 'value="2026-03-01 14:30 UTC"' in body


def test_it_refuses_a_stale_save_and_shows_both_versions(login, owner, teammate, incident):
    alice, bob = login(owner), login(teammate)
    alice_base = _base(alice, incident, "narrative")
    bob_base = _base(bob, incident, "narrative")
    url = f"/incidents/{incident.pk}/narrative/edit/"
    first = alice.post(
        url,
        {
            "version": 1,
            "base": alice_base,
            "trigger": "Alice's trigger",
            "detection": "",
            "resolution": "",
        },
        **HTMX,
    )
    assert first.status_code == 200
    second = bob.post(
        url,
        {
            "version": 1,
            "base": bob_base,
            "trigger": "Bob's trigger",
            "detection": "Bob's detection",
            "resolution": "",
        },
        **HTMX,
    )
    assert second.status_code == 409
    assert second["HX-Retarget"] == "#narrative"
    body = second.content.decode()
    assert 'data-testid="conflict"' in body
    assert "Alice&#x27;s trigger" in body  # their version, read-only
    assert "Bob&#x27;s trigger" in body and "Bob&#x27;s detection" in body  # his text, kept
    assert 'name="version" value="2"' in body  # re-based on the newer version
    assert Incident.objects.get(pk=incident.pk).trigger == "Alice's trigger"
    # Saving again, deliberately, succeeds.
    new_base = body.split('name="base" value="')[1].split('"')[0]
    third = bob.post(
        url,
        {
            "version": 2,
            "base": new_base,
            "trigger": "Merged trigger",
            "detection": "",
            "resolution": "",
        },
        **HTMX,
    )
    assert third.status_code == 200
    assert Incident.objects.get(pk=incident.pk).trigger == "Merged trigger"


def test_it_lets_two_different_sections_of_the_incident_be_saved(login, owner, incident):
    """Both forms were opened at version 1; saving one must not block the other."""
    client = login(owner)
    narrative_base = _base(client, incident, "narrative")
    summary_base = _base(client, incident, "summary")
    response = client.post(
        f"/incidents/{incident.pk}/narrative/edit/",
        {"version": 1, "base": narrative_base, "trigger": "T", "detection": "D", "resolution": "R"},
        **HTMX,
    )
    assert response.status_code == 200
    data = _summary_data(incident, base=summary_base, version=1)
    response = client.post(f"/incidents/{incident.pk}/summary/edit/", data, **HTMX)
    assert response.status_code == 200
    incident.refresh_from_db()
    assert (incident.trigger, incident.summary) == ("T", "The pool ran dry.")


def test_it_saves_the_header(login, owner, teammate, team, incident):
    client = login(owner)
    data = {
        "version": 1,
        "base": _base(client, incident, "header"),
        "title": "New title",
        "status": "in_review",
        "team": team.pk,
        "authors": ["alice", "bob"],
    }
    response = client.post(f"/incidents/{incident.pk}/header/edit/", data, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="incident-title">New title<' in body
    # The team sets the due policy: the debt box and the items follow, out of band.
    assert "Policy for team Platform:" in body.split('<section id="debt"', 1)[1]
    assert '<section id="action-items"' in body and body.count('hx-swap-oob="true"') == 2
    incident.refresh_from_db()
    assert incident.status == "in_review"
    assert {a.username for a in incident.authors.all()} == {"alice", "bob"}


def test_it_refuses_unknown_authors(login, owner, incident):
    client = login(owner)
    data = {"version": 1, "title": "T", "status": "draft", "authors": ["ghost"]}
    response = client.post(f"/incidents/{incident.pk}/header/edit/", data, **HTMX)
    assert response.status_code == 422
    assert "Unknown author “ghost”" in response.content.decode()


def test_it_lets_editors_choose_who_else_may_see_a_restricted_incident(
    login, owner, outsider, restricted_incident
):
    url = f"/incidents/{restricted_incident.pk}/"
    assert login(outsider).get(url).status_code == 404
    client = login(owner)
    data = {
        "version": restricted_incident.version,
        "base": _base(client, restricted_incident, "header"),
        "title": restricted_incident.title,
        "status": "draft",
        "team": restricted_incident.team_id,
        "authors": ["alice"],
        "is_restricted": "on",
        "members": ["mallory"],
    }
    response = client.post(f"{url}header/edit/", data, **HTMX)
    assert response.status_code == 200, response.content[:500]
    assert 'data-testid="header-members">mallory</dd>' in response.content.decode()
    assert login(outsider).get(url).status_code == 200  # a member now
    refused = client.post(
        f"{url}header/edit/",
        {**data, "version": 2, "members": ["ghost", "<img src=x onerror=alert(1)>"]},
        **HTMX,
    )
    assert refused.status_code == 422
    body = refused.content.decode()
    assert 'data-testid="error-members">Unknown member “' in body  # either one, escaped
    assert "<img src=x" not in body
    assert list(restricted_incident.members.values_list("username", flat=True)) == ["mallory"]


def test_it_needs_the_version(login, owner, incident):
    client = login(owner)
    response = client.post(
        f"/incidents/{incident.pk}/narrative/edit/",
        {"trigger": "T", "detection": "", "resolution": ""},
        **HTMX,
    )
    assert response.status_code == 422
    assert "reload the page" in response.content.decode()


@pytest.mark.parametrize("section", ["header", "summary", "narrative"])
def test_it_forbids_viewers_to_edit(login, viewer, incident, section):
    client = login(viewer)
    url = f"/incidents/{incident.pk}/{section}/edit/"
    assert client.get(url, **HTMX).status_code == 403
    assert client.post(url, {"version": 1, "title": "x", "trigger": "x"}, **HTMX).status_code == 403
    assert Incident.objects.get(pk=incident.pk).version == 1


@pytest.mark.parametrize("section", ["header", "summary", "narrative"])
def test_it_hides_restricted_sections_from_outsiders(login, outsider, restricted_incident, section):
    client = login(outsider)
    base = f"/incidents/{restricted_incident.pk}/{section}/"
    assert client.get(base, **HTMX).status_code == 404
    assert client.get(base + "edit/", **HTMX).status_code == 404
    assert client.post(base + "edit/", {"version": 1}, **HTMX).status_code == 404


def test_it_renders_the_section_for_cancel(login, viewer, incident):
    response = login(viewer).get(f"/incidents/{incident.pk}/summary/", **HTMX)
    assert response.status_code == 200
    assert_fragment(response)
    assert 'data-testid="summary-edit"' not in response.content.decode()
    plain = login(viewer).get(f"/incidents/{incident.pk}/summary/")
    assert plain.status_code == 302
