"""The policy book: the organisation's row and every team's override, in one query; one
team's policy, also in one."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kintsugi.core.vocabulary import Priority
from kintsugi.debt.models import OrganisationDuePolicy, TeamDuePolicy
from kintsugi.debt.selectors.policy import policy_book, policy_for_team
from kintsugi.teams.models import Team


def _days(policy) -> dict[str, int]:
    return {p.value: policy.windows[p].days for p in Priority} | {"risk": policy.at_risk_days}


def test_without_a_stored_row_it_is_the_defaults(db, team):
    with CaptureQueriesContext(connection) as captured:
        book = policy_book()
    assert len(captured) == 1
    assert _days(book.default) == {"P0": 14, "P1": 14, "P2": 30, "P3": 60, "risk": 3}
    assert book.for_team(team.pk) is book.default  # no override: the organisation's
    assert book.teams == {}


def test_it_merges_each_override_onto_the_stored_row_in_one_query(db, team):
    OrganisationDuePolicy.objects.create(pk=1, window_p2=21, window_p3=45, at_risk_days=4)
    data = Team.objects.create(name="Data", slug="data")
    TeamDuePolicy.objects.create(team=data, window_p1=7, at_risk_days=5)
    TeamDuePolicy.objects.create(team=team)  # an empty override inherits everything
    with CaptureQueriesContext(connection) as captured:
        book = policy_book()
    assert len(captured) == 1
    assert _days(book.default) == {"P0": 14, "P1": 14, "P2": 21, "P3": 45, "risk": 4}
    assert _days(book.for_team(data.pk)) == {"P0": 14, "P1": 7, "P2": 21, "P3": 45, "risk": 5}
    assert _days(book.for_team(team.pk)) == _days(book.default)
    assert book.for_team(data.pk).describe(Priority.P1) == "7 days (team Data)"
    assert book.for_team(data.pk).describe(Priority.P2) == "21 days (organisation default)"
    assert book.at_risk_groups() == {5: [data.pk]}


def test_one_team_s_policy_is_the_book_s_in_one_query(db, team):
    """What an action item's save reads: the same merge as the book, for one team."""
    OrganisationDuePolicy.objects.create(pk=1, window_p2=21, at_risk_days=4)
    data = Team.objects.create(name="Data", slug="data")
    TeamDuePolicy.objects.create(team=data, window_p1=7, at_risk_days=5)
    book = policy_book()
    for team_id in (data.pk, team.pk, None, 987654):
        with CaptureQueriesContext(connection) as captured:
            policy = policy_for_team(team_id)
        assert len(captured) == 1
        assert _days(policy) == _days(book.for_team(team_id))
        assert policy.describe(Priority.P1) == book.for_team(team_id).describe(Priority.P1)
    assert policy_for_team(data.pk).describe(Priority.P1) == "7 days (team Data)"
