"""A GET of the blamelessness summary never writes, and sends the stored fragment when the
post-mortem is unchanged (issue 20: rendering 100 findings took about 160 ms per load).

Rows are stored by writes: the commit hook of a service's save, the publishing gate, and
the worker's fill step. SQL is captured for real (``CaptureQueriesContext``).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kintsugi.blameless.models import SummaryCache
from kintsugi.blameless.services import organisation_linter
from kintsugi.blameless.summary_cache import fill_missing, summary_read, summary_store
from kintsugi.core.debt.clock import FixedClock
from kintsugi.debt.services.worker import run_pass
from kintsugi.postmortems import services
from kintsugi.postmortems.models import TimelineEvent

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 1, 14, 0, tzinfo=UTC)
BLAME = "the on-call engineer carelessly restarted the pool"
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def _events(incident, count: int, text: str = BLAME) -> None:
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            incident=incident, occurred_at=T0 + timedelta(minutes=n), text=f"Step {n}: {text}."
        )  # fmt: skip
        for n in range(count)
    )


def _get(client, incident) -> tuple[list[str], str, int]:
    url = reverse("incident-lint", args=[incident.pk])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return (
        [q["sql"] for q in captured.captured_queries],
        response.content.decode(),
        response.status_code,
    )


def _writes(sql: list[str]) -> list[str]:
    return [statement for statement in sql if WRITES.match(statement)]


def test_it_writes_nothing_on_a_miss(incident, owner, login, lint_calls) -> None:
    _events(incident, 5)
    organisation_linter()  # a new database creates its settings row once, on first use
    SummaryCache.objects.all().delete()
    client = login(owner)
    sql, body, status = _get(client, incident)
    assert status == 200 and "carelessly" in body
    assert lint_calls  # linted, since nothing was stored
    assert _writes(sql) == []
    assert not SummaryCache.objects.filter(incident=incident).exists()


def test_it_sends_the_stored_fragment_without_linting_or_rendering(
    incident, owner, login, lint_calls
) -> None:
    _events(incident, 40)
    stored = summary_store(incident)
    assert stored.fragment and "carelessly" in stored.fragment
    client = login(owner)
    _sql, fresh_render, _ = _get(client, incident)  # stored: sent as is
    lint_calls.clear()
    sql, body, status = _get(client, incident)
    assert status == 200 and lint_calls == []
    assert body == stored.fragment == fresh_render
    assert _writes(sql) == []
    # session, user, incident and its access, settings stamp, parts' versions, stored row
    assert len(sql) <= 10, sql


def test_the_stored_fragment_equals_a_fresh_render(incident, owner, login) -> None:
    """Sent as stored or rendered on a miss, a reader gets the same bytes."""
    _events(incident, 7)
    client = login(owner)
    _sql, rendered, _ = _get(client, incident)
    summary_store(incident)
    _sql, stored, _ = _get(client, incident)
    assert stored == rendered


def test_a_save_stores_the_summary_after_its_commit(
    incident, owner, login, django_capture_on_commit_callbacks, lint_calls
) -> None:
    connection.run_on_commit.clear()  # the fixtures' callbacks: this transaction never commits
    with django_capture_on_commit_callbacks(execute=True):
        services.timeline_event_add(user=owner, incident=incident, occurred_at=T0,
                                    text=f"Then {BLAME}.")  # fmt: skip
        services.timeline_event_add(user=owner, incident=incident,
                                    occurred_at=T0 + timedelta(minutes=1), text="Pool resized.")  # fmt: skip
    row = SummaryCache.objects.get(incident=incident)
    assert "carelessly" in row.fragment
    lint_calls.clear()
    sql, body, _ = _get(login(owner), incident)
    assert body == row.fragment and lint_calls == [] and _writes(sql) == []


def test_one_transaction_stores_once_however_many_parts_it_saved(
    incident, owner, django_capture_on_commit_callbacks
) -> None:
    connection.run_on_commit.clear()
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=False) as pending, transaction.atomic():
        for n in range(5):
            services.timeline_event_add(user=owner, incident=incident,
                                            occurred_at=T0 + timedelta(minutes=n), text=f"E {n}")  # fmt: skip
    stores = [c for c in pending if getattr(c, "summary_incident", None) == incident.pk]
    assert len(stores) == 1


def test_a_rolled_back_save_stores_nothing(
    incident, owner, django_capture_on_commit_callbacks
) -> None:
    from django.db import transaction

    connection.run_on_commit.clear()
    with (
        django_capture_on_commit_callbacks(execute=True) as pending,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.timeline_event_add(user=owner, incident=incident, occurred_at=T0,
                                        text=f"Then {BLAME}.")  # fmt: skip
        raise RuntimeError("rolled back")
    assert pending == []
    assert not SummaryCache.objects.filter(incident=incident).exists()


def test_the_fragment_is_escaped_and_shows_no_token(incident, owner, login) -> None:
    _events(incident, 1, text="<script>alert(1)</script> the engineer carelessly ran it")
    stored = summary_store(incident)
    assert "<script>alert(1)</script>" not in stored.fragment
    assert "carelessly" in stored.fragment
    assert "csrfmiddlewaretoken" not in stored.fragment and owner.username not in stored.fragment


def test_someone_who_may_not_see_it_gets_404_even_when_stored(
    restricted_incident, outsider, login
) -> None:
    _events(restricted_incident, 3)
    summary_store(restricted_incident)
    sql, body, status = _get(login(outsider), restricted_incident)
    assert status == 404 and "carelessly" not in body and _writes(sql) == []


def test_a_new_template_stamp_is_a_new_key(incident, monkeypatch, lint_calls) -> None:
    from kintsugi.blameless import summary_cache

    _events(incident, 2)
    summary_store(incident)
    stamp, render = summary_cache._renderer
    monkeypatch.setattr(summary_cache, "_renderer", ("another", render))
    lint_calls.clear()
    assert summary_read(incident).fragment == ""  # missed: rendered by the caller
    assert lint_calls


def test_the_worker_fills_incidents_without_a_row(incident, restricted_incident) -> None:
    _events(incident, 2)
    SummaryCache.objects.all().delete()
    report = run_pass(clock=FixedClock(T0 + timedelta(days=1)))
    assert report.steps["summaries stored"] == "2"
    assert SummaryCache.objects.filter(incident=incident).exclude(fragment="").exists()
    assert fill_missing() == 0  # the next pass has nothing to do
