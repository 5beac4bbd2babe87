"""``kintsugi tracker sync`` waits for the trackers' limits instead of stopping: their
documented pace (shrunk here to a second so the test is fast) and their Retry-After,
against the loopback fakes; a bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import io
import json
import time
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from kintsugi.postmortems.services.action_items import action_item_add
from kintsugi.trackers.models import JobState, SyncJob
from kintsugi.trackers.services.tickets import tickets_create_missing


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def sync(*args, err=None):
    out, err = io.StringIO(), err if err is not None else io.StringIO()
    call_command("tracker", "sync", *args, stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue()


@pytest.fixture
def items(incident, owner):
    return [action_item_add(user=owner, incident=incident, title=f"Item {n}") for n in range(12)]


@pytest.fixture
def small_pace(monkeypatch):
    """Five writes a second (and 100 a minute), for every tracker."""
    from kintsugi.core.trackers import backoff
    from kintsugi.trackers.providers import github, gitlab
    from kintsugi.trackers.services import sync as service

    monkeypatch.setattr(service, "MINUTE", timedelta(seconds=1))
    monkeypatch.setattr(service, "HOUR", timedelta(minutes=1))
    for cls in (github.GitHub, gitlab.GitLab):
        monkeypatch.setattr(cls, "writes_per_minute", 5)
        monkeypatch.setattr(cls, "writes_per_hour", 100)
    monkeypatch.setattr(backoff, "BASE", timedelta(milliseconds=100))


def _creates(fake):
    return [stamp for stamp, request in zip(fake.stamps, fake.requests, strict=True)
            if request[0] == "POST"]  # fmt: skip


def test_it_keeps_the_pace_and_finishes(fake, connection, items, owner, incident, small_pace):
    tickets_create_missing(user=owner, incident=incident)
    started = time.monotonic()
    result, err = sync()
    assert result["waiting"] == 0 and result["failed"] == 0 and result["seconds_waited"] > 0
    assert len(fake.issues) == 12 and time.monotonic() - started >= 2.0
    stamps = _creates(fake)
    assert len(stamps) == 12
    # No second holds more than five creates (the documented pace, shrunk).
    for i, first in enumerate(stamps):
        assert len([s for s in stamps[i:] if s - first < 0.95]) <= 5
    assert set(SyncJob.objects.values_list("state", flat=True)) == {JobState.DONE}
    assert "12/12" in err and "\r" not in err  # plain lines when not on a terminal


@pytest.mark.parametrize("status", [429, 403])
def test_it_waits_as_long_as_retry_after_says(
    fake, connection, items, owner, incident, small_pace, status
):
    tickets_create_missing(user=owner, incident=incident)
    headers = {"Retry-After": "2"}
    if status == 403:  # GitHub's secondary limit
        headers["x-ratelimit-remaining"] = "0"
    fake.faults.append((status, headers))
    result, _ = sync()
    assert result["waiting"] == 0 and result["failed"] == 0
    assert len(fake.issues) == 12  # nothing lost, nothing made twice
    refused_at = fake.stamps[0]
    assert all(stamp - refused_at >= 1.9 for stamp in fake.stamps[1:])  # nobody knocked early
    assert result["seconds_waited"] >= 1.5


def test_max_wait_stops_with_the_time_it_would_resume(
    fake, connection, items, owner, incident, small_pace
):
    tickets_create_missing(user=owner, incident=incident)
    fake.faults.append((429, {"Retry-After": "3600"}))
    started = time.monotonic()
    result, _ = sync("--max-wait", "0")
    assert time.monotonic() - started < 5
    assert result["waiting"] == 12 and "stopped: the next job is due at" in result["stopped"]


def test_a_terminal_gets_a_bar(fake, connection, items, owner, incident, small_pace):
    tickets_create_missing(user=owner, incident=incident)
    _, err = sync(err=Terminal())
    assert "\r[" in err and "#" * 30 in err and "12/12" in err
    assert "waiting for the tracker's rate limit until" in err


@pytest.mark.parametrize(
    "args", [["--max-wait", "-1"], ["--max-wait", "9999999"], ["--batch", "0"]]
)
def test_bad_options_are_refused(db, args):
    with pytest.raises(CommandError, match="is 1 to|is 0 to"):
        sync(*args)
