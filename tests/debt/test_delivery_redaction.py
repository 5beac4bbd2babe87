"""Deliveries never tell a recipient about a post-mortem they may not see (issue 14, item 3).

A restricted incident of team Platform has two overdue items; an open incident has one.
Mallory owns one restricted item but may not see its post-mortem; Alice (the lead) and Bob
(a member) may. Everything goes through the real SMTP server and the real Slack-speaking
HTTP server on loopback, and the assertions read the bytes those servers received.
"""

from __future__ import annotations

import re
from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kintsugi.core.debt.weeks import IsoWeek
from kintsugi.debt.models import Delivery, TeamDebtSettings
from kintsugi.debt.services.deliveries import deliver_due
from kintsugi.debt.services.reminders import enqueue_due_reminders
from kintsugi.debt.services.weekly_review import enqueue_weekly_review
from tests.debt.conftest import NOW, TODAY
from tests.debt.servers import SmtpSink, WebhookServer

pytest.importorskip("aiosmtpd")

W48 = IsoWeek(2026, 48)
BASE = "https://k.example.com"
OVERDUE = date(2026, 11, 20)  # TODAY is 2026-11-25: overdue, and escalated on the 24th


@pytest.fixture
def servers(settings):
    with SmtpSink() as smtp, WebhookServer() as hook:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
        yield smtp, hook


@pytest.fixture
def leak(servers, team, owner, teammate, outsider, make_incident, make_item):
    """The restricted incident's secrets, by item, and the open incident's item."""
    _, hook = servers
    TeamDebtSettings.objects.create(
        team=team,
        slack_webhook_url=hook.url,
        review_enabled=True,
        review_weekday=0,
        review_time=time(9, 30),
        timezone="Europe/Berlin",
        review_email="platform-list@example.com",
    )
    hidden = make_incident("Leaked signing key", restricted=True)
    for title, ticket, who in (
        ("Rotate the signing key", "SEC-4711", outsider),
        ("Revoke the old certificate", "SEC-4712", teammate),
    ):
        make_item(
            title,
            incident=hidden,
            owner=who,
            due_on=OVERDUE,
            ticket_id=ticket,
            ticket_url=f"https://tickets.example.com/browse/{ticket}",
        )
    public = make_incident("Pool exhausted")
    make_item(
        "Cap the pool",
        incident=public,
        owner=outsider,
        due_on=OVERDUE,
        ticket_id="OPS-1",
        ticket_url="https://tickets.example.com/browse/OPS-1",
    )
    return hidden, public


def secrets(incident) -> list[bytes | re.Pattern[bytes]]:
    """Everything that identifies the restricted post-mortem or its items."""
    return [
        b"Rotate the signing key",
        b"Revoke the old certificate",
        b"SEC-4711",
        b"SEC-4712",
        b"tickets.example.com/browse/SEC",
        b"Leaked signing key",
        re.compile(rb"INC-%d\b" % incident.pk),
        reverse("postmortem-detail", args=[incident.pk]).encode(),
    ]


def leaks(raw: bytes, incident) -> list[object]:
    found = []
    for secret in secrets(incident):
        if isinstance(secret, re.Pattern) and secret.search(raw):
            found.append(secret.pattern)
        elif isinstance(secret, bytes) and secret in raw:
            found.append(secret)
    return found


def mail_to(smtp: SmtpSink, address: str) -> list[bytes]:
    return [raw for raw, (_, to) in zip(smtp.raw, smtp.envelopes, strict=True) if to == [address]]


def test_a_reminder_shows_everything_to_who_may_see_and_nothing_to_who_may_not(
    clock, servers, leak
):
    smtp, hook = servers
    hidden, public = leak
    enqueue_due_reminders(today=TODAY, now=NOW, base_url=BASE)
    report = deliver_due(now=clock.now)
    assert report.failed == 0 and report.sent == len(smtp.raw) + len(hook.raw)

    # Mallory owns a restricted item she may not see: counted, never shown.
    mallory = mail_to(smtp, "mallory@example.com")
    assert len(mallory) == 2  # overdue: her restricted item and her open one
    (redacted,) = [raw for raw in mallory if b"Cap the pool" not in raw]
    assert leaks(redacted, hidden) == []
    assert b"1 action item of a restricted post-mortem you cannot see is overdue" in redacted
    assert b"Overdue: an action item of a restricted post-mortem" in redacted
    # ...while her open item's reminder names its ticket and links it.
    (shown,) = [raw for raw in mallory if b"Cap the pool" in raw]
    assert b"OPS-1" in shown and b"tickets.example.com/browse/OPS-1" in shown
    assert reverse("postmortem-detail", args=[public.pk]).encode() in shown

    # Bob (a member) and Alice (the lead, escalated to) may see: ticket, link, incident.
    (bob,) = mail_to(smtp, "bob@example.com")
    assert b"Revoke the old certificate" in bob and b"SEC-4712" in bob
    assert b"tickets.example.com/browse/SEC-4712" in bob
    assert re.search(rb"INC-%d\b" % hidden.pk, bob) and b"Leaked signing key" in bob
    escalations = mail_to(smtp, "alice@example.com")
    assert len(escalations) == 3
    assert any(b"Rotate the signing key" in raw and b"SEC-4711" in raw for raw in escalations)
    assert all(b"restricted post-mortem you cannot see" not in raw for raw in escalations)

    # The team's Slack channel is read by anyone in it: restricted items never shown.
    assert len(hook.raw) == 6  # overdue and escalation of each of the three items
    for body in hook.raw:
        assert leaks(body, hidden) == []
    assert sum(b"Cap the pool" in body for body in hook.raw) == 2
    assert sum(b"restricted post-mortem you cannot see" in body for body in hook.raw) == 4


