"""Upgrading to team roles keeps everyone's rights (teams.0002_membership_team_role)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("teams", "0001_initial")]
AFTER = [("teams", "0002_membership_team_role")]


@pytest.mark.django_db(transaction=True)
def test_organisation_viewers_become_viewers_of_their_teams():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user, team, membership = (
        old.get_model("accounts", "User"),
        old.get_model("teams", "Team"),
        old.get_model("teams", "Membership"),
    )
    platform = team.objects.create(name="Platform", slug="platform")
    for name, role, lead in (
        ("vic", "viewer", False),
        ("eve", "editor", False),
        ("lea", "viewer", True),
    ):
        person = user.objects.create(username=name, role=role)
        membership.objects.create(team=platform, user=person, is_lead=lead)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    from kintsugi.teams.models import Membership

    roles = {m.user.username: m.role for m in Membership.objects.select_related("user")}
    assert roles == {"vic": "viewer", "eve": "editor", "lea": "admin"}
