"""``access.hidden_among``: the bulk answer the deliveries ask, held to ``can_view``."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kintsugi.postmortems import access
from kintsugi.teams.models import Membership, Team


@pytest.fixture
def world(make_incident, make_user, team, owner, teammate, outsider, viewer, admin_user):
    """Incidents of every kind, and people related to them in every way the rules know."""
    other = Team.objects.create(name="Data", slug="data")
    data_member = make_user("dana")
    Membership.objects.create(team=other, user=data_member)
    member = make_user("mel", role="viewer")
    author = make_user("art")
    creator = make_user("cree")
    gone = make_user("gone", is_active=False)
    Membership.objects.create(team=team, user=gone)
    secret = make_incident("Secret", restricted=True)
    secret.members.add(member)
    secret.authors.add(author)
    orphan = make_incident("No team", restricted=True, team=None)
    orphan.members.add(data_member)
    type(orphan).objects.filter(pk=orphan.pk).update(created_by=creator)
    orphan.refresh_from_db()
    data_secret = make_incident("Data secret", restricted=True, team=other)
    public = make_incident("Public")
    people = [
        owner,
        teammate,
        outsider,
        viewer,
        admin_user,
        data_member,
        member,
        author,
        creator,
        gone,
    ]
    return [secret, orphan, data_secret, public], people


def test_it_agrees_with_can_view_for_every_person_and_incident(world):
    incidents, people = world
    hidden = access.hidden_among([i.pk for i in incidents], people)
    for person in people:
        for incident in incidents:
            assert (incident.pk in hidden[person.pk]) is not access.can_view(person, incident), (
                person.username,
                incident.title,
            )
    # Both directions are exercised: someone sees each restricted one, someone does not.
    for incident in incidents[:3]:
        assert any(incident.pk in hidden[p.pk] for p in people)
        assert any(incident.pk not in hidden[p.pk] for p in people)


def test_an_unknown_audience_sees_no_restricted_incident(world):
    incidents, _ = world
    hidden = access.hidden_among([i.pk for i in incidents], [])
    assert hidden[None] == {i.pk for i in incidents if i.is_restricted}
    assert incidents[3].pk not in hidden[None]


def test_it_asks_the_database_a_fixed_number_of_times(world):
    incidents, people = world
    with CaptureQueriesContext(connection) as one:
        access.hidden_among([incidents[0].pk], people[:1])
    with CaptureQueriesContext(connection) as many:
        access.hidden_among([i.pk for i in incidents], people)
    assert len(one) == len(many) == 4
