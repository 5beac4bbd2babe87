"""The timeline editor shows the sanity warnings next to the timeline (issue 14.10)."""

from __future__ import annotations

from datetime import timedelta

from kintsugi.postmortems import services
from tests.web.conftest import HTMX, T0


def _add(client, incident, when, kind, text):
    return client.post(f"/incidents/{incident.pk}/timeline/add/",
                       {"occurred_at": when, "kind": kind, "text": text}, **HTMX)  # fmt: skip


def test_a_plausible_timeline_shows_no_warning(login, owner, incident):
    client = login(owner)
    _add(client, incident, "2026-03-01 14:00 UTC", "impact_started", "Errors begin")
    response = _add(client, incident, "2026-03-01 14:30 UTC", "mitigated", "Rolled back")
    assert response.status_code == 200
    assert 'data-testid="timeline-warnings"' not in response.content.decode()
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert 'data-testid="timeline-warnings"' not in page


def test_an_event_a_year_off_is_saved_and_shown_with_its_warning(login, owner, incident):
    client = login(owner)
    _add(client, incident, "2026-03-01 14:00 UTC", "impact_started", "Errors begin")
    _add(client, incident, "2026-03-01 14:05 UTC", "alert_fired", "Alert")
    response = _add(client, incident, "2027-03-01 14:30 UTC", "mitigated", "Rolled back")
    assert response.status_code == 200  # saved: a warning, not an error
    body = response.content.decode()
    assert 'data-testid="timeline-warnings"' in body
    assert body.index('data-testid="timeline-warnings"') < body.index('data-testid="timeline-list"')
    assert "Downtime is computed as 365 days" in body
    event = incident.events.get(kind="mitigated")
    assert f'href="#event-{event.pk}"' in body
    assert 'data-rule="timeline/outlier-event"' in body
    page = login(owner).get(f"/incidents/{incident.pk}/").content.decode()
    assert "Downtime is computed as 365 days" in page


def test_viewers_see_the_warnings_too_and_the_text_is_escaped(login, owner, viewer, incident):
    services.timeline_event_add(user=owner, incident=incident, occurred_at=T0 + timedelta(days=40),
                                text="<script>alert(1)</script>", kind="note")  # fmt: skip
    page = login(viewer).get(f"/incidents/{incident.pk}/").content.decode()
    assert 'data-testid="timeline-warnings"' in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
