"""The search on the real database (SQLite here, PostgreSQL with DATABASE_URL): what it
finds, what it hides, and that the index follows every kind of write."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def pairs(results):
    return {(hit.kind, hit.incident.pk) for hit in results.hits}


def test_it_finds_every_kind_of_content(written, owner, search_for):
    incident = written["incident"]
    written["whys"].step_add(
        user=owner,
        incident=incident,
        version=0,
        question="Why did the pool run out?",
        answer="Migrations held long transactions",
    )
    expected = {
        "pgbouncer": "event",
        "exhausted": "factor",
        "rollback": "lesson",
        "canary": "action",
        "OPS-4242": "action",
        "transactions": "why",
        "returned errors": "incident",
    }
    for text, kind in expected.items():
        assert (kind, incident.pk) in pairs(search_for(owner, text)), text


def test_it_stems_and_ranks(written, owner, search_for):
    results = search_for(owner, "migration")  # finds "migrations"
    assert {hit.kind for hit in results.hits} >= {"factor", "action"}
    assert results.total == len(results.hits)


def test_it_highlights_without_html(written, owner, search_for):
    hit = search_for(owner, "canary").hits[0]
    assert ("canary", True) in [(text.lower(), marked) for text, marked in hit.segments]


def test_it_hides_restricted_hits_from_outsiders(written, owner, outsider, viewer, search_for):
    restricted = written["restricted"]
    assert ("event", restricted.pk) in pairs(search_for(owner, "zanzibar"))
    for person in (outsider, viewer):
        results = search_for(person, "zanzibar")
        assert results.hits == [] and results.total == 0
        # Not even the incident's own text (its title) is found.
        assert search_for(person, "leaked").total == 0


def test_it_shows_restricted_hits_to_admins_and_members(written, admin_user, outsider, search_for):
    restricted = written["restricted"]
    assert search_for(admin_user, "zanzibar").total == 1
    restricted.members.add(outsider)
    assert search_for(outsider, "zanzibar").total == 1


def test_it_follows_edits_and_deletes(written, owner, search_for):
    from kintsugi.postmortems.models import Factor, Lesson

    Factor.objects.filter(title__startswith="Connection").update(title="Thread starvation")
    assert search_for(owner, "exhausted").total == 0
    assert search_for(owner, "starvation").total == 1
    Lesson.objects.all().delete()
    assert search_for(owner, "rollback").total == 0
    written["incident"].delete()
    assert search_for(owner, "canary").total == 0


def test_it_applies_the_list_filters(written, owner, search_for):
    incident = written["incident"]
    assert search_for(owner, "canary", team="platform").total == 1
    assert search_for(owner, "canary", severity="sev1").total == 0
    assert search_for(owner, "canary", status="published").total == 0
    assert search_for(owner, "canary", service="web").total == 1
    assert search_for(owner, "canary", open_actions="1").total == 1
    assert search_for(owner, "zanzibar", open_actions="1").total == 0
    day = incident.started_at.date().isoformat()
    assert search_for(owner, "canary", **{"from": day, "to": day}).total == 1
    assert search_for(owner, "canary", **{"from": "2026-03-02"}).total == 0


def test_it_reports_bad_filters_and_ignores_them(written, owner):
    from kintsugi.search.filters import parse_search_filters

    filters = parse_search_filters(
        {"team": "nope", "severity": "SEV9", "from": "tomorrow", "to": "2026-13-45"}
    )
    assert len(filters.errors) == 4 and not filters.any


def test_it_costs_the_same_queries_whatever_the_data(written, owner, search_for):
    from kintsugi.postmortems import services

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            search_for(owner, "checkout OR canary", team="platform")
        return len(captured)

    few = queries()
    for index in range(15):
        services.incident_create(
            user=owner,
            title=f"Checkout outage {index}",
            started_at=datetime(2026, 4, 1, tzinfo=UTC),
            severity="SEV3",
            team=written["incident"].team,
        )
    assert queries() == few


def test_signed_out_people_find_nothing(written, search_for):
    from django.contrib.auth.models import AnonymousUser

    assert search_for(AnonymousUser(), "canary").total == 0


def test_rebuild_writes_the_same_index(written, owner, search_for):
    from kintsugi.search import triggers
    from kintsugi.search.models import SearchEntry

    before = sorted(SearchEntry.objects.values_list("kind", "source_id", "body"))
    assert triggers.rebuild(connection) == len(before)
    assert sorted(SearchEntry.objects.values_list("kind", "source_id", "body")) == before
    assert search_for(owner, "canary").total == 1


@pytest.mark.django_db(transaction=True)
def test_unapplying_the_index_leaves_writes_working(owner, team):
    from django.core.management import call_command

    from kintsugi.postmortems import services

    call_command("migrate", "search", "zero", verbosity=0)
    try:
        incident = services.incident_create(
            user=owner, title="After unapply", started_at=datetime(2026, 1, 1, tzinfo=UTC)
        )
        services.lesson_add(user=owner, incident=incident, kind="went_well", text="Fine")
    finally:
        call_command("migrate", "search", verbosity=0)
    from kintsugi.search.models import SearchEntry

    assert SearchEntry.objects.filter(kind="lesson").exists()  # rebuilt on re-apply


def test_it_finds_review_comments_within_the_access_rules(written, owner, outsider, search_for):
    from kintsugi.reviews.models import Thread
    from kintsugi.reviews.services.comments import comment_reply, thread_start

    incident, restricted = written["incident"], written["restricted"]
    thread = thread_start(
        user=owner, incident=incident, anchor="section:factors", text="Was the queue depth graphed?"
    ).comment.thread
    comment_reply(user=owner, thread=thread, text="Only in the bouncer's own dashboard.")
    thread_start(
        user=owner, incident=restricted, anchor="section:timeline", text="Quokka rotated too?"
    )
    assert ("comment", incident.pk) in pairs(search_for(owner, "graphed"))
    assert ("comment", incident.pk) in pairs(search_for(owner, "dashboard"))
    hit = search_for(owner, "graphed").hits[0]
    assert (hit.label, hit.anchor) == ("Comment", "comments")
    # A comment is one of its incident's texts: hidden wherever the incident is.
    assert ("comment", restricted.pk) in pairs(search_for(owner, "quokka"))
    assert search_for(outsider, "quokka").total == 0
    # Rebuilt from the tables, the comments come back the same.
    from kintsugi.search import triggers
    from kintsugi.search.models import SearchEntry

    before = sorted(SearchEntry.objects.filter(kind="comment").values_list("source_id", "body"))
    triggers.rebuild(connection)
    after = sorted(SearchEntry.objects.filter(kind="comment").values_list("source_id", "body"))
    assert after == before and len(after) == 3
    # Deleting the thread takes its comments out of the index.
    Thread.objects.filter(pk=thread.pk).delete()
    assert search_for(owner, "graphed").total == 0
    assert search_for(owner, "dashboard").total == 0
