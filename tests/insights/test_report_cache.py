"""The Insights report is kept until the facts change, and never crosses audiences."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kintsugi.postmortems.models import Incident
from kintsugi.teams.models import Membership
from tests.insights.conftest import fold

NOV = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
URL = "/insights/?start=2026-01&end=2026-12"


def _figures(client) -> bytes:
    """The charts' figures as the CSV downloads give them (the page itself differs by
    its CSRF token)."""
    out = b""
    for chart in ("incidents-by-severity", "open-debt", "cost-of-debt"):
        response = client.get(f"/insights/csv/{chart}/?start=2026-01&end=2026-12")
        assert response.status_code == 200
        out += response.content
    return out


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_a_second_read_with_unchanged_facts_is_served_from_the_cache(build, viewer, login):
    build(NOV, severity="SEV1")
    fold()
    client = login(viewer)
    first = _queries(client)
    second = _queries(client)
    assert second < first
    assert _figures(client) == _figures(client)


def test_a_write_and_a_fold_are_seen_at_once(build, viewer, login):
    build(NOV, severity="SEV1")
    fold()
    client = login(viewer)
    before = _figures(client)
    build(NOV, severity="SEV1", title="Second outage")  # logged by the triggers
    after_write = _figures(client)
    assert after_write != before
    fold()
    assert _figures(client) == after_write  # the same figures, from the facts
    Incident.objects.filter(title="Second outage").delete()
    assert _figures(client) == before


def test_readers_who_see_different_incidents_never_share_a_report(
    build, login, owner, outsider, team
):
    build(NOV, severity="SEV1", restricted=True, title="Secret outage")
    fold()
    insider, stranger = login(owner), login(outsider)
    seen = _figures(insider)
    unseen = _figures(stranger)
    assert seen != unseen
    assert _figures(stranger) == unseen  # from the cache, still without it
    Membership.objects.create(user=outsider, team=team)
    assert _figures(stranger) == seen  # now allowed: a new audience, a new read
