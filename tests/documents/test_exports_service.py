"""The one export function: access first, then the size limits, the cache per version, and
a real child process for the PDF (renders are counted in the parent)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from django.http import Http404

from kintsugi.core.markdown import pdf_process
from kintsugi.core.markdown.pdf_bench import large_document
from kintsugi.core.markdown.pdf_process import PdfTooLarge
from kintsugi.documents.exports import postmortem_export
from kintsugi.documents.imports import import_document
from kintsugi.postmortems import services

pytestmark = pytest.mark.usefixtures("pdf_cache")  # tests/conftest.py


def renders() -> int:
    return pdf_process.renders_started


def test_it_serves_the_same_version_from_the_cache(owner, incident, pdf_cache):
    before = renders()
    first = postmortem_export(user=owner, pk=incident.pk, fmt="pdf")
    second = postmortem_export(user=owner, pk=incident.pk, fmt="pdf")
    assert renders() == before + 1
    assert (first.from_cache, second.from_cache) == (False, True)
    assert second.body == first.body and first.body.startswith(b"%PDF-")
    (cached,) = pdf_cache.glob("*.pdf")
    assert cached.name.startswith(f"INC-{incident.pk}-v{incident.version}-")


def test_it_prints_a_new_version_again_and_keeps_only_the_latest(owner, incident, pdf_cache):
    before = renders()
    postmortem_export(user=owner, pk=incident.pk, fmt="pdf")
    services.timeline_event_add(
        user=owner,
        incident=incident,
        occurred_at=datetime(2026, 3, 1, 14, 5, tzinfo=UTC),
        text="Alerts fired for checkout.",
    )
    again = postmortem_export(user=owner, pk=incident.pk, fmt="pdf")
    assert renders() == before + 2
    assert not again.from_cache
    assert len(list(pdf_cache.glob(f"INC-{incident.pk}-*.pdf"))) == 1


def test_it_asks_access_before_the_cache(owner, outsider, restricted_incident):
    cached = postmortem_export(user=owner, pk=restricted_incident.pk, fmt="pdf")
    assert cached.body.startswith(b"%PDF-")
    before = renders()
    with pytest.raises(Http404):
        postmortem_export(user=outsider, pk=restricted_incident.pk, fmt="pdf")
    assert renders() == before


def test_it_refuses_a_post_mortem_over_the_limits_without_rendering(settings, owner, incident):
    settings.KINTSUGI_PDF_MAX_EVENTS = 2
    for minute in range(3):
        services.timeline_event_add(
            user=owner,
            incident=incident,
            occurred_at=datetime(2026, 3, 1, 14, minute, tzinfo=UTC),
            text=f"Event {minute}.",
        )
    before = renders()
    with pytest.raises(PdfTooLarge) as refusal:
        postmortem_export(user=owner, pk=incident.pk, fmt="pdf")
    assert refusal.value.message == (
        "This post-mortem is too large for PDF (3 events, limit 2); export HTML and print it "
        "from the browser, or ask an administrator to raise KINTSUGI_PDF_MAX_EVENTS."
    )
    assert renders() == before
    # The other formats have no such limit.
    assert postmortem_export(user=owner, pk=incident.pk, fmt="html").body


def test_it_prints_500_events_and_100_action_items_within_bounds(owner):
    outcome = import_document(user=owner, document=large_document(500, 100), strict=False)
    started = time.monotonic()
    before = renders()
    export = postmortem_export(user=owner, pk=outcome.incident.pk, fmt="pdf")
    seconds = time.monotonic() - started
    assert renders() == before + 1
    assert export.body.startswith(b"%PDF-")
    cost = pdf_process.last_printed
    print(
        f"500 events + 100 action items: {seconds:.2f} s, {cost.cpu_seconds:.2f} s CPU in "
        f"the child, {cost.peak_kb // 1024} MB peak"
    )
    # The goal is 3 s and 300 MB on an idle machine (python -m kintsugi.core.markdown.
    # pdf_bench, docs/operations.md). On two cores shared with other jobs the wall clock
    # stretches with the load, so the time asserted is the render's own CPU time, with a
    # margin; the wall clock only has to stay under the deadline.
    assert cost.cpu_seconds < 10
    assert seconds < 60
    assert cost.peak_kb < 300 * 1024
