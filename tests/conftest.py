"""Shared fixtures: a team with an owner and a teammate, an outsider, a viewer, an admin.

Mirrors the habit of testing every view for the person who may, the person who may only
read, and the person who may not see at all.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

os.environ.setdefault("KINTSUGI_ENV", "test")

import pytest  # noqa: E402

PASSWORD = "correct-horse-battery-staple"


def pytest_configure(config):
    from tests.live_server_lock import install

    install()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: keys made of row ids and counters repeat
    across tests whose data was rolled back."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def live_server(request, django_db_setup):
    """pytest-django's live server, started after the test database exists.

    Started first, it would see the on-disk settings and give each request thread its own
    connection to the shared-cache in-memory test database, where concurrent transactions
    fail at once with "database table is locked" (SQLite's busy timeout does not apply to
    shared-cache locks). Started after, it shares the test's connection, one request at a
    time (tests/live_server_lock.py), as Django's LiveServerTestCase does.
    """
    from pytest_django.live_server_helper import LiveServer

    address = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(address)
    yield server
    server.stop()


@pytest.fixture
def login():
    """``login(user)`` returns a test client signed in as that user (e2e has its own)."""
    from django.test import Client

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def make_user(db):
    from kintsugi.accounts.models import User

    def make(username: str, role: str = "editor", **extra) -> User:
        return User.objects.create_user(
            username=username,
            password=PASSWORD,
            email=f"{username}@example.com",
            role=role,
            **extra,
        )

    return make


@pytest.fixture
def team(db):
    from kintsugi.teams.models import Team

    return Team.objects.create(name="Platform", slug="platform")


@pytest.fixture
def service(db, team):
    from kintsugi.teams.models import Service

    return Service.objects.create(name="Web", slug="web", team=team)


@pytest.fixture
def owner(make_user, team):
    from kintsugi.teams.models import Membership

    user = make_user("alice", first_name="Alice", last_name="Ng")
    Membership.objects.create(team=team, user=user, is_lead=True)
    return user


@pytest.fixture
def teammate(make_user, team):
    from kintsugi.teams.models import Membership

    user = make_user("bob", first_name="Bob", last_name="Diaz")
    Membership.objects.create(team=team, user=user)
    return user


@pytest.fixture
def outsider(make_user):
    return make_user("mallory")


@pytest.fixture
def viewer(make_user):
    return make_user("victor", role="viewer")


@pytest.fixture
def admin_user(make_user):
    return make_user("root", role="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def incident(owner, team, service):
    from kintsugi.postmortems import services

    return services.incident_create(
        user=owner,
        title="Checkout outage",
        started_at=datetime(2026, 3, 1, 14, 0, tzinfo=UTC),
        severity="SEV2",
        team=team,
        services=[service],
        summary="Checkout returned errors for 40 minutes.",
    )


@pytest.fixture
def restricted_incident(owner, team):
    from kintsugi.postmortems import services

    return services.incident_create(
        user=owner,
        title="Security: leaked token",
        started_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        severity="SEV1",
        team=team,
        is_restricted=True,
    )


@pytest.fixture
def pdf_cache(settings, tmp_path):
    """A PDF cache of the test's own (tests/pdf_exports.py has the rest of the PDF set-up)."""
    settings.KINTSUGI_PDF_CACHE_DIR = tmp_path / "pdf-cache"
    return settings.KINTSUGI_PDF_CACHE_DIR
