"""The PDF download within its limits: a refusal is a page that says why and what to do
instead, a stopped render a 503 page, and the cache never skips access control."""

from __future__ import annotations

import pytest

from kintsugi.core.markdown import pdf_process
from tests.pdf_exports import add_events

pytestmark = pytest.mark.usefixtures("pdf_cache")  # tests/conftest.py

EVENT = "Event {}: checkout returned **502** for some requests."


def test_it_links_the_pdf_without_download_so_a_refusal_shows(login, viewer, incident):
    body = login(viewer).get(f"/incidents/{incident.pk}/").content.decode()
    assert f'<a href="/incidents/{incident.pk}/export.pdf" data-testid="export-pdf">' in body


def test_it_refuses_a_post_mortem_over_the_limit_with_a_page(settings, login, owner, incident):
    settings.KINTSUGI_PDF_MAX_EVENTS = 2
    add_events(incident, owner, 3, EVENT)
    before = pdf_process.renders_started
    response = login(owner).get(f"/incidents/{incident.pk}/export.pdf")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert (
        "This post-mortem is too large for PDF (3 events, limit 2); export HTML and print it "
        "from the browser, or ask an administrator to raise KINTSUGI_PDF_MAX_EVENTS."
    ) in page
    assert f'href="/incidents/{incident.pk}/export.html"' in page
    assert pdf_process.renders_started == before


def test_it_answers_503_when_the_render_passes_its_deadline(settings, login, owner, incident):
    settings.KINTSUGI_PDF_TIMEOUT = 0.2
    add_events(incident, owner, 150, EVENT)
    response = login(owner).get(f"/incidents/{incident.pk}/export.pdf")
    assert response.status_code == 503
    assert "Retry-After" not in response  # the same render would be stopped again
    assert "took longer than 0.2 s to render and was stopped" in response.content.decode()
    assert list(settings.KINTSUGI_PDF_CACHE_DIR.glob("*.pdf")) == []  # nothing half-written


def test_it_answers_503_when_the_render_passes_its_memory_cap(settings, login, owner, incident):
    # A cap far below what any render needs (the 500-event page peaks near 100 MB), so the
    # refusal does not depend on how lean the layout happens to be.
    settings.KINTSUGI_PDF_MEMORY_MB = 48
    add_events(incident, owner, 400, EVENT)
    response = login(owner).get(f"/incidents/{incident.pk}/export.pdf")
    assert response.status_code == 503
    assert "reached its memory limit (48 MB)" in response.content.decode()


def test_it_serves_the_cached_pdf_only_to_those_who_may_see_it(
    login, owner, outsider, restricted_incident
):
    first = login(owner).get(f"/incidents/{restricted_incident.pk}/export.pdf")
    assert first.status_code == 200 and first.content.startswith(b"%PDF-")
    before = pdf_process.renders_started
    again = login(owner).get(f"/incidents/{restricted_incident.pk}/export.pdf")
    assert again.content == first.content
    assert pdf_process.renders_started == before  # from the cache
    assert login(outsider).get(f"/incidents/{restricted_incident.pk}/export.pdf").status_code == 404


def test_it_answers_503_busy_with_retry_after(settings, login, owner, incident):
    from kintsugi.core.markdown.pdf_process import render_slot
    from kintsugi.documents.exports import pdf_limits

    settings.KINTSUGI_PDF_CONCURRENCY = 1
    with render_slot(pdf_limits()):  # another worker's render, holding the only slot
        response = login(owner).get(f"/incidents/{incident.pk}/export.pdf")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "as many PDFs as it renders at once (1); try again in a minute" in (
        response.content.decode()
    )
