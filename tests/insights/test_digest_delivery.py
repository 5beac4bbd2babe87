"""The monthly digest by email, through the debt deliveries and a real SMTP server on
loopback; each member gets what they may see, the team's list no restricted one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kintsugi.debt.models import Delivery, TeamDebtSettings
from kintsugi.debt.services.deliveries import deliver_due
from tests.debt.servers import SmtpSink, WebhookServer

pytest.importorskip("aiosmtpd")

NOV = datetime(2026, 11, 3, 9, tzinfo=UTC)


def _text(message) -> str:
    parts = {part.get_content_type(): part for part in message.walk()}
    return parts["text/plain"].get_payload(decode=True).decode()


def _html(message) -> str:
    parts = {part.get_content_type(): part for part in message.walk()}
    return parts["text/html"].get_payload(decode=True).decode()


def test_it_emails_each_reader_what_they_may_see(settings, clock, build, team, owner, teammate):
    TeamDebtSettings.objects.create(team=team, review_email="platform-list@example.com")
    build(NOV, title="Public <outage> & co", published_at=NOV + timedelta(days=1))
    build(NOV, title="Secret outage", restricted=True, published_at=NOV + timedelta(days=2))
    with SmtpSink() as smtp:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
        out = StringIO()
        call_command("insights", "digest", month="2026-11", stdout=out)
        assert "3 deliveries queued" in out.getvalue()
        call_command("insights", "digest", month="2026-11", stdout=StringIO())  # once only
        report = deliver_due(now=clock.now)
    assert report.sent == 3 and report.failed == 0
    by_address = {
        to: message for (_, (to,)), message in zip(smtp.envelopes, smtp.messages, strict=True)
    }
    alice = _text(by_address["alice@example.com"])
    listed = _text(by_address["platform-list@example.com"])
    assert "Public <outage> & co" in alice and "Secret outage" in alice
    assert "Public <outage> & co" in listed and "Secret outage" not in listed
    assert "Public &lt;outage&gt; &amp; co" in _html(by_address["alice@example.com"])
    assert "/insights/digest/2026-11/" in alice
    assert by_address["alice@example.com"]["Subject"] == "Kintsugi monthly digest: November 2026"
    assert Delivery.objects.filter(kind="monthly_digest").count() == 3


def test_it_posts_to_slack_without_restricted_post_mortems(settings, clock, build, team, owner):
    with WebhookServer() as hook:
        TeamDebtSettings.objects.create(team=team, slack_webhook_url=hook.url)
        build(NOV, title="Public <!channel>", published_at=NOV + timedelta(days=1))
        build(NOV, title="Secret outage", restricted=True, published_at=NOV + timedelta(days=2))
        with SmtpSink() as smtp:
            settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
            call_command("insights", "digest", month="2026-11", team="platform", stdout=StringIO())
            deliver_due(now=clock.now)
    text = hook.received[0]["text"]
    assert "Public &lt;!channel&gt;" in text and "Secret outage" not in text
    # The charts as text: a monospaced block per chart, the value printed beside its bar.
    assert "*Incidents per month by severity*" in text
    block = text.split("*Incidents per month by severity*\n```", 1)[1].split("```", 1)[0]
    lines = block.splitlines()
    assert lines[0].strip() == "Total"
    assert lines[-1].startswith("2026-11  █") and lines[-1].endswith("  1")  # the public one
    assert all(line.startswith("2026-") for line in lines[1:]) and len(lines) == 7
    assert text.count("```") == 2 * 4  # the four digest charts


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"month": "2026-13"}, "no month 13"),
        ({"team": "nobody"}, "No team"),
        ({"month": "'; DROP TABLE x"}, "YYYY-MM"),
    ],
)
def test_it_refuses_bad_options(db, options, words):
    with pytest.raises(CommandError, match=words):
        call_command("insights", "digest", stdout=StringIO(), **options)


def test_the_worker_queues_last_months_digest_once_and_sends_it(
    settings, clock, build, team, owner, teammate
):
    from kintsugi.core.debt.clock import FixedClock
    from kintsugi.debt.services.worker import run_pass

    TeamDebtSettings.objects.create(team=team, review_email="platform-list@example.com")
    build(NOV, title="Public outage", published_at=NOV + timedelta(days=1))
    build(NOV, title="Secret outage", restricted=True, published_at=NOV + timedelta(days=2))
    december = FixedClock(datetime(2026, 12, 1, 0, 5, tzinfo=UTC))
    with SmtpSink() as smtp:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
        first = run_pass(clock=december)
        assert first.steps["insights digest"] == "3 digest deliveries queued"
        again = run_pass(clock=december)  # sends them; queues nothing twice
        assert again.steps["insights digest"] == "0 digest deliveries queued"
        run_pass(clock=december)
    digests = [
        (to, message)
        for (_, (to,)), message in zip(smtp.envelopes, smtp.messages, strict=True)
        if message["Subject"] == "Kintsugi monthly digest: November 2026"
    ]
    assert len(digests) == 3
    assert {"alice@example.com", "platform-list@example.com"} <= {to for to, _ in digests}
    listed = next(_text(m) for to, m in digests if to == "platform-list@example.com")
    assert "Public outage" in listed and "Secret outage" not in listed
    assert Delivery.objects.filter(kind="monthly_digest").count() == 3
    # The cron command afterwards finds the same keys: nothing more.
    call_command("insights", "digest", month="2026-11", stdout=StringIO())
    assert Delivery.objects.filter(kind="monthly_digest").count() == 3


def test_the_worker_does_not_mail_a_stale_digest_late_in_a_month(clock, build, team, owner):
    from kintsugi.core.debt.clock import FixedClock
    from kintsugi.debt.services.worker import run_pass

    TeamDebtSettings.objects.create(team=team, review_email="platform-list@example.com")
    build(NOV, title="Public outage", published_at=NOV + timedelta(days=1))
    late = run_pass(clock=FixedClock(datetime(2026, 12, 8, 0, 5, tzinfo=UTC)))
    assert late.steps["insights digest"] == "0 digest deliveries queued"
    assert not Delivery.objects.filter(kind="monthly_digest").exists()
    seventh = run_pass(clock=FixedClock(datetime(2026, 12, 7, 23, 55, tzinfo=UTC)))
    assert seventh.steps["insights digest"] != "0 digest deliveries queued"
