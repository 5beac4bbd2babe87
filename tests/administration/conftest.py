"""A real SMTP server on loopback for the invitation emails, and reading the link out of one."""

from __future__ import annotations

import re

import pytest

from tests.debt.servers import SmtpSink

BASE = "https://postmortems.example.com"
LINK = re.compile(re.escape(BASE) + r"(/invite/[^/\s]+/)")


@pytest.fixture
def smtp(settings):
    pytest.importorskip("aiosmtpd")
    with SmtpSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", sink.port, 5
        settings.KINTSUGI_BASE_URL = BASE
        settings.DEFAULT_FROM_EMAIL = "kintsugi@example.com"
        yield sink


def body(message) -> str:
    return message.get_payload(decode=True).decode()


def link_path(message) -> str:
    found = LINK.search(body(message))
    assert found, body(message)
    return found.group(1)


@pytest.fixture
def other_team(db):
    from kintsugi.teams.models import Team

    return Team.objects.create(name="Payments", slug="payments")


def audit_changes() -> list[str]:
    from kintsugi.administration.audit import admin_changes

    return [entry.detail["change"] for entry in admin_changes()]
