"""A real SMTP server on loopback for the invitation emails, and reading the link out of one."""

from __future__ import annotations

import re

import pytest

# The real SMTP server on loopback, as the review tests use it (same base URL).
from tests.reviews.conftest import smtp  # noqa: F401

BASE = "https://postmortems.example.com"
LINK = re.compile(re.escape(BASE) + r"(/invite/[^/\s]+/)")


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
