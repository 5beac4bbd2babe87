"""Slack deliveries to a real HTTP server on loopback: Block Kit, 500s and 429 Retry-After."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest

from kintsugi.core.debt.weeks import IsoWeek
from kintsugi.core.errors import ValidationProblem
from kintsugi.debt.models import Delivery, DeliveryStatus, TeamDebtSettings
from kintsugi.debt.services.deliveries import deliver_due
from kintsugi.debt.services.settings import clean_webhook_url
from kintsugi.debt.services.weekly_review import enqueue_weekly_review
from tests.debt.conftest import NOW, TODAY
from tests.debt.servers import WebhookServer, free_port

W48 = IsoWeek(2026, 48)


@pytest.fixture
def hook():
    with WebhookServer() as server:
        yield server


@pytest.fixture
def slack_team(team, teammate, make_item, hook):
    # No member email: only the Slack message goes out.
    type(teammate).objects.update(email="")
    TeamDebtSettings.objects.create(team=team, slack_webhook_url=hook.url)
    make_item("Cap the pool", owner=teammate, due_on=date(2026, 11, 16))
    return team


def _enqueue(team):
    enqueue_weekly_review(
        team=team, week=W48, today=TODAY, now=NOW, base_url="https://k.example.com"
    )
    return Delivery.objects.get(channel="slack")


def test_it_posts_the_agenda_as_block_kit(clock, slack_team, hook):
    _enqueue(slack_team)
    assert deliver_due(now=clock.now).sent == 1
    (payload,) = hook.received
    assert payload["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Weekly review 2026-W48 - team Platform"},
    }
    assert "Cap the pool" in str(payload["blocks"])
    assert payload["text"].startswith("Weekly review 2026-W48")


def test_it_retries_after_a_server_error(clock, slack_team, hook, caplog):
    hook.answer(500, "internal_error")
    delivery = _enqueue(slack_team)
    with caplog.at_level(logging.DEBUG):
        assert deliver_due(now=clock.now).failed == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.last_error == (
        "Slack answered HTTP 500 for the webhook of team Platform: internal_error."
    )
    assert "secret-token" not in delivery.last_error and "secret-token" not in caplog.text
    clock.advance(timedelta(minutes=1))
    assert deliver_due(now=clock.now).sent == 1
    assert len(hook.received) == 1


def test_it_honours_retry_after_on_429(clock, slack_team, hook):
    hook.answer(429, "rate_limited", Retry_After="300")
    delivery = _enqueue(slack_team)
    deliver_due(now=clock.now)
    delivery.refresh_from_db()
    assert "HTTP 429; Retry-After 300 s" in delivery.last_error
    assert delivery.next_attempt_at == NOW + timedelta(seconds=300)  # not the 1-minute backoff
    clock.advance(timedelta(minutes=2))
    assert deliver_due(now=clock.now).sent == 0
    clock.advance(timedelta(minutes=3))
    assert deliver_due(now=clock.now).sent == 1


def test_it_records_an_unreachable_webhook(clock, slack_team, hook, login, owner):
    TeamDebtSettings.objects.update(slack_webhook_url=f"http://127.0.0.1:{free_port()}/hook")
    delivery = _enqueue(slack_team)
    assert deliver_due(now=clock.now).failed == 1
    delivery.refresh_from_db()
    assert "The Slack webhook of team Platform is unreachable" in delivery.last_error
    page = login(owner).get("/debt/deliveries/").content.decode()
    assert "is unreachable" in page
    TeamDebtSettings.objects.update(slack_webhook_url=hook.url)  # fixed: the retry uses it
    clock.advance(timedelta(minutes=1))
    assert deliver_due(now=clock.now).sent == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.slack.com/services/T0/B0/x",
        "ftp://hooks.slack.com/x",
        "hooks.slack.com/services/x",
        "https://hooks.slack.com/ services",
    ],
)
def test_it_refuses_a_webhook_that_is_not_https(url):
    with pytest.raises(ValidationProblem, match="https://"):
        clean_webhook_url(url)


def test_it_accepts_https_and_loopback_http_outside_production():
    assert clean_webhook_url(" https://hooks.slack.com/services/T/B/x ") == (
        "https://hooks.slack.com/services/T/B/x"
    )
    assert clean_webhook_url("http://127.0.0.1:9/hook") == "http://127.0.0.1:9/hook"
