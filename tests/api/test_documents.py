"""Export (md, html, json) and Markdown import (kintsugi/api/routers/documents.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kintsugi.postmortems import services
from kintsugi.postmortems.models import Incident
from tests.api.conftest import T0, XSS, assert_refused_anonymous, error_of

pytest.importorskip("kintsugi.core.markdown.render")


@pytest.fixture
def full_incident(owner, teammate, incident):
    services.incident_update(user=owner, incident=incident, version=1, impact=XSS)
    services.timeline_event_add(
        user=owner,
        incident=incident,
        occurred_at=T0 + timedelta(minutes=4),
        kind="alert_fired",
        text="Error-rate alert fired",
        author=teammate,
    )
    factor = services.factor_add(user=owner, incident=incident, title="Pool too small")
    services.evidence_add(
        user=owner, factor=factor, url="https://grafana.example.com/d/1", kind="graph"
    )
    services.lesson_add(user=owner, incident=incident, kind="got_lucky", text="Low traffic")
    services.action_item_add(
        user=owner,
        incident=incident,
        title="Alert on pool saturation",
        priority="P1",
        owner=teammate,
        ticket_id="OPS-1",
        factor=factor,
    )
    return Incident.objects.get(pk=incident.pk)


def test_it_refuses_anonymous_callers(api, incident):
    assert_refused_anonymous(api, "get", f"/incidents/{incident.pk}/export")
    assert_refused_anonymous(api, "post", "/incidents/import")


def test_it_exports_markdown(api, viewer, full_incident):
    response = api.get(
        f"/incidents/{full_incident.pk}/export", user=viewer, params={"format": "md"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("---")
    assert "Error-rate alert fired" in text
    assert "OPS-1" in text


def test_it_exports_json(api, owner, full_incident):
    response = api.get(
        f"/incidents/{full_incident.pk}/export", user=owner, params={"format": "json"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Checkout outage"
    assert body["impact"] == XSS


def test_it_exports_html_with_user_text_escaped(api, owner, full_incident):
    response = api.get(
        f"/incidents/{full_incident.pk}/export", user=owner, params={"format": "html"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "unsafe-inline" not in policy and "style-src 'sha256-" in policy
    html = response.content.decode()
    assert "unsafe-inline" not in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_it_refuses_an_unknown_format(api, owner, incident):
    response = api.get(f"/incidents/{incident.pk}/export", user=owner, params={"format": "docx"})
    assert response.status_code == 422
    assert "format" in error_of(response)["fields"]


def test_it_exports_a_pdf(api, owner, incident):
    response = api.get(f"/incidents/{incident.pk}/export", user=owner, params={"format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_it_hides_restricted_incidents_from_export(api, outsider, restricted_incident):
    response = api.get(f"/incidents/{restricted_incident.pk}/export", user=outsider)
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_it_round_trips_markdown_through_import(api, owner, teammate, full_incident):
    markdown = api.get(f"/incidents/{full_incident.pk}/export", user=owner).content
    # Without its id: a copy (with it, the export updates its incident; tests below).
    markdown = markdown.replace(f"id: {full_incident.pk}\n".encode(), b"", 1)
    response = api.post(
        "/incidents/import", user=owner, body=markdown, content_type="text/markdown"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id"] != full_incident.pk
    assert body["title"] == "Checkout outage"
    assert body["impact"] == XSS
    copy = Incident.objects.get(pk=body["id"])
    assert copy.events.count() == 1
    assert copy.action_items.get().owner == teammate


def test_it_refuses_import_from_a_viewer(api, viewer, owner, full_incident):
    markdown = api.get(f"/incidents/{full_incident.pk}/export", user=owner).content
    response = api.post(
        "/incidents/import", user=viewer, body=markdown, content_type="text/markdown"
    )
    assert response.status_code == 403


def test_it_refuses_import_without_csrf_in_the_browser(browser, owner):
    session = browser(owner)
    response = session.call("post", "/incidents/import", body="# x", content_type="text/markdown")
    assert response.status_code == 403
    assert error_of(response)["code"] == "csrf_failed"


def test_it_names_the_line_of_a_malformed_document(api, owner):
    bad = "---\ntitle: [unclosed\n---\n\n## Summary\n"
    response = api.post(
        "/incidents/import?strict=true", user=owner, body=bad, content_type="text/markdown"
    )
    assert response.status_code == 422, response.content
    error = error_of(response)
    assert error["line"] == 2  # the line of the unclosed bracket
    assert error["message"].startswith("line 2: ")
    assert {problem["line"] for problem in error["problems"]} == {2}
    assert any("YAML" in problem["message"] for problem in error["problems"])
    assert Incident.objects.count() == 0


def test_it_refuses_a_document_that_is_not_utf8(api, owner):
    response = api.post(
        "/incidents/import",
        user=owner,
        body="title: caf\xe9".encode("latin-1"),
        content_type="text/markdown",
    )
    assert response.status_code == 422
    assert "UTF-8" in error_of(response)["message"]


def test_it_refuses_an_empty_document(api, owner):
    response = api.post("/incidents/import", user=owner, body="  ", content_type="text/markdown")
    assert response.status_code == 422


def test_it_refuses_an_oversized_document(api, owner):
    response = api.post(
        "/incidents/import", user=owner, body="x" * (1024 * 1024 + 1), content_type="text/markdown"
    )
    assert response.status_code == 413
    assert error_of(response)["code"] == "payload_too_large"


def test_an_export_imported_again_updates_its_incident(api, owner, full_incident):
    markdown = api.get(f"/incidents/{full_incident.pk}/export", user=owner).content
    edited = markdown.replace(b"Checkout outage", b"Checkout outage (reviewed)", 2)
    response = api.post("/incidents/import", user=owner, body=edited, content_type="text/markdown")
    assert response.status_code == 200, response.content
    assert response.json()["id"] == full_incident.pk
    assert Incident.objects.count() == 1
    # The first export is now stale: importing it would undo the change.
    stale = api.post("/incidents/import", user=owner, body=markdown, content_type="text/markdown")
    assert stale.status_code == 409
    assert Incident.objects.get().title == "Checkout outage (reviewed)"


def test_best_effort_lists_its_assumptions_in_warnings_and_strict_refuses(api, owner):
    text = (
        "---\nlayout: post\n---\n# Queue backlog\n\n## Action Items\n\n- [ ] Autoscale (@infra)\n"
    )
    strict = api.post(
        "/incidents/import?strict=true", user=owner, body=text, content_type="text/markdown"
    )
    assert strict.status_code == 422
    response = api.post("/incidents/import", user=owner, body=text, content_type="text/markdown")
    assert response.status_code == 201, response.content
    warnings = response.json()["warnings"]
    assert any("layout" in warning for warning in warnings)
    assert Incident.objects.get().import_notes


def test_an_overlong_name_is_refused(api, owner):
    response = api.post(
        "/incidents/import?name=" + "x" * 300, user=owner, body="# X", content_type="text/markdown"
    )
    assert response.status_code == 422
