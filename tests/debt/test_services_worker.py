"""The worker's pass, travelling through weeks with a manual clock: reminders and reviews."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from django.core.management import call_command

from kintsugi.debt.models import Delivery, DeliveryStatus, PersonDebtSettings, TeamDebtSettings
from kintsugi.debt.services.worker import run_pass
from kintsugi.postmortems import services
from tests.debt.conftest import at


class Recorder:
    """A transport that records what would have gone out."""

    def __init__(self):
        self.sent: list[tuple[str, str, str]] = []

    def __call__(self, delivery, now):
        self.sent.append((delivery.idempotency_key, delivery.channel, delivery.recipient))

    @property
    def transports(self):
        return {"email": self, "slack": self}


@pytest.fixture
def recorder():
    return Recorder()


def _pass(clock, recorder):
    return run_pass(clock=clock, transports=recorder.transports)


def test_it_reminds_the_owner_then_tells_the_lead(clock, make_item, teammate, owner, recorder):
    item = make_item("Cap the pool", owner=teammate, due_on=date(2026, 11, 27))
    _pass(clock, recorder)
    _pass(clock, recorder)  # a second pass (or worker) sends nothing twice
    assert recorder.sent == [
        (f"debt-reminder:{item.pk}:before_due:2026-11-27", "email", "bob@example.com")
    ]
    clock.set(at(date(2026, 11, 28), 7))
    _pass(clock, recorder)
    assert recorder.sent[-1] == (
        f"debt-reminder:{item.pk}:overdue:2026-11-27",
        "email",
        "bob@example.com",
    )
    clock.set(at(date(2026, 12, 1), 7))  # 3 days after it became overdue
    _pass(clock, recorder)
    assert recorder.sent[-1] == (
        f"debt-reminder:{item.pk}:escalate_to_lead:2026-11-27",
        "email",
        "alice@example.com",
    )
    assert len(recorder.sent) == 3
    message = Delivery.objects.get(idempotency_key__contains="escalate")
    assert message.subject == "Escalation: Cap the pool is 4 days overdue"
    assert "owner Bob Diaz" in message.body_text  # the name, not the username


def test_it_catches_up_after_downtime_but_skips_due_soon_once_overdue(
    clock, make_item, teammate, recorder
):
    make_item("Cap the pool", owner=teammate, due_on=date(2026, 11, 20))
    _pass(clock, recorder)  # five days overdue: overdue and escalation, no "due soon"
    assert sorted(key.split(":")[2] for key, _, _ in recorder.sent) == [
        "escalate_to_lead",
        "overdue",
    ]


def test_it_reminds_again_when_the_target_date_moves(clock, make_item, teammate, recorder):
    item = make_item("Cap the pool", owner=teammate, due_on=date(2026, 11, 26))
    _pass(clock, recorder)
    services.action_item_update(
        user=None, item=item, version=item.version, due_on=date(2026, 11, 27)
    )
    _pass(clock, recorder)
    assert [key for key, _, _ in recorder.sent] == [
        f"debt-reminder:{item.pk}:before_due:2026-11-26",
        f"debt-reminder:{item.pk}:before_due:2026-11-27",
    ]


def test_it_follows_personal_and_team_settings(
    clock, make_item, teammate, team, recorder, hook_url="https://hooks.example.com/x"
):
    PersonDebtSettings.objects.create(user=teammate, email_enabled=False, slack_member_id="U1")
    TeamDebtSettings.objects.create(team=team, slack_webhook_url=hook_url, remind_before_days=None)
    make_item("Not yet due", owner=teammate, due_on=date(2026, 11, 26))
    overdue = make_item("Overdue", owner=teammate, due_on=date(2026, 11, 24))
    _pass(clock, recorder)
    assert recorder.sent == [
        (f"debt-reminder:{overdue.pk}:overdue:2026-11-24", "slack", f"team:{team.pk}")
    ]
    payload = Delivery.objects.get(channel="slack").payload
    assert payload["blocks"][0]["text"]["text"].startswith("<@U1>: *<")


def test_it_records_a_reminder_nobody_can_receive(clock, make_item, recorder, login, admin_user):
    make_item("Orphan", owner=None, due_on=date(2026, 11, 24), incident=None)
    _pass(clock, recorder)
    skipped = Delivery.objects.filter(status=DeliveryStatus.SKIPPED)
    assert {d.last_error for d in skipped} == {
        "No recipient: the item has no owner.",
    } | ({"No recipient: the item's team has no lead."} if skipped.count() > 1 else set())
    assert recorder.sent == []
    assert "No recipient" in login(admin_user).get("/debt/deliveries/").content.decode()


def test_it_never_reminds_closed_or_undated_items(clock, make_item, teammate, recorder):
    make_item(
        "Done", owner=teammate, due_on=date(2026, 11, 20), status="done", closed=date(2026, 11, 21)
    )
    make_item(
        "Won't",
        owner=teammate,
        due_on=date(2026, 11, 20),
        status="wont_do",
        status_reason="Retired",
        closed=date(2026, 11, 21),
    )
    undated = make_item("No date", owner=teammate, due_on=date(2026, 11, 20))
    type(undated).objects.filter(pk=undated.pk).update(due_on=None)
    _pass(clock, recorder)
    assert recorder.sent == []


def test_it_sends_the_weekly_review_on_the_team_schedule_across_dst(
    clock, team, owner, make_item, recorder
):
    TeamDebtSettings.objects.create(
        team=team,
        review_enabled=True,
        review_weekday=0,
        review_time=time(9, 30),
        timezone="Europe/Berlin",
    )
    _pass(clock, recorder)  # first pass: only schedules the next run
    settings = TeamDebtSettings.objects.get(team=team)
    assert settings.next_review_at == datetime(2026, 11, 30, 8, 30, tzinfo=UTC)  # CET
    assert not [s for s in recorder.sent if s[0].startswith("debt-review")]
    clock.set(datetime(2026, 11, 30, 8, 29, tzinfo=UTC))
    _pass(clock, recorder)
    assert not [s for s in recorder.sent if s[0].startswith("debt-review")]
    clock.set(datetime(2026, 11, 30, 8, 31, tzinfo=UTC))
    _pass(clock, recorder)
    _pass(clock, recorder)
    reviews = [s for s in recorder.sent if s[0].startswith("debt-review")]
    assert reviews == [(f"debt-review:{team.pk}:2026-W49", "email", "alice@example.com")]
    settings.refresh_from_db()
    assert settings.next_review_at == datetime(2026, 12, 7, 8, 30, tzinfo=UTC)


def test_the_worker_command_runs_one_pass(clock, make_item, teammate, capsys, settings):
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    make_item("Cap the pool", owner=teammate, due_on=date(2026, 11, 24))
    call_command("worker", "--once", clock=clock)
    out = capsys.readouterr().out
    assert "worker: 0 review(s) due" in out and "failed (will retry)" in out
    assert Delivery.objects.filter(status=DeliveryStatus.RETRYING).exists()


def test_the_worker_refuses_bad_options():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--interval"):
        call_command("worker", "--interval", "0")


def test_it_stops_at_the_end_of_the_current_pass(clock, db):
    import threading

    from django.db import connections

    stop = threading.Event()

    def run():
        try:
            call_command("worker", clock=clock, stop=stop, interval=60)
        finally:
            connections.close_all()  # this thread's own connection

    worker = threading.Thread(target=run)
    worker.start()
    stop.set()
    worker.join(timeout=10)
    assert not worker.is_alive()