def test_the_stored_deliveries_hold_only_what_their_recipient_may_see(clock, servers, leak):
    hidden, _ = leak
    enqueue_due_reminders(today=TODAY, now=NOW, base_url=BASE)
    for row in Delivery.objects.filter(
        recipient__in=["mallory@example.com", f"team:{hidden.team_id}"]
    ):
        stored = f"{row.subject}{row.body_text}{row.body_html}{row.payload}".encode()
        assert leaks(stored, hidden) == []


def test_the_weekly_review_is_cut_per_recipient(clock, servers, leak, team):
    smtp, hook = servers
    hidden, _ = leak
    enqueue_weekly_review(team=team, week=W48, today=TODAY, now=NOW, base_url=BASE)
    assert deliver_due(now=clock.now).sent == 4

    # Members of the team may see its restricted post-mortem: the whole agenda.
    for member in ("alice@example.com", "bob@example.com"):
        (raw,) = mail_to(smtp, member)
        assert b"Rotate the signing key" in raw and b"SEC-4711" in raw
        assert b"tickets.example.com/browse/SEC-4711" in raw
        assert reverse("postmortem-detail", args=[hidden.pk]).encode() in raw
        assert b"you cannot see" not in raw

    # The list address and the Slack channel reach unknown people: counts, no content.
    (listed,) = mail_to(smtp, "platform-list@example.com")
    (slack,) = hook.raw
    for raw in (listed, slack):
        assert leaks(raw, hidden) == []
        assert b"3 overdue" in raw  # the counts stay true
        assert b"2 action items of restricted post-mortems you cannot see are overdue" in raw
        assert b"Cap the pool" in raw and b"OPS-1" in raw  # open items are shown
    assert b"OVERDUE (3)" in listed  # the section's total includes the hidden ones
    assert b"*Overdue* (3)" in slack


def _count_queries(run) -> int:
    with CaptureQueriesContext(connection) as queries:
        run()
    return len(queries)


def _more_items(make_incident, make_item, make_user, count: int) -> None:
    for n in range(count):
        incident = make_incident(f"Incident {n}", restricted=n % 2 == 0)
        who = make_user(f"person{n}")
        make_item(f"Item {n}", incident=incident, owner=who, due_on=OVERDUE, ticket_id=f"X-{n}")


def test_reminder_queries_do_not_grow_with_the_items(
    clock, leak, make_incident, make_item, make_user
):
    def run():
        Delivery.objects.all().delete()
        enqueue_due_reminders(today=TODAY, now=NOW, base_url=BASE)

    few = _count_queries(run)
    _more_items(make_incident, make_item, make_user, 6)
    assert _count_queries(run) == few
    assert Delivery.objects.filter(recipient="person0@example.com").exists()


def test_weekly_review_queries_do_not_grow_with_the_items(
    clock, leak, team, make_incident, make_item, make_user
):
    def run():
        Delivery.objects.all().delete()
        enqueue_weekly_review(team=team, week=W48, today=TODAY, now=NOW, base_url=BASE)

    few = _count_queries(run)
    _more_items(make_incident, make_item, make_user, 6)
    assert _count_queries(run) == few
    listed = Delivery.objects.get(recipient="platform-list@example.com")
    assert "5 action items of restricted post-mortems you cannot see" in listed.body_text


def test_the_deliveries_page_links_only_items_the_reader_may_see(clock, leak, login, outsider):
    hidden, public = leak
    enqueue_due_reminders(today=TODAY, now=NOW, base_url=BASE)
    body = login(outsider).get("/debt/deliveries/").content
    assert b"restricted post-mortem" in body  # her redacted reminder is listed
    assert reverse("postmortem-detail", args=[public.pk]).encode() in body
    assert leaks(body, hidden) == []


def test_the_deliveries_page_links_restricted_items_for_the_team(clock, leak, login, teammate):
    hidden, _ = leak
    enqueue_due_reminders(today=TODAY, now=NOW, base_url=BASE)
    body = login(teammate).get("/debt/deliveries/").content
    assert reverse("postmortem-detail", args=[hidden.pk]).encode() in body
