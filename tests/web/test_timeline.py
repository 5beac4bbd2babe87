"""Timeline events: add, edit, delete in place, with bad input and concurrent edits."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from kintsugi.postmortems import services
from kintsugi.postmortems.models import TimelineEvent
from tests.web.conftest import HTMX, T0, assert_fragment


def _add_url(incident):
    return f"/incidents/{incident.pk}/timeline/add/"


def _data(**overrides):
    data = {
        "occurred_at": "2026-03-01 15:04+01:00",
        "kind": "alert_fired",
        "text": "HTTP 5xx alert fired",
        "author": "bob",
        "evidence_url": "https://grafana.example.com/d/1",
    }
    data.update(overrides)
    return data


def test_it_opens_the_add_form_as_a_fragment(login, owner, incident):
    response = login(owner).get(_add_url(incident), **HTMX)
    assert response.status_code == 200
    assert_fragment(response)
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="timeline-add"')
    assert 'data-testid="timeline-add-form"' in body
    assert "Europe/Paris" in body  # the time format is explained


def test_it_closes_the_add_form(login, owner, incident):
    body = login(owner).get(_add_url(incident) + "?closed=1", **HTMX).content.decode()
    assert 'data-testid="timeline-add"' in body and "<form" not in body


def test_it_adds_an_event_and_returns_the_timeline_with_fresh_metrics(
    login, owner, teammate, incident
):
    response = login(owner).post(_add_url(incident), _data(), **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#timeline"
    assert_fragment(response)
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="timeline"')
    assert "HTTP 5xx alert fired" in body
    assert "2026-03-01 14:04 UTC" in body  # stored and shown in UTC
    assert 'hx-swap-oob="true"' in body and 'data-testid="metric-ttd">4m<' in body
    assert 'data-testid="timeline-add-form"' in body  # ready for the next event
    assert 'value="2026-03-01 14:04 UTC"' in body  # starting from this event's time
    assert "section-factors" not in body
    event = TimelineEvent.objects.get()
    assert event.occurred_at == datetime(2026, 3, 1, 14, 4, tzinfo=UTC)
    assert event.author == teammate


def test_it_adds_with_a_plain_post_and_redirects(login, owner, teammate, incident):
    response = login(owner).post(_add_url(incident), _data())
    assert response.status_code == 302
    assert response["Location"] == f"/incidents/{incident.pk}/#timeline"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"text": ""}, "The event text is required."),
        ({"text": "   \n "}, "The event text is required."),
        ({"text": "x" * 2001}, "the limit is 2,000"),
        ({"occurred_at": "2026-03-01 14:04"}, "Add a timezone to this time"),
        ({"occurred_at": ""}, "A time is required."),
        ({"evidence_url": "javascript:alert(1)"}, "must be a full http:// or https:// address"),
        ({"evidence_url": "ftp://example.com/x"}, "must be a full http:// or https:// address"),
        ({"author": "ghost"}, "Unknown author “ghost”"),
        ({"kind": "exploded"}, "is not one of the choices offered"),
    ],
)
def test_it_refuses_bad_input_and_keeps_the_rest(
    login, owner, teammate, incident, overrides, message
):
    response = login(owner).post(_add_url(incident), _data(**overrides), **HTMX)
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#timeline-add"
    body = response.content.decode()
    assert message in body
    kept = _data(**overrides)
    if "text" not in overrides:
        assert kept["text"] in body
    for name in ("occurred_at", "evidence_url"):
        if name not in overrides:
            assert f'value="{kept[name]}"' in body
    if "author" not in overrides:
        assert '<option value="bob" selected>' in body
    assert not TimelineEvent.objects.exists()


def test_it_refuses_a_mitigation_before_the_detection(login, owner, teammate, incident):
    client = login(owner)
    client.post(_add_url(incident), _data(occurred_at="2026-03-01 14:20 UTC"), **HTMX)
    response = client.post(
        _add_url(incident),
        _data(kind="mitigated", occurred_at="2026-03-01 14:10 UTC", text="Rolled back"),
        **HTMX,
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "&#x27;Mitigated&#x27; (2026-03-01 14:10 UTC) is before &#x27;Alert fired&#x27;" in body
    assert "Rolled back" in body
    assert TimelineEvent.objects.count() == 1


def _event(owner, incident, text="First text"):
    return services.timeline_event_add(
        user=owner, incident=incident, text=text, occurred_at=T0 + timedelta(minutes=5)
    )


def test_it_edits_an_event_in_place(login, owner, incident):
    event = _event(owner, incident)
    client = login(owner)
    form = client.get(f"/incidents/{incident.pk}/timeline/{event.pk}/edit/", **HTMX)
    assert_fragment(form)
    body = form.content.decode()
    assert body.lstrip().startswith(f'<li id="event-{event.pk}"')
    assert 'value="2026-03-01 14:05 UTC"' in body and 'name="version" value="1"' in body
    response = client.post(
        f"/incidents/{incident.pk}/timeline/{event.pk}/edit/",
        {
            "version": 1,
            "occurred_at": "2026-03-01 14:06 UTC",
            "kind": "note",
            "text": "Edited text",
            "author": "",
            "evidence_url": "",
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#timeline"
    assert "Edited text" in response.content.decode()
    event.refresh_from_db()
    assert (event.text, event.version) == ("Edited text", 2)


def test_it_refuses_the_second_of_two_concurrent_edits(login, owner, teammate, incident):
    event = _event(owner, incident)
    url = f"/incidents/{incident.pk}/timeline/{event.pk}/edit/"
    base = {
        "version": 1,
        "occurred_at": "2026-03-01 14:05 UTC",
        "kind": "note",
        "author": "",
        "evidence_url": "",
    }
    assert login(owner).post(url, {**base, "text": "Alice wrote this"}, **HTMX).status_code == 200
    response = login(teammate).post(url, {**base, "text": "Bob wrote that"}, **HTMX)
    assert response.status_code == 409
    assert response["HX-Retarget"] == f"#event-{event.pk}"
    body = response.content.decode()
    assert "Someone else saved this section" in body
    assert "Alice wrote this" in body and "Bob wrote that" in body
    assert 'name="version" value="2"' in body
    event.refresh_from_db()
    assert event.text == "Alice wrote this"


def test_it_returns_the_row_for_cancel(login, owner, viewer, incident):
    event = _event(owner, incident)
    response = login(viewer).get(f"/incidents/{incident.pk}/timeline/{event.pk}/", **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<li id="event-{event.pk}"')
    assert "event-edit" not in body


def test_it_deletes_an_event(login, owner, incident):
    event = _event(owner, incident)
    response = login(owner).post(f"/incidents/{incident.pk}/timeline/{event.pk}/delete/", **HTMX)
    assert response.status_code == 200
    assert 'data-testid="timeline-empty"' in response.content.decode()
    assert not TimelineEvent.objects.exists()


def test_it_refuses_get_on_delete(login, owner, incident):
    event = _event(owner, incident)
    assert (
        login(owner).get(f"/incidents/{incident.pk}/timeline/{event.pk}/delete/").status_code == 405
    )


def test_it_does_not_reach_events_of_another_incident(login, owner, incident, restricted_incident):
    event = _event(owner, restricted_incident)
    url = f"/incidents/{incident.pk}/timeline/{event.pk}/edit/"
    assert login(owner).get(url, **HTMX).status_code == 404


def _page(client, incident) -> str:
    return client.get(f"/incidents/{incident.pk}/").content.decode()


def test_an_edited_event_shows_its_new_text_at_once(login, owner, incident):
    """Rows are remembered between views (kintsugi.web.rows); an edit must never show the
    remembered row."""
    event = _event(owner, incident, text="Pool *exhausted*")
    client = login(owner)
    assert "Pool <em>exhausted</em>" in _page(client, incident)
    services.timeline_event_update(
        user=owner, event=event, version=event.version, text="Pool **saturated**"
    )
    body = _page(client, incident)
    assert "Pool <strong>saturated</strong>" in body and "exhausted" not in body


def test_a_row_changed_without_a_new_version_is_not_shown_stale(login, owner, teammate, incident):
    """A restored backup, a fix in the database, or an author's new name change what a row
    shows without touching its version: the remembered rows are keyed on what they show."""
    event = services.timeline_event_add(
        user=owner, incident=incident, text="Before", occurred_at=T0, author=teammate
    )
    client = login(owner)
    body = _page(client, incident)
    assert "Before" in body and ">Bob Diaz<" in body
    TimelineEvent.objects.filter(pk=event.pk).update(
        text="After", evidence_url="https://grafana.example.com/d/9", kind="mitigated"
    )
    teammate.first_name = "Robert"
    teammate.save()
    body = _page(client, incident)
    assert "After" in body and "Before" not in body
    assert ">Robert Diaz<" in body and "Bob Diaz" not in body
    assert 'href="https://grafana.example.com/d/9"' in body
    assert 'data-testid="event-kind">Mitigated<' in body
    assert TimelineEvent.objects.get(pk=event.pk).version == event.version


def test_the_remembered_rows_still_carry_this_request_s_buttons(login, owner, viewer, incident):
    event = _event(owner, incident)
    editor_page = _page(login(owner), incident)
    reader_page = _page(login(viewer), incident)  # the same row, from memory
    assert f'hx-get="/incidents/{incident.pk}/timeline/{event.pk}/edit/"' in editor_page
    assert 'data-testid="event-delete"' in editor_page
    assert 'data-testid="event-edit"' not in reader_page
    assert "First text" in reader_page


def test_a_remembered_row_s_delete_form_carries_this_request_s_csrf_token(owner, incident):
    """Rows are remembered with a slot for the token; each page fills in its own, so the
    delete works with CSRF checks on, and the slot itself never reaches the browser."""
    import re

    from django.test import Client

    first, second = _event(owner, incident, "Kept"), _event(owner, incident, "Deleted")
    tokens = []
    for _ in range(2):  # the second page is served from the remembered rows
        client = Client(enforce_csrf_checks=True)
        client.force_login(owner)
        page = _page(client, incident)
        assert "csrf-slot-" not in page
        row = page[page.index(f'id="event-{second.pk}"') :]
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', row).group(1))
    delete = f"/incidents/{incident.pk}/timeline/{second.pk}/delete/"
    response = client.post(delete, {"csrfmiddlewaretoken": tokens[-1]}, **HTMX)
    assert response.status_code == 200
    assert list(TimelineEvent.objects.values_list("pk", flat=True)) == [first.pk]


def test_an_instant_given_in_another_zone_is_shown_in_utc():
    from kintsugi.postmortems.selectors import EventRow
    from kintsugi.web.rows import event_row

    paris = timezone(timedelta(hours=1))
    utc_row = EventRow(1, 1, T0, "note", "Same", "", 1, None, None, "")
    paris_row = EventRow(1, 1, T0.astimezone(paris), "note", "Same", "", 1, None, None, "")
    for row in (paris_row, utc_row):
        html = event_row(row, base_url="/t/", can_edit=False, csrf_token="")
        assert 'datetime="2026-03-01T14:00:00+00:00"' in html
        assert ">2026-03-01 14:00 UTC<" in html
