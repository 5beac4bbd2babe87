"""A NUL character ("\\x00") typed or pasted into a web form: PostgreSQL cannot store one
and failed the request with a 500. Each form must answer 4xx with the message next to the
field, keep what was typed elsewhere, and write nothing; on SQLite and on PostgreSQL
(``DATABASE_URL=postgres://...``)."""

from __future__ import annotations

import pytest

from kintsugi.postmortems.models import Factor, Incident, Lesson, TimelineEvent
from kintsugi.reviews.models import Comment
from tests.web.conftest import HTMX

NUL = "before\x00after"


def _snapshot():
    return [list(m.objects.order_by("pk").values()) for m in (Incident, TimelineEvent, Factor,
                                                             Lesson, Comment)]  # fmt: skip


def _summary(incident, **overrides):
    data = {
        "version": incident.version,
        "summary": "The pool ran dry.",
        "impact": "Impact I typed",
        "regions": "",
        "services": [s.pk for s in incident.services.all()],
        "severity": "SEV1",
        "started_at": "2026-03-01 14:00 UTC",
        "ended_at": "",
    }
    return {**data, **overrides}


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("summary/edit/", lambda i: _summary(i, summary=NUL)),
        ("summary/edit/", lambda i: _summary(i, regions=NUL)),
        (
            "timeline/add/",
            lambda i: {
                "occurred_at": "2026-03-01 15:04+01:00",
                "kind": "note",
                "text": NUL,
                "author": "",
                "evidence_url": "",
            },
        ),  # fmt: skip
        ("factors/add/", lambda i: {"title": NUL, "description": "Typed"}),
        ("lessons/add/went_well/", lambda i: {"text": NUL}),
        ("comments/new/", lambda i: {"anchor": "section:timeline", "text": NUL}),
    ],
)
def test_a_nul_in_a_form_is_a_4xx_and_writes_nothing(login, owner, incident, url, data):
    before = _snapshot()
    response = login(owner).post(f"/incidents/{incident.pk}/{url}", data(incident), **HTMX)
    assert 400 <= response.status_code < 500, response.content[:500]
    body = response.content.decode()
    said = ("Null characters are not allowed", "control characters", "a NUL character")
    assert any(words in body for words in said), body[:800]
    assert _snapshot() == before


def test_a_nul_in_an_uploaded_document_is_refused_by_name(login, owner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = _snapshot()
    upload = SimpleUploadedFile("pm.md", b"# Outage\x00 of checkout\n\n## Summary\n\nIt broke.\n",
                                content_type="text/markdown")  # fmt: skip
    response = login(owner).post("/import/", {"files": [upload]})
    assert response.status_code < 500
    assert "NUL byte" in response.content.decode(), response.content.decode()[-3000:]
    assert _snapshot() == before
