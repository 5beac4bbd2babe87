"""The debt pages' rules in ``access.py``: each person's answer, as the views ask it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from kintsugi.postmortems import access
from kintsugi.postmortems.models import ActionItem


@pytest.fixture
def deliveries(team, owner):
    from kintsugi.debt.models import Delivery, DeliveryKind

    def make(recipient: str, team=None) -> Delivery:
        return Delivery.objects.create(
            idempotency_key=f"test:{recipient}:{team}",
            channel="email",
            recipient=recipient,
            kind=DeliveryKind.WEEKLY_REVIEW,
            team=team,
        )

    return {
        "to alice": make("alice@example.com"),
        "to the team": make("list@example.com", team),
        "to someone else": make("zed@example.com"),
    }


def _seen(user, rows) -> set[str]:
    from kintsugi.debt.models import Delivery

    found = set(Delivery.objects.filter(access.deliveries_visible_to(user)))
    return {name for name, row in rows.items() if row in found}


def test_it_shows_a_delivery_to_its_recipient_the_team_and_admins(
    deliveries, owner, teammate, outsider, admin_user
):
    assert _seen(owner, deliveries) == {"to alice", "to the team"}
    assert _seen(teammate, deliveries) == {"to the team"}
    assert _seen(outsider, deliveries) == set()
    assert _seen(admin_user, deliveries) == set(deliveries)
    assert _seen(AnonymousUser(), deliveries) == set()


def test_it_gives_an_action_item_with_its_incident_or_404(restricted_incident, teammate, outsider):
    item = ActionItem.objects.create(incident=restricted_incident, title="Rotate the key")
    assert access.get_action_item(teammate, item.pk) == item
    for user, pk in ((outsider, item.pk), (teammate, "nope"), (teammate, 2**70)):
        with pytest.raises(Http404):
            access.get_action_item(user, pk)


def test_only_editors_and_admins_mark_reviewed_and_only_admins_retry_or_set_the_policy(
    owner, viewer, admin_user
):
    assert access.can_mark_reviewed(owner) and access.can_mark_reviewed(admin_user)
    assert not access.can_mark_reviewed(viewer)
    assert not access.can_mark_reviewed(AnonymousUser())
    for rule in (access.can_retry_deliveries, access.can_change_organisation_policy):
        assert rule(admin_user)
        assert not rule(owner) and not rule(viewer) and not rule(AnonymousUser())


def test_a_teams_leads_and_admins_manage_its_debt_settings(
    team, owner, teammate, outsider, admin_user
):
    assert access.can_manage_team(owner, team)  # a lead
    assert access.can_manage_team(admin_user, team)
    assert not access.can_manage_team(teammate, team)
    assert not access.can_manage_team(outsider, team)
    assert not access.can_manage_team(AnonymousUser(), team)
