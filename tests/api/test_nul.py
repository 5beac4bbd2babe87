"""A NUL character ("\\x00") in any text the API takes: PostgreSQL cannot store one ("A
string literal cannot contain NUL characters") and failed the whole request with a 500.
Each must be a 4xx naming the problem, with nothing written; on SQLite and on PostgreSQL
(``DATABASE_URL=postgres://...``), where the failure was real."""

from __future__ import annotations

import pytest

from kintsugi.postmortems import services
from kintsugi.postmortems.models import ActionItem, Factor, Incident, Lesson, TimelineEvent
from tests.api.conftest import error_of

NUL = "before\x00after"


@pytest.fixture
def parts(owner, incident):
    return {
        "event": services.timeline_event_add(
            user=owner, incident=incident, occurred_at=incident.started_at, text="Paged"
        ),  # fmt: skip
        "factor": services.factor_add(user=owner, incident=incident, title="Pool"),
        "lesson": services.lesson_add(user=owner, incident=incident, kind="went_well", text="OK"),
        "item": services.action_item_add(user=owner, incident=incident, title="Alert"),
    }


def _snapshot():
    return [
        list(model.objects.order_by("pk").values())
        for model in (Incident, TimelineEvent, Factor, Lesson, ActionItem)
    ]


def _cases(incident, parts):
    i = incident.pk
    return [
        ("post", "/incidents", {"title": NUL, "started_at": "2026-03-01T14:00:00Z"}),
        (
            "post",
            "/incidents",
            {"title": "Fine", "started_at": "2026-03-01T14:00:00Z", "summary": NUL},
        ),  # fmt: skip
        ("patch", f"/incidents/{i}", {"impact": NUL, "version": incident.version}),
        ("patch", f"/incidents/{i}", {"title": NUL, "version": incident.version}),
        (
            "post",
            f"/incidents/{i}/timeline-events",
            {"occurred_at": "2026-03-01T14:05:00Z", "text": NUL},
        ),  # fmt: skip
        (
            "patch",
            f"/timeline-events/{parts['event'].pk}",
            {"text": NUL, "version": parts["event"].version},
        ),  # fmt: skip
        ("post", f"/incidents/{i}/factors", {"title": NUL}),
        ("post", f"/incidents/{i}/factors", {"title": "Fine", "description": NUL}),
        (
            "patch",
            f"/factors/{parts['factor'].pk}",
            {"description": NUL, "version": parts["factor"].version},
        ),  # fmt: skip
        ("post", f"/incidents/{i}/lessons", {"kind": "went_well", "text": NUL}),
        (
            "patch",
            f"/lessons/{parts['lesson'].pk}",
            {"text": NUL, "version": parts["lesson"].version},
        ),  # fmt: skip
        ("post", f"/incidents/{i}/action-items", {"title": NUL}),
        ("post", f"/incidents/{i}/action-items", {"title": "Fine", "ticket_id": NUL}),
        (
            "patch",
            f"/action-items/{parts['item'].pk}",
            {"description": NUL, "version": parts["item"].version},
        ),  # fmt: skip
        ("post", f"/incidents/{i}/threads", {"anchor": "section:timeline", "text": NUL}),
        ("post", f"/incidents/{i}/threads", {"anchor": NUL, "text": "Fine"}),
    ]


def test_a_nul_in_any_text_field_is_a_4xx_and_writes_nothing(api, owner, incident, parts):
    before = _snapshot()
    failures = []
    for method, path, payload in _cases(incident, parts):
        response = api.call(method, path, user=owner, json=payload)
        if not 400 <= response.status_code < 500:
            failures.append((method, path, sorted(payload), response.status_code))
            continue
        error = error_of(response)
        # It names the field (an anchor that is no anchor is refused as unknown: fine).
        assert set(error["fields"]) & set(payload), (path, error)
    assert failures == []
    assert _snapshot() == before


def test_a_nul_in_an_imported_document_is_a_4xx(api, owner):
    before = _snapshot()
    for text in (
        "# Outage\x00 of checkout\n\n## Summary\n\nIt broke.\n",
        "# Outage of checkout\n\n## Summary\n\nIt\x00 broke.\n",
        "# Outage\n\n## Timeline\n\n- 14:00 Paged\x00 on-call\n",
    ):
        response = api.call("post", "/incidents/import", user=owner, body=text.encode(),
                            content_type="text/markdown")  # fmt: skip
        assert 400 <= response.status_code < 500, (text, response.content[:300])
        assert "NUL" in error_of(response)["message"], error_of(response)
    assert _snapshot() == before
