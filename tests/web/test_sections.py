"""One component for the row / edit / delete trio of the four editable lists
(kintsugi/web/sections.py, web/includes/row_form.html, web/views/section_rows.py)."""

from __future__ import annotations

import pytest

from kintsugi.postmortems.models import ActionItem, Factor, Lesson, TimelineEvent
from tests.web.conftest import HTMX, assert_fragment

# (list URL part, row name, model, the section's element id, id suffix naming the row)
LISTS = [
    ("timeline", "event", TimelineEvent, "timeline", "time"),
    ("factors", "factor", Factor, "factors", "title"),
    ("lessons", "lesson", Lesson, "lessons", "text"),
    ("actions", "action", ActionItem, "action-items", "title"),
]


def _first(model, incident):
    return model.objects.filter(incident=incident).order_by("pk").first()


@pytest.mark.parametrize(("part", "name", "model", "section", "label"), LISTS)
def test_a_row_carries_the_same_buttons_in_every_list(
    login, owner, filled, part, name, model, section, label
):
    incident = filled(1)
    row = _first(model, incident)
    base = f"/incidents/{incident.pk}/{part}/{row.pk}"
    response = login(owner).get(f"{base}/", **HTMX)
    assert response.status_code == 200
    assert_fragment(response)
    body = response.content.decode()
    assert f'id="{name}-{row.pk}"' in body
    assert (
        f'<a class="button small subtle" href="{base}/edit/" hx-get="{base}/edit/" '
        f'hx-target="#{name}-{row.pk}" hx-swap="outerHTML" data-testid="{name}-edit" '
        f'aria-describedby="{name}-{row.pk}-{label}">Edit</a>'
    ) in body
    assert (
        f'<form method="post" action="{base}/delete/" hx-post="{base}/delete/" '
        f'hx-target="#{section}" hx-swap="outerHTML" hx-confirm="'
    ) in body
    assert f'data-testid="{name}-delete" aria-describedby="{name}-{row.pk}-{label}"' in body
    assert 'name="csrfmiddlewaretoken" value="' in body and "csrf-slot-" not in body
    assert f'id="{name}-{row.pk}-{label}"' in body  # what the buttons point at exists


@pytest.mark.parametrize(("part", "name", "model", "section", "label"), LISTS)
def test_readers_get_the_row_without_buttons(
    login, viewer, filled, part, name, model, section, label
):
    incident = filled(1)
    row = _first(model, incident)
    body = login(viewer).get(f"/incidents/{incident.pk}/{part}/{row.pk}/", **HTMX)
    body = body.content.decode()
    assert f'id="{name}-{row.pk}"' in body
    assert f'data-testid="{name}-edit"' not in body and f"{name}-delete" not in body


@pytest.mark.parametrize(("part", "name", "model", "section", "label"), LISTS)
def test_the_edit_form_replaces_the_row_and_cancel_swaps_it_back(
    login, owner, filled, part, name, model, section, label
):
    incident = filled(1)
    row = _first(model, incident)
    base = f"/incidents/{incident.pk}/{part}/{row.pk}"
    response = login(owner).get(f"{base}/edit/", **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="{name}-{row.pk}"' in body and f'data-testid="{name}-form-wrap"' in body
    assert (
        f'<form method="post" action="{base}/edit/" hx-post="{base}/edit/" '
        f'hx-target="#{name}-{row.pk}" hx-swap="outerHTML" class="inline-form" '
        f'data-testid="{name}-form" novalidate>'
    ) in body
    assert 'name="version"' in body and f'data-testid="{name}-save"' in body
    assert f'hx-get="{base}/" hx-target="#{name}-{row.pk}"' in body
    anchor = section if name == "lesson" else f"{name}-{row.pk}"
    assert f'href="/incidents/{incident.pk}/#{anchor}"' in body
    assert f'id="{name}-{row.pk}-' in body  # the fields' ids are the row's


@pytest.mark.parametrize(("part", "name", "model", "section", "label"), LISTS)
def test_a_delete_answers_with_the_section(login, owner, filled, part, name, model, section, label):
    incident = filled(2)
    row = _first(model, incident)
    response = login(owner).post(f"/incidents/{incident.pk}/{part}/{row.pk}/delete/", **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#{section}"
    assert f'<section id="{section}"' in response.content.decode()
    assert not model.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize(("part", "name", "model", "section", "label"), LISTS)
def test_without_javascript_the_edit_form_is_a_page(
    login, owner, filled, part, name, model, section, label
):
    incident = filled(1)
    row = _first(model, incident)
    body = login(owner).get(f"/incidents/{incident.pk}/{part}/{row.pk}/edit/").content.decode()
    assert "<html" in body and f'data-testid="{name}-form"' in body
