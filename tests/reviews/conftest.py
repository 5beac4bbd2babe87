"""A complete post-mortem to review, a second reviewer, and a real SMTP server on loopback."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.debt.servers import SmtpSink


@pytest.fixture
def smtp(settings):
    pytest.importorskip("aiosmtpd")
    with SmtpSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", sink.port, 5
        settings.KINTSUGI_BASE_URL = "https://postmortems.example.com"
        settings.DEFAULT_FROM_EMAIL = "kintsugi@example.com"
        yield sink


@pytest.fixture
def carol(make_user, team):
    from kintsugi.teams.models import Membership

    user = make_user("carol", first_name="Carol", last_name="Li")
    Membership.objects.create(team=team, user=user)
    return user


@pytest.fixture
def complete(incident, owner, teammate):
    """``incident`` with every template section filled and a root cause addressed."""
    from kintsugi.five_whys import services as whys
    from kintsugi.five_whys.selectors import analysis_view
    from kintsugi.postmortems import services as pm

    incident = pm.incident_update(
        user=owner,
        incident=incident,
        version=incident.version,
        impact="About 3,000 customers could not pay for 40 minutes.",
        ended_at=datetime(2026, 3, 1, 14, 40, tzinfo=UTC),
    )
    pm.timeline_event_add(
        user=owner,
        incident=incident,
        occurred_at=datetime(2026, 3, 1, 14, 5, tzinfo=UTC),
        kind="alert_fired",
        text="The checkout error-rate alert fired.",
    )
    factor = pm.factor_add(
        user=owner, incident=incident, title="Connection pool too small for peak traffic"
    )
    pm.lesson_add(
        user=owner, incident=incident, kind="went_well", text="The alert fired within minutes."
    )
    item = pm.action_item_add(
        user=owner,
        incident=incident,
        title="Size the checkout connection pool from measured peak load",
        owner=teammate,
        ticket_id="OPS-1",
        ticket_url="https://jira.example.com/browse/OPS-1",
        due_on=date(2026, 3, 20),
        factor=factor,
    )
    first = whys.step_add(
        user=owner,
        incident=incident,
        version=0,
        question="Why did checkout fail?",
        answer="The database connection pool was exhausted.",
    )
    second = whys.step_add(
        user=owner,
        incident=incident,
        version=analysis_view(incident=incident).version,
        question="Why was the pool exhausted?",
        answer="Peak traffic needed twice the connections the pool allowed.",
        parent=first,
    )
    cause = whys.step_add(
        user=owner,
        incident=incident,
        version=analysis_view(incident=incident).version,
        question="Why did the pool allow too few connections?",
        answer="The pool size was never revisited after traffic doubled.",
        parent=second,
    )
    whys.root_cause_mark(
        user=owner, node=cause, version=analysis_view(incident=incident).version, marked=True
    )
    whys.root_cause_link(
        user=owner,
        node=cause,
        version=analysis_view(incident=incident).version,
        factors=[factor],
        action_items=[item],
    )
    incident.refresh_from_db()
    return incident
