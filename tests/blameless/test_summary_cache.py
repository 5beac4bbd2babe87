"""The blamelessness summary is linted once per version of the post-mortem (issue 20).

A spy counts the real linter's calls (it still lints): the second load of an unchanged
post-mortem must make none, and cost a small constant number of queries.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kintsugi.blameless.models import LanguageSettings, SummaryCache
from kintsugi.blameless.publishing import publishing_verdict
from kintsugi.blameless.services import language_settings_update
from kintsugi.blameless.summary_cache import cached_findings, forget, summary_key, summary_store
from kintsugi.postmortems import services
from kintsugi.postmortems.models import ActionItem, TimelineEvent

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 1, 14, 0, tzinfo=UTC)
BLAME = "the on-call engineer carelessly restarted the pool"


@pytest.fixture
def fixtures_committed() -> None:
    """The test's transaction never commits: the fixtures' own pending callbacks (creating
    the incident scheduled its summary) would stand in for those of the writes under test,
    which a real commit would have run before."""
    connection.run_on_commit.clear()


def _events(incident, count: int, start: int = 0) -> None:
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            incident=incident,
            occurred_at=T0 + timedelta(minutes=start + n),
            text=f"Step {start + n}: {BLAME}.",
        )
        for n in range(count)
    )


def _load(client, incident) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("incident-lint", args=[incident.pk]))
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


@pytest.mark.parametrize("size", [3, 60])
def test_the_second_load_lints_nothing_in_few_queries(
    size, incident, owner, login, lint_calls
) -> None:
    _events(incident, size)
    summary_store(incident)  # what the write path does after its commit
    assert len(lint_calls) >= size  # every event was linted
    client = login(owner)
    lint_calls.clear()
    _first_queries, first = _load(client, incident)
    lint_calls.clear()
    queries, second = _load(client, incident)
    assert lint_calls == []
    assert second == first
    assert "carelessly" in second
    # session, user, incident and its access, settings stamp, parts' versions, stored row
    assert queries <= 10, queries


def test_the_hit_costs_the_same_queries_for_3_or_300_events(incident, owner, login) -> None:
    _events(incident, 3)
    summary_store(incident)
    client = login(owner)
    few, _ = _load(client, incident)
    _events(incident, 297, start=3)
    summary_store(incident)
    many, _ = _load(client, incident)
    assert many == few


def test_an_edit_through_the_services_lints_again(incident, owner, lint_calls) -> None:
    _events(incident, 2)
    assert publishing_verdict(incident).counts["total"] >= 2
    event = TimelineEvent.objects.filter(incident=incident).first()
    # The same length of text, so nothing but the version can tell the change.
    services.timeline_event_update(
        user=owner, event=event, version=event.version, text="Step 0: the pool ran dry."
    )
    lint_calls.clear()
    after = publishing_verdict(incident)
    assert lint_calls  # linted again
    assert not any(f.item_id == event.pk for f in after.findings)


def test_the_incidents_own_text_is_in_the_key(incident, lint_calls) -> None:
    publishing_verdict(incident)
    incident.summary = f"Checkout failed because {BLAME}."
    incident.save()  # no version bump: the text itself is digested
    lint_calls.clear()
    verdict = publishing_verdict(incident)
    assert lint_calls
    assert any(f.field == "summary" for f in verdict.findings)


def test_added_and_deleted_parts_change_the_key(
    incident, owner, django_capture_on_commit_callbacks, fixtures_committed
) -> None:
    """The services' writes store the summary after their commit."""
    summary_store(incident)
    before = SummaryCache.objects.get(incident=incident).key
    with django_capture_on_commit_callbacks(execute=True):
        item = services.action_item_add(
            user=owner, incident=incident, title=f"Stop {BLAME}", priority="P2"
        )
    assert any(f.item_id == item.pk for f in publishing_verdict(incident).findings)
    middle = SummaryCache.objects.get(incident=incident).key
    with django_capture_on_commit_callbacks(execute=True):
        services.action_item_delete(user=owner, item=item)
    assert not publishing_verdict(incident).findings
    after = SummaryCache.objects.get(incident=incident).key
    assert len({before, middle}) == 2 and after != middle


def test_a_save_outside_the_services_drops_the_row(
    incident, lint_calls, django_capture_on_commit_callbacks, fixtures_committed
) -> None:
    """The admin saves a row without bumping its version: the signal forgets the row, and
    stores it linted anew after the commit."""
    _events(incident, 1)
    summary_store(incident)
    event = TimelineEvent.objects.get(incident=incident)
    event.text = "Step 0: the pool was restarted."
    with django_capture_on_commit_callbacks(execute=False) as pending:
        event.save()
    assert not SummaryCache.objects.filter(incident=incident).exists()
    assert not publishing_verdict(incident).findings
    for callback in pending:
        callback()
    stored = SummaryCache.objects.get(incident=incident)
    assert stored.findings["text"] == [] and "lint-clean" in stored.fragment


def test_new_language_settings_change_the_key(incident, admin_user, lint_calls) -> None:
    _events(incident, 1)
    assert publishing_verdict(incident).findings
    language_settings_update(user=admin_user, disabled_rules="blame/*\n")
    lint_calls.clear()
    after = publishing_verdict(incident)
    assert lint_calls
    assert not [f for f in after.findings if f.finding.rule.startswith("blame/")]


def test_the_gate_caches_what_it_linted_under_the_published_text(incident, owner) -> None:
    """The gate lints the text about to be saved; after the save, the page hits it."""
    incident.refresh_from_db()
    services.incident_update(
        user=owner,
        incident=incident,
        version=incident.version,
        status="published",
        summary=f"Sadly {BLAME}.",
    )
    incident.refresh_from_db()
    stored = SummaryCache.objects.filter(incident=incident).values_list("key", flat=True).first()
    stamp = LanguageSettings.objects.get().stamp
    assert stored == summary_key(incident, stamp)
    assert any(f.field == "summary" for f in publishing_verdict(incident).findings)


def test_a_row_in_another_format_or_broken_is_recomputed(incident, lint_calls) -> None:
    _events(incident, 1)
    mode, findings, whys = cached_findings(incident, store=True)
    SummaryCache.objects.filter(incident=incident).update(findings={"format": 0})
    lint_calls.clear()
    assert cached_findings(incident) == (mode, findings, whys)
    assert lint_calls
    SummaryCache.objects.filter(incident=incident).update(findings=["hostile", {"x": 1}])
    assert cached_findings(incident)[1] == findings


def test_five_whys_findings_round_trip(incident, owner, login) -> None:
    """5 Whys findings come back from the row equal to a fresh computation."""
    from kintsugi.five_whys import services as whys

    whys.step_add(user=owner, incident=incident, version=0, parent=None,
                  question="Why did checkout fail?", answer="Bob made a mistake.")  # fmt: skip
    _, _, fresh = cached_findings(incident, store=True)
    _, _, stored = cached_findings(incident)
    assert fresh and stored == fresh


def test_forget(incident) -> None:
    summary_store(incident)
    assert forget(incident.pk) == 1
    assert forget() == 0


def test_deleting_the_incident_deletes_the_row(incident, admin_user) -> None:
    summary_store(incident)
    services.incident_delete(user=admin_user, incident=incident)
    assert not SummaryCache.objects.exists()
    assert not ActionItem.objects.exists()
