"""Who stores the blamelessness summary, and how fast the worker catches up (issue 20).

A web edit of an ordinary post-mortem stores it after the commit; bulk writers (inside
``deferred``) and post-mortems above ``KINTSUGI_SUMMARY_INLINE_PARTS`` leave it to the
worker, whose ``fill_missing`` stores for a time budget per pass, most recently changed
first, and finds the rows an upgrade made stale by their generation.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction

from kintsugi.blameless import summary_cache
from kintsugi.blameless.models import SummaryCache
from kintsugi.blameless.summary_cache import deferred, fill_missing, summary_store
from kintsugi.postmortems import services
from kintsugi.postmortems.models import Incident

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 1, 14, 0, tzinfo=UTC)


class Steps:
    """A clock that advances ``step`` seconds each time it is read."""

    def __init__(self, step: float) -> None:
        self.now = 0.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def _incidents(team, count: int) -> list[Incident]:
    made = []
    for n in range(count):
        made.append(
            Incident.objects.create(
                title=f"Outage {n}",
                team=team,
                started_at=T0,
                summary="The engineer carelessly restarted it.",
            )  # fmt: skip
        )
    # Changed at different times: n minutes after T0 (the newest is the last made).
    for n, incident in enumerate(made):
        Incident.objects.filter(pk=incident.pk).update(updated_at=T0 + timedelta(minutes=n))
    SummaryCache.objects.all().delete()
    return made


def _add(owner, incident, n: int = 0):
    return services.timeline_event_add(user=owner, incident=incident,
                                       occurred_at=T0 + timedelta(minutes=n), text=f"Event {n}")  # fmt: skip


def test_a_small_web_edit_stores_a_large_one_defers(
    incident, owner, settings, django_capture_on_commit_callbacks, lint_calls
) -> None:
    connection.run_on_commit.clear()
    settings.KINTSUGI_SUMMARY_INLINE_PARTS = 2
    with django_capture_on_commit_callbacks(execute=True):
        _add(owner, incident, 0)
    assert SummaryCache.objects.filter(incident=incident).exists()  # 1 part: stored
    for n in (1, 2):
        with django_capture_on_commit_callbacks(execute=True):
            _add(owner, incident, n)
    # 3 parts, above the limit: the stale row is dropped, nothing linted after the commit.
    assert not SummaryCache.objects.filter(incident=incident).exists()
    lint_calls.clear()
    assert fill_missing() == 1 and lint_calls
    assert SummaryCache.objects.filter(incident=incident).exists()


def test_writes_inside_deferred_lint_nothing(
    incident, owner, django_capture_on_commit_callbacks, lint_calls
) -> None:
    connection.run_on_commit.clear()
    summary_store(incident)
    lint_calls.clear()
    with django_capture_on_commit_callbacks(execute=True), deferred(), transaction.atomic():
        for n in range(5):
            _add(owner, incident, n)
    assert lint_calls == []
    assert not SummaryCache.objects.filter(incident=incident).exists()


def test_one_deferred_write_defers_the_whole_transaction(
    incident, owner, django_capture_on_commit_callbacks, lint_calls
) -> None:
    """A web save and an ingest in one transaction: one callback, and it lints nothing."""
    connection.run_on_commit.clear()
    with django_capture_on_commit_callbacks(execute=False) as pending, transaction.atomic():
        _add(owner, incident, 0)
        with deferred():
            _add(owner, incident, 1)
    stores = [c for c in pending if getattr(c, "summary_incident", None) == incident.pk]
    assert len(stores) == 1
    lint_calls.clear()
    stores[0]()
    assert lint_calls == []


def test_deferred_is_undone_on_exit_even_after_an_error() -> None:
    with pytest.raises(RuntimeError), deferred():
        assert summary_cache._deferring.get()
        raise RuntimeError("boom")
    assert summary_cache._deferring.get() is False


def test_fill_stops_when_its_time_is_spent(team) -> None:
    _incidents(team, 6)
    # Each store reads the clock once; 1 s per read against a 2.5 s budget: three stores.
    assert fill_missing(seconds=2.5, clock=Steps(1.0)) == 3
    assert SummaryCache.objects.count() == 3
    # A budget too small for one lint still stores one per pass.
    assert fill_missing(seconds=0.0, clock=Steps(1.0)) == 1
    assert fill_missing(seconds=60, clock=Steps(0.0)) == 2
    assert fill_missing(seconds=60, clock=Steps(0.0)) == 0


def test_the_most_recently_changed_are_filled_first(team) -> None:
    made = _incidents(team, 5)
    assert fill_missing(seconds=1.5, clock=Steps(1.0)) == 2
    stored = set(SummaryCache.objects.values_list("incident_id", flat=True))
    assert stored == {made[-1].pk, made[-2].pk}


def test_an_upgrade_refills_every_stale_row_in_one_pass(team, monkeypatch) -> None:
    """New rules change every key; the rows are found by generation, well beyond the 20
    a pass used to store."""
    made = _incidents(team, 30)
    assert fill_missing(seconds=60) == 30
    before = dict(SummaryCache.objects.values_list("incident_id", "generation"))
    assert fill_missing(seconds=60) == 0  # all current
    monkeypatch.setattr(summary_cache, "engine_digest", lambda: "a-new-release")
    assert fill_missing(seconds=60) == 30
    after = dict(SummaryCache.objects.values_list("incident_id", "generation"))
    assert set(after) == {i.pk for i in made}
    assert all(after[pk] != before[pk] for pk in after)
    assert fill_missing(seconds=60) == 0


def test_a_row_from_before_the_generation_column_is_marked_without_linting(
    incident, lint_calls
) -> None:
    summary_store(incident)
    SummaryCache.objects.update(generation="")
    lint_calls.clear()
    assert fill_missing(seconds=60) == 1
    assert lint_calls == []  # its key still matched: only the generation was written
    assert SummaryCache.objects.get(incident=incident).generation


def test_one_failing_incident_does_not_stop_the_others(team, monkeypatch) -> None:
    made = _incidents(team, 3)
    real = summary_cache.summary_store

    def store(incident, **kwargs):
        if incident.pk == made[1].pk:
            raise ValueError("broken row")
        return real(incident, **kwargs)

    monkeypatch.setattr(summary_cache, "summary_store", store)
    assert fill_missing(seconds=60) == 2  # tried once each in the pass, no endless retry
    assert not SummaryCache.objects.filter(incident=made[1]).exists()


def test_the_budget_setting_is_read(team, settings) -> None:
    _incidents(team, 4)
    settings.KINTSUGI_SUMMARY_FILL_MS = 1500
    assert fill_missing(clock=Steps(1.0)) == 2
