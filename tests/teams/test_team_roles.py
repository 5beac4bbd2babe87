"""Roles per team (viewer, editor, team admin) over the organisation role, decided by the
one access module (kintsugi/postmortems/access.py); the access matrix covers the pages and
the API (tests/test_access_matrix.py, roles ``team_viewer`` and ``team_editor``)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from kintsugi.postmortems import access
from kintsugi.teams.models import Membership, Team, TeamRole


@pytest.fixture
def other_team_incident(owner):
    from kintsugi.postmortems import services

    other = Team.objects.create(name="Payments", slug="payments")
    return services.incident_create(
        user=owner,
        title="Checkout slow",
        started_at=datetime(2026, 3, 1, 10, 0, tzinfo=UTC),
        team=other,
    )


def _member(make_user, team, name, org_role, team_role):
    user = make_user(name, role=org_role)
    Membership.objects.create(team=team, user=user, **Membership.flags(team_role))
    return user


def test_the_flags_store_each_team_role():
    for role in TeamRole:
        assert Membership(**Membership.flags(role)).role == role
    with pytest.raises(ValueError):
        Membership.flags("owner")


def test_a_membership_cannot_be_both_lead_and_read_only(db, team, make_user):
    user = make_user("both")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(team=team, user=user, is_lead=True, read_only=True)


def test_a_team_viewer_reads_but_does_not_edit_the_teams_incidents(
    db, team, make_user, incident, restricted_incident, other_team_incident
):
    tina = _member(make_user, team, "tina", "editor", "viewer")
    for own in (incident, restricted_incident):
        assert access.can_view(tina, own)
        assert not access.can_edit(tina, own)
        with pytest.raises(PermissionDenied):
            access.get_incident(tina, own.pk, edit=True)
    # Elsewhere the organisation role (editor) applies.
    assert access.can_edit(tina, other_team_incident)
    assert access.can_create(tina)


def test_a_team_editor_edits_the_teams_incidents_whatever_the_organisation_role(
    db, team, make_user, incident, restricted_incident, other_team_incident
):
    ted = _member(make_user, team, "ted", "viewer", "editor")
    for own in (incident, restricted_incident):
        assert access.can_edit(ted, own)
        assert access.get_incident(ted, own.pk, edit=True) == own
    assert access.can_view(ted, other_team_incident)
    assert not access.can_edit(ted, other_team_incident)  # a viewer elsewhere
    assert not access.can_create(ted)


def test_a_team_admin_edits_and_manages_the_team(db, team, make_user, incident):
    ada = _member(make_user, team, "ada", "viewer", "admin")
    assert access.can_edit(ada, incident)
    assert access.can_manage_team(ada, team)
    tina = _member(make_user, team, "tina", "editor", "viewer")
    assert not access.can_manage_team(tina, team)


def test_a_site_admin_edits_every_team_whatever_the_membership(db, team, make_user, incident):
    root = _member(make_user, team, "root2", "admin", "viewer")
    assert access.can_edit(root, incident)


def test_the_incident_read_for_a_page_carries_the_team_role(
    db, team, make_user, restricted_incident, django_assert_num_queries
):
    """``get_incident`` reads the team role with the incident: deciding edit rights for
    the page then asks nothing more."""
    tina = _member(make_user, team, "tina", "editor", "viewer")
    with django_assert_num_queries(1):
        incident = access.get_incident(tina, restricted_incident.pk)
    with django_assert_num_queries(0):
        assert not access.edits_seen_incident(tina, incident)


def test_the_page_offers_editing_by_the_team_role(db, team, make_user, incident, login):
    tina = _member(make_user, team, "tina", "editor", "viewer")
    ted = _member(make_user, team, "ted", "viewer", "editor")
    as_team_viewer = login(tina).get(f"/incidents/{incident.pk}/").content.decode()
    as_team_editor = login(ted).get(f"/incidents/{incident.pk}/").content.decode()
    assert 'data-testid="timeline-add"' not in as_team_viewer
    assert 'data-testid="timeline-add"' in as_team_editor
    # And the write itself follows the same rule.
    url = f"/api/v1/incidents/{incident.pk}/factors"
    refused = login(tina).post(url, {"title": "x"}, content_type="application/json")
    assert refused.status_code == 403
