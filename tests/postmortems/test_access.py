import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from kintsugi.postmortems import access
from kintsugi.postmortems.models import Incident


def test_it_shows_unrestricted_incidents_to_every_signed_in_user(incident, outsider, viewer):
    assert access.can_view(outsider, incident)
    assert access.can_view(viewer, incident)


def test_it_hides_restricted_incidents_from_outsiders(restricted_incident, outsider):
    assert not access.can_view(outsider, restricted_incident)
    assert restricted_incident not in access.visible_incidents(outsider)
    with pytest.raises(Http404):
        access.get_incident(outsider, restricted_incident.pk)


def test_it_shows_restricted_incidents_to_the_team_members_and_admins(
    restricted_incident, teammate, admin_user
):
    assert access.can_view(teammate, restricted_incident)
    assert access.can_view(admin_user, restricted_incident)


def test_it_shows_restricted_incidents_to_explicit_members(restricted_incident, outsider):
    restricted_incident.members.add(outsider)
    assert access.can_view(outsider, restricted_incident)
    assert list(access.visible_incidents(outsider)) == [restricted_incident]


def test_it_lets_viewers_read_but_not_edit(incident, viewer):
    assert not access.can_edit(viewer, incident)
    with pytest.raises(PermissionDenied):
        access.get_incident(viewer, incident.pk, edit=True)


def test_it_shows_nothing_to_anonymous_users(incident):
    from django.contrib.auth.models import AnonymousUser

    assert not access.visible_incidents(AnonymousUser()).exists()
    assert not access.can_view(AnonymousUser(), incident)


def test_it_treats_a_malformed_id_as_not_found(owner):
    with pytest.raises(Http404):
        access.get_incident(owner, "1; DROP TABLE")


def test_it_lists_without_duplicates_when_several_rules_match(restricted_incident, owner):
    restricted_incident.members.add(owner)
    assert access.visible_incidents(owner).filter(pk=restricted_incident.pk).count() == 1
    assert Incident.objects.count() == 1


def test_it_hides_inactive_users_everything(incident, outsider):
    outsider.is_active = False
    outsider.save()
    assert not access.can_view(outsider, incident)


@pytest.mark.parametrize("who", ["owner", "outsider", "admin_user", "viewer", "anonymous"])
def test_visible_through_a_relation_agrees_with_visible_incidents(
    request, who, incident, restricted_incident
):
    """The debt pages filter action items with ``visible_through``; it must say exactly
    what ``visible_incidents`` says, including for a restricted incident nobody created."""
    from django.contrib.auth.models import AnonymousUser

    from kintsugi.postmortems.models import ActionItem

    orphan = Incident.objects.create(
        title="Restricted, creator deleted",
        severity="SEV3",
        is_restricted=True,
        started_at=restricted_incident.started_at,
    )
    for pk in (incident.pk, restricted_incident.pk, orphan.pk):
        ActionItem.objects.create(incident_id=pk, title=f"Item of {pk}")
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    expected = set(access.visible_incidents(user).values_list("pk", flat=True))
    got = set(
        ActionItem.objects.filter(access.visible_through(user, "incident")).values_list(
            "incident_id", flat=True
        )
    )
    assert got == expected
    hidden = set(access.hidden_incidents(user).values_list("pk", flat=True))
    assert hidden.isdisjoint(expected)
    if who == "outsider":
        assert {restricted_incident.pk, orphan.pk} <= hidden
