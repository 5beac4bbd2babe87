"""The History page: versions, the diff of two, restoring a section (tests with the real
test client over the real database; access control in tests/test_access_matrix.py)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kintsugi.history.models import Version
from kintsugi.history.services.recorder import record
from kintsugi.postmortems import services
from kintsugi.postmortems.models import Incident

pytestmark = pytest.mark.django_db


def _edit(incident, user, committed, **fields):
    with committed():
        return services.incident_update(
            user=user, incident=incident, version=incident.version, **fields
        )


@pytest.fixture
def edited(recorded, owner, teammate, committed):
    incident = _edit(recorded, owner, committed, impact="Payments failed for EU users.")
    return _edit(incident, teammate, committed, impact="Payments failed for all users.")


def test_history_lists_versions_newest_first_with_who_and_sections(edited, login, owner):
    page = login(owner).get(reverse("history", args=[edited.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index('data-testid="version-3"') < html.index('data-testid="version-1"')
    assert "bob" in html and "Summary" in html


def test_history_pages_by_number_with_constant_queries(
    recorded, owner, login, committed, django_assert_max_num_queries
):
    client = login(owner)
    client.get(reverse("history", args=[recorded.pk]))  # warm the session
    incident = recorded
    for n in range(30):
        incident = _edit(incident, owner, committed, impact=f"Impact {n}")
    with django_assert_max_num_queries(8):
        first = client.get(reverse("history", args=[recorded.pk]))
    assert 'data-testid="version-31"' in first.content.decode()
    assert 'data-testid="version-6"' not in first.content.decode()
    with django_assert_max_num_queries(8):
        older = client.get(reverse("history", args=[recorded.pk]), {"before": 7})
    assert 'data-testid="version-6"' in older.content.decode()
    assert 'data-testid="version-7"' not in older.content.decode()


def test_diff_shows_the_changed_words_escaped(recorded, owner, login, committed):
    _edit(recorded, owner, committed, impact="<script>window.__x=1</script> EU users")
    page = login(owner).get(reverse("history-diff", args=[recorded.pk]), {"from": 1, "to": 2})
    html = page.content.decode()
    assert page.status_code == 200
    assert "<ins>&lt;script&gt;" in html and "<script>window" not in html
    assert 'data-testid="diff-summary"' in html
    assert 'data-testid="diff-timeline"' not in html


def test_diff_of_a_500_event_timeline_answers_with_constant_queries(
    recorded, owner, login, committed, django_assert_max_num_queries
):
    from datetime import UTC, datetime, timedelta

    start = datetime(2026, 3, 1, 14, 1, tzinfo=UTC)
    with committed():
        services.timeline_events_add(
            user=owner,
            incident=recorded,
            events=[
                {"occurred_at": start + timedelta(seconds=n), "text": f"Event {n}"}
                for n in range(500)
            ],
        )
    event = recorded.events.order_by("id")[250]
    with committed():
        services.timeline_event_update(
            user=owner, event=event, version=event.version, text="Event 250, corrected"
        )
    client = login(owner)
    client.get(reverse("history", args=[recorded.pk]))
    with django_assert_max_num_queries(8):
        page = client.get(reverse("history-diff", args=[recorded.pk]), {"from": 2, "to": 3})
    html = page.content.decode()
    assert "1 changed, 499 unchanged" in html
    assert "<ins>, corrected</ins>" in html


@pytest.mark.parametrize(
    "query",
    [
        {"from": "abc", "to": "1"},
        {"from": "-1", "to": "1"},
        {"from": "1" * 400, "to": "1"},
        {"to": "1"},
        {"from": "1", "to": "<script>"},
    ],
)
def test_malformed_version_numbers_get_a_clear_message(recorded, owner, login, query):
    page = login(owner).get(reverse("history-diff", args=[recorded.pk]), query)
    assert page.status_code == 400
    assert "version" in page.content.decode()
    assert "<script>" not in page.content.decode()


def test_a_version_that_does_not_exist_is_404_with_a_message(recorded, owner, login):
    page = login(owner).get(reverse("history-diff", args=[recorded.pk]), {"from": 1, "to": 9})
    assert page.status_code == 404
    assert "no version 9" in page.content.decode()


def test_restore_posts_and_shows_the_restored_text(edited, owner, login, committed):
    client = login(owner)
    url = reverse("history-restore", args=[edited.pk, 2])
    with committed():
        answer = client.post(url, {"section": "summary", "seen": "3", "compare": "3"})
    assert answer.status_code == 302
    assert Incident.objects.get(pk=edited.pk).impact == "Payments failed for EU users."
    assert Version.objects.filter(incident=edited).first().restored_from == 2
    page = client.get(answer["Location"])
    assert "Summary restored from version 2." in page.content.decode()


def test_restore_of_a_section_changed_since_is_a_409_that_keeps_everything(
    edited, owner, teammate, login, committed
):
    _edit(Incident.objects.get(pk=edited.pk), teammate, committed, impact="Bob's newest words.")
    answer = login(owner).post(
        reverse("history-restore", args=[edited.pk, 2]),
        {"section": "summary", "seen": "3", "compare": "3"},
    )
    assert answer.status_code == 409
    assert "changed since version 3" in answer.content.decode()
    assert Incident.objects.get(pk=edited.pk).impact == "Bob's newest words."


@pytest.mark.parametrize(
    "data",
    [
        {"section": "summary"},
        {"section": "summary", "seen": "x" * 5000},
        {"section": "<img src=x onerror=alert(1)>", "seen": "3"},
        {"section": "timeline" * 1000, "seen": "3"},
    ],
)
def test_hostile_or_malformed_restores_are_refused_clearly(edited, owner, login, data):
    answer = login(owner).post(reverse("history-restore", args=[edited.pk, 2]), data)
    assert answer.status_code == 422
    html = answer.content.decode()
    assert 'data-testid="history-error"' in html
    assert "<img src=x" not in html
    assert Incident.objects.get(pk=edited.pk).impact == "Payments failed for all users."


def test_restore_refuses_get_readers_and_requests_without_csrf(edited, owner, viewer):
    url = reverse("history-restore", args=[edited.pk, 2])
    reader = Client()
    reader.force_login(viewer)
    assert reader.post(url, {"section": "summary", "seen": "3"}).status_code == 403
    careful = Client(enforce_csrf_checks=True)
    careful.force_login(owner)
    assert careful.post(url, {"section": "summary", "seen": "3"}).status_code == 403
    assert careful.get(url).status_code == 405
    assert Incident.objects.get(pk=edited.pk).impact == "Payments failed for all users."


def test_a_restricted_post_mortems_history_is_hidden_from_non_members(
    restricted_incident, owner, outsider, login
):
    record(restricted_incident.pk, user=owner)
    for name in ("history", "history-diff"):
        page = login(outsider).get(
            reverse(name, args=[restricted_incident.pk]), {"from": 1, "to": 1}
        )
        assert page.status_code == 404
    answer = login(outsider).post(
        reverse("history-restore", args=[restricted_incident.pk, 1]),
        {"section": "summary", "seen": "1"},
    )
    assert answer.status_code == 404


def test_a_version_page_shows_the_post_mortem_as_it_was_escaped_and_read_only(
    edited, owner, login, committed
):
    with committed():
        services.lesson_add(user=owner, incident=edited, kind="went_well", text="<b>Paged</b> fast")
    client = login(owner)
    listing = client.get(reverse("history", args=[edited.pk])).content.decode()
    url = reverse("history-version", args=[edited.pk, 2])
    assert f'href="{url}"' in listing
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Payments failed for EU users." in html
    assert "Payments failed for all users." not in html
    assert "Paged" not in html  # the lesson came later
    assert 'data-testid="compare-with-newest"' in html and "<form" not in html.split("<main")[-1]
    newest = client.get(reverse("history-version", args=[edited.pk, 4])).content.decode()
    assert "&lt;b&gt;Paged&lt;/b&gt; fast" in newest and "<b>Paged</b>" not in newest
    assert "This is the newest version." in newest


@pytest.mark.parametrize("number", [0, 99, 2_000_000_000, 99_999_999_999_999_999_999])
def test_a_version_that_does_not_exist_answers_404_with_the_reason(recorded, owner, login, number):
    page = login(owner).get(f"/incidents/{recorded.pk}/history/{number}/")
    assert page.status_code == 404
    assert f"no version {number}" in page.content.decode()


def test_a_restricted_post_mortems_version_page_is_hidden_from_non_members(
    recorded, owner, login, django_user_model
):
    Incident.objects.filter(pk=recorded.pk).update(is_restricted=True)
    stranger = django_user_model.objects.create_user("stranger", password="x" * 12)
    page = login(stranger).get(reverse("history-version", args=[recorded.pk, 1]))
    assert page.status_code == 404
    assert login(owner).get(reverse("history-version", args=[recorded.pk, 1])).status_code == 200
