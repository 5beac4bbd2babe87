"""Email deliveries through a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from kintsugi.core.debt.weeks import IsoWeek
from kintsugi.debt.models import Delivery, DeliveryStatus, TeamDebtSettings
from kintsugi.debt.services.deliveries import deliver_due
from kintsugi.debt.services.weekly_review import enqueue_weekly_review
from tests.debt.conftest import NOW, TODAY
from tests.debt.servers import SmtpSink, free_port

pytest.importorskip("aiosmtpd")

W48 = IsoWeek(2026, 48)


@pytest.fixture
def review_team(team, owner, teammate, make_item):
    TeamDebtSettings.objects.create(
        team=team,
        review_enabled=True,
        review_weekday=0,
        review_time=time(9, 30),
        timezone="Europe/Berlin",
        review_email="platform-list@example.com",
    )
    make_item("Cap the <pool> & retry", owner=teammate, due_on=date(2026, 11, 16))
    return team


def _parts(message):
    return {part.get_content_type(): part for part in message.walk()}


def test_it_sends_the_weekly_review_as_multipart_email(settings, clock, review_team):
    with SmtpSink() as smtp:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
        enqueue_weekly_review(
            team=review_team, week=W48, today=TODAY, now=NOW, base_url="https://k.example.com"
        )
        report = deliver_due(now=clock.now)
    assert report.sent == 3 and report.failed == 0
    assert sorted(to for _, (to,) in smtp.envelopes) == [
        "alice@example.com",
        "bob@example.com",
        "platform-list@example.com",
    ]
    message = smtp.messages[0]
    assert message["Subject"] == "Weekly review 2026-W48 - team Platform"
    assert message.get_content_type() == "multipart/alternative"
    parts = _parts(message)
    text = parts["text/plain"].get_payload(decode=True).decode()
    html = parts["text/html"].get_payload(decode=True).decode()
    assert "1 overdue" in text and "Cap the <pool> & retry" in text
    assert "Cap the &lt;pool&gt; &amp; retry" in html and "<pool>" not in html
    assert "https://k.example.com/debt/weekly-review/?week=2026-W48&amp;team=platform" in html
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_it_records_an_unreachable_server_retries_and_loses_nothing(
    settings, clock, review_team, login, admin_user
):
    port = free_port()  # nothing listens here yet
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    enqueue_weekly_review(team=review_team, week=W48, today=TODAY, now=NOW, base_url="")
    report = deliver_due(now=clock.now)
    assert report.failed == 3
    failed = Delivery.objects.get(recipient="bob@example.com")
    assert failed.status == DeliveryStatus.RETRYING and failed.attempts == 1
    assert f"SMTP server 127.0.0.1:{port} is unreachable" in failed.last_error
    assert failed.next_attempt_at == NOW + timedelta(minutes=1)
    page = login(admin_user).get("/debt/deliveries/?status=retrying").content.decode()
    assert "is unreachable" in page and "Failed, will retry" in page

    clock.advance(timedelta(seconds=30))
    assert deliver_due(now=clock.now).sent == 0  # not due yet: backoff
    clock.advance(timedelta(seconds=31))
    with SmtpSink(port=port) as smtp:
        assert deliver_due(now=clock.now).sent == 3
        assert deliver_due(now=clock.now).sent == 0  # never twice
    assert len(smtp.messages) == 3
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == (DeliveryStatus.SENT, 2, "")
