"""Who may reach each incident URL: every page, fragment and export asks the access module.

Readers (viewers) get read fragments but 403 on every edit endpoint; people who may not see
a restricted incident get 404 everywhere, so its existence is not revealed.
"""

from datetime import timedelta

import pytest

from kintsugi.postmortems import services
from tests.web.conftest import HTMX, T0


def _urls(owner, incident):
    event = services.timeline_event_add(
        user=owner, incident=incident, text="e", occurred_at=T0 + timedelta(days=1)
    )
    factor = services.factor_add(user=owner, incident=incident, title="f")
    evidence = services.evidence_add(user=owner, factor=factor, url="https://example.com/g")
    lesson = services.lesson_add(user=owner, incident=incident, kind="went_well", text="l")
    item = services.action_item_add(user=owner, incident=incident, title="a")
    base = f"/incidents/{incident.pk}"
    read = [
        f"{base}/",
        f"{base}/header/",
        f"{base}/summary/",
        f"{base}/narrative/",
        f"{base}/timeline/",
        f"{base}/timeline/{event.pk}/",
        f"{base}/factors/",
        f"{base}/factors/{factor.pk}/",
        f"{base}/lessons/",
        f"{base}/lessons/{lesson.pk}/",
        f"{base}/actions/",
        f"{base}/actions/{item.pk}/",
    ]
    exports = [f"{base}/export.md", f"{base}/export.html", f"{base}/export.json"]
    edit_forms = [
        f"{base}/header/edit/",
        f"{base}/summary/edit/",
        f"{base}/narrative/edit/",
        f"{base}/timeline/add/",
        f"{base}/timeline/{event.pk}/edit/",
        f"{base}/factors/add/",
        f"{base}/factors/{factor.pk}/edit/",
        f"{base}/factors/{factor.pk}/evidence/add/",
        f"{base}/lessons/add/went_well/",
        f"{base}/lessons/{lesson.pk}/edit/",
        f"{base}/actions/add/",
        f"{base}/actions/{item.pk}/edit/",
    ]
    deletes = [
        f"{base}/timeline/{event.pk}/delete/",
        f"{base}/factors/{factor.pk}/evidence/{evidence.pk}/delete/",
        f"{base}/factors/{factor.pk}/delete/",
        f"{base}/lessons/{lesson.pk}/delete/",
        f"{base}/actions/{item.pk}/delete/",
    ]
    return read, exports, edit_forms, deletes


@pytest.mark.parametrize("htmx", [True, False])
def test_it_lets_viewers_read_but_not_edit(login, owner, viewer, incident, htmx):
    read, _exports, edit_forms, deletes = _urls(owner, incident)
    client = login(viewer)
    headers = HTMX if htmx else {}
    for url in read:
        assert client.get(url, **headers).status_code in (200, 302), url
    for url in edit_forms:
        assert client.get(url, **headers).status_code == 403, url
        assert (
            client.post(url, {"version": 1, "text": "x", "title": "x"}, **headers).status_code
            == 403
        ), url
    for url in deletes:
        assert client.post(url, **headers).status_code == 403, url
    assert incident.events.count() == 1 and incident.factors.count() == 1


@pytest.mark.parametrize("htmx", [True, False])
def test_it_hides_every_url_of_a_restricted_incident_from_outsiders(
    login, owner, outsider, restricted_incident, htmx
):
    read, exports, edit_forms, deletes = _urls(owner, restricted_incident)
    client = login(outsider)
    headers = HTMX if htmx else {}
    for url in read + exports + edit_forms:
        assert client.get(url, **headers).status_code == 404, url
    for url in edit_forms + deletes:
        assert client.post(url, {"version": 1}, **headers).status_code == 404, url
    assert restricted_incident.events.count() == 1


def test_it_hides_restricted_incidents_from_outsider_viewers_too(
    login, owner, viewer, restricted_incident
):
    read, exports, edit_forms, _deletes = _urls(owner, restricted_incident)
    client = login(viewer)
    for url in read + exports + edit_forms:
        assert client.get(url).status_code == 404, url


def test_it_lets_teammates_edit_restricted_incidents(login, owner, teammate, restricted_incident):
    _read, _exports, edit_forms, _deletes = _urls(owner, restricted_incident)
    client = login(teammate)
    for url in edit_forms:
        assert client.get(url, **HTMX).status_code == 200, url


def test_it_shows_a_403_page_that_explains(login, owner, viewer, incident):
    response = login(viewer).get(f"/incidents/{incident.pk}/summary/edit/")
    assert response.status_code == 403
    body = response.content.decode()
    assert 'data-testid="error-403"' in body
    assert "You may view this incident but not edit it." in body


def test_it_never_exempts_csrf(login, owner, incident):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post(
        f"/incidents/{incident.pk}/timeline/add/",
        {"occurred_at": "2026-03-01 14:05 UTC", "text": "x", "kind": "note"},
        **HTMX,
    )
    assert response.status_code == 403
    assert not incident.events.exists()


def test_it_answers_htmx_with_fragments_and_browsers_with_pages(login, owner, incident):
    _read, _exports, edit_forms, _deletes = _urls(owner, incident)
    client = login(owner)
    for url in edit_forms:
        fragment = client.get(url, **HTMX)
        page = client.get(url)
        assert "<html" not in fragment.content.decode(), url
        assert "<html" in page.content.decode(), url
        assert "HX-Request" in fragment["Vary"] and "HX-Request" in page["Vary"], url
