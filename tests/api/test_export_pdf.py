"""GET /incidents/{id}/export?format=pdf within its limits, answered in the one error
shape, and documented with every status it can answer."""

from __future__ import annotations

import pytest

from kintsugi.core.markdown import pdf_process
from kintsugi.core.markdown.pdf_process import PdfLimits, render_slot
from kintsugi.documents.exports import pdf_limits
from kintsugi.postmortems import services
from tests.api.conftest import error_of
from tests.pdf_exports import add_events

pytestmark = pytest.mark.usefixtures("pdf_cache")  # tests/conftest.py


def export_pdf(api, user, incident):
    return api.get(f"/incidents/{incident.pk}/export", user=user, params={"format": "pdf"})


def test_it_refuses_a_post_mortem_over_the_limit_as_422(settings, api, owner, incident):
    settings.KINTSUGI_PDF_MAX_ACTION_ITEMS = 1
    for title in ("Add an alert", "Add a runbook"):
        services.action_item_add(user=owner, incident=incident, title=title)
    response = export_pdf(api, owner, incident)
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "export_too_large"
    assert error["message"] == (
        "This post-mortem is too large for PDF (2 action items, limit 1); export HTML and "
        "print it from the browser, or ask an administrator to raise "
        "KINTSUGI_PDF_MAX_ACTION_ITEMS."
    )
    assert error["fields"] == {"format": [error["message"]]}


def test_it_answers_503_stopped_past_the_deadline(settings, api, owner, incident):
    settings.KINTSUGI_PDF_TIMEOUT = 0.2
    add_events(incident, owner, 150)
    response = export_pdf(api, owner, incident)
    assert response.status_code == 503
    assert "Retry-After" not in response  # the same render would be stopped again
    error = error_of(response)
    assert error["code"] == "export_stopped"
    assert "KINTSUGI_PDF_TIMEOUT" in error["message"]


def test_it_answers_503_busy_when_every_slot_is_taken(settings, api, owner, incident):
    settings.KINTSUGI_PDF_CONCURRENCY = 1
    with render_slot(pdf_limits()):  # another worker's render, holding the only slot
        response = export_pdf(api, owner, incident)
    assert response.status_code == 503
    assert error_of(response)["code"] == "export_busy"
    assert response["Retry-After"] == "60"
    assert export_pdf(api, owner, incident).status_code == 200  # free again


def test_it_serves_the_cache_only_after_access(api, owner, outsider, restricted_incident):
    assert export_pdf(api, owner, restricted_incident).content.startswith(b"%PDF-")
    before = pdf_process.renders_started
    assert export_pdf(api, owner, restricted_incident).status_code == 200
    assert pdf_process.renders_started == before
    refused = export_pdf(api, outsider, restricted_incident)
    assert refused.status_code == 404
    assert error_of(refused)["code"] == "not_found"


def test_its_schema_documents_each_answer_once(api):
    schema = api.client.get("/api/v1/openapi.json").json()
    responses = schema["paths"]["/api/v1/incidents/{incident_id}/export"]["get"]["responses"]
    assert set(responses["200"]["content"]) == {
        "text/markdown",
        "text/html",
        "application/json",
        "application/pdf",
    }
    assert "export_too_large" in responses["422"]["description"]
    for code in ("export_busy", "export_stopped", "export_unavailable"):
        assert code in responses["503"]["description"]
    for status in ("401", "404", "422", "503"):
        ref = responses[status]["content"]["application/json"]["schema"]["$ref"]
        assert ref == "#/components/schemas/ErrorOut"


def test_the_default_limits_are_the_settings(settings):
    assert pdf_limits() == PdfLimits(
        max_events=settings.KINTSUGI_PDF_MAX_EVENTS,
        max_action_items=settings.KINTSUGI_PDF_MAX_ACTION_ITEMS,
        max_page_bytes=settings.KINTSUGI_PDF_MAX_PAGE_KB * 1024,
        timeout_seconds=settings.KINTSUGI_PDF_TIMEOUT,
        memory_mb=settings.KINTSUGI_PDF_MEMORY_MB,
        concurrency=settings.KINTSUGI_PDF_CONCURRENCY,
        slot_dir=settings.KINTSUGI_PDF_CACHE_DIR,
    )
