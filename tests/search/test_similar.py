"""Similar incidents: shared services and words, the draft warning, and access."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kintsugi.core.similar_words import telling_words

pytestmark = pytest.mark.django_db


def test_telling_words_skip_what_every_postmortem_says():
    words = telling_words(["Checkout outage: connection pool exhausted", "Pool too small"])
    assert words[0] == "pool"
    assert "outage" not in words and "too" in words


@pytest.fixture
def make(owner, team):
    from kintsugi.postmortems import services

    def create(title, *, services_=(), factor="", restricted=False, open_item=False, **extra):
        incident = services.incident_create(
            user=owner,
            title=title,
            started_at=datetime(2026, 3, 1, tzinfo=UTC),
            team=team,
            services=list(services_),
            is_restricted=restricted,
            **extra,
        )
        if factor:
            services.factor_add(user=owner, incident=incident, title=factor, description="")
        if open_item:
            services.action_item_add(
                user=owner,
                incident=incident,
                title="Raise the pool size",
                owner=owner,
                ticket_id="OPS-1",
                due_on=date(2026, 3, 10),
            )
        return incident

    return create


def test_it_finds_shared_words_and_services(make, owner, service):
    from kintsugi.search.similar import similar_incidents

    earlier = make("Connection pool exhausted on checkout", factor="Pool limit 20", open_item=True)
    same_service = make("Slow deploy", services_=[service])
    make("Certificate expired on CDN")
    draft = make("Pool exhausted again", services_=[service], factor="Connection pool too small")
    found = similar_incidents(user=owner, incident=draft)
    ids = [s.incident.pk for s in found.similar]
    assert earlier.pk in ids and same_service.pk in ids and len(ids) == 2
    by_id = {s.incident.pk: s for s in found.similar}
    assert by_id[same_service.pk].services == ["Web"]
    assert by_id[earlier.pk].open_actions == 1
    # A draft that looks like one with open items warns about it.
    assert [s.incident.pk for s in found.warn_about] == [earlier.pk]


def test_no_warning_once_published(make, owner):
    from kintsugi.search.similar import similar_incidents

    make("Connection pool exhausted", open_item=True)
    published = make("Connection pool exhausted again", status="published")
    found = similar_incidents(user=owner, incident=published)
    assert found.similar and found.warn_about == []


def test_it_never_shows_a_restricted_one_to_outsiders(make, owner, outsider, service):
    from kintsugi.search.similar import similar_incidents

    secret = make("Connection pool exhausted", services_=[service], restricted=True)
    other = make("Connection pool exhausted again", services_=[service])
    assert secret.pk in [
        s.incident.pk for s in similar_incidents(user=owner, incident=other).similar
    ]
    assert similar_incidents(user=outsider, incident=other).similar == []


def test_the_page_fragment_and_its_queries(make, owner, outsider, login, service):
    target = make("Connection pool exhausted", services_=[service])
    make("Pool exhausted on checkout", services_=[service], open_item=True)
    client = login(owner)

    def get():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/incidents/{target.pk}/similar/", HTTP_HX_REQUEST="true")
        return response, len(captured)

    response, few = get()
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="similar-incident"' in body
    assert 'data-testid="similar-warning"' in body  # the target is a draft
    for index in range(10):
        make(f"Pool exhausted {index}", services_=[service], open_item=True)
    assert get()[1] == few
    secret = make("Secret pool", restricted=True)
    assert login(outsider).get(f"/incidents/{secret.pk}/similar/").status_code == 404
    assert "similar-loader" not in client.get(f"/incidents/{target.pk}/").content.decode()
    assert (
        'data-testid="section-similar"' in client.get(f"/incidents/{target.pk}/").content.decode()
    )
