"""Contributing factors and their typed evidence links, edited in place."""

import pytest

from kintsugi.postmortems import services
from kintsugi.postmortems.models import Evidence, Factor
from tests.web.conftest import HTMX, assert_fragment


def _factor(owner, incident, title="Pool too small"):
    return services.factor_add(user=owner, incident=incident, title=title, description="Details")


def test_it_adds_a_factor(login, owner, incident):
    client = login(owner)
    form = client.get(f"/incidents/{incident.pk}/factors/add/", **HTMX)
    assert_fragment(form)
    assert 'data-testid="factor-add-form"' in form.content.decode()
    response = client.post(
        f"/incidents/{incident.pk}/factors/add/",
        {"title": "No alert on credential expiry", "description": "*Why*"},
        **HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#factors"
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="factors"')
    assert "F1" in body and "No alert on credential expiry" in body
    # the action items, which name factors, follow out of band
    assert '<section id="action-items"' in body and 'hx-swap-oob="true"' in body
    assert Factor.objects.get().title == "No alert on credential expiry"


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("", "The factor title is required."),
        ("  ", "The factor title is required."),
        ("x" * 201, "the limit is 200"),
    ],
)
def test_it_refuses_bad_factor_titles_and_keeps_the_description(
    login, owner, incident, title, message
):
    response = login(owner).post(
        f"/incidents/{incident.pk}/factors/add/",
        {"title": title, "description": "Kept details"},
        **HTMX,
    )
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#factors-add"
    body = response.content.decode()
    assert message in body and "Kept details" in body
    assert not Factor.objects.exists()


def test_it_edits_a_factor_and_refuses_a_stale_edit(login, owner, teammate, incident):
    factor = _factor(owner, incident)
    url = f"/incidents/{incident.pk}/factors/{factor.pk}/edit/"
    form = login(owner).get(url, **HTMX).content.decode()
    assert form.lstrip().startswith(f'<li id="factor-{factor.pk}"')
    ok = login(owner).post(url, {"version": 1, "title": "Pool of 10", "description": "A"}, **HTMX)
    assert ok.status_code == 200
    stale = login(teammate).post(
        url, {"version": 1, "title": "Pool of 20", "description": "B"}, **HTMX
    )
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "Pool of 10" in body and "Pool of 20" in body
    factor.refresh_from_db()
    assert factor.title == "Pool of 10"


def test_it_adds_and_removes_typed_evidence(login, owner, incident):
    factor = _factor(owner, incident)
    client = login(owner)
    url = f"/incidents/{incident.pk}/factors/{factor.pk}/evidence/add/"
    form = client.get(url, **HTMX).content.decode()
    assert form.lstrip().startswith(f'<div id="factor-{factor.pk}-evidence-add"')
    response = client.post(
        url,
        {"kind": "trace", "url": "https://traces.example.com/t/1", "label": "Slow query trace"},
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert ">Trace<" in body and "Slow query trace" in body
    evidence = Evidence.objects.get()
    assert evidence.kind == "trace"
    response = client.post(
        f"/incidents/{incident.pk}/factors/{factor.pk}/evidence/{evidence.pk}/delete/", **HTMX
    )
    assert response.status_code == 200
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "graph", "url": ""}, "The evidence link is required."),
        ({"kind": "graph", "url": "javascript:alert(1)"}, "must be a full http:// or https://"),
        ({"kind": "graph", "url": "grafana/d/1"}, "must be a full http:// or https://"),
        ({"kind": "vibes", "url": "https://example.com"}, "is not one of the choices offered"),
    ],
)
def test_it_refuses_bad_evidence_and_keeps_the_label(login, owner, incident, data, message):
    factor = _factor(owner, incident)
    response = login(owner).post(
        f"/incidents/{incident.pk}/factors/{factor.pk}/evidence/add/",
        {**data, "label": "Kept label"},
        **HTMX,
    )
    assert response.status_code == 422
    assert response["HX-Retarget"] == f"#factor-{factor.pk}-evidence-add"
    body = response.content.decode()
    assert message in body and 'value="Kept label"' in body
    assert not Evidence.objects.exists()


def test_it_deletes_a_factor(login, owner, incident):
    factor = _factor(owner, incident)
    response = login(owner).post(f"/incidents/{incident.pk}/factors/{factor.pk}/delete/", **HTMX)
    assert response.status_code == 200
    assert 'data-testid="factors-empty"' in response.content.decode()


def test_it_returns_a_numbered_factor_row_for_cancel(login, owner, incident):
    _factor(owner, incident, "First")
    second = _factor(owner, incident, "Second")
    body = (
        login(owner).get(f"/incidents/{incident.pk}/factors/{second.pk}/", **HTMX).content.decode()
    )
    assert ">F2<" in body and "Second" in body
