"""Property: after any sequence of writes (and worker passes in between, or none), the
tally a page reads equals the live aggregate, for every viewer and team choice.

The live aggregate is checked against the core's definitions in
``test_selectors_dashboard``; here hypothesis drives random writes through the paths the
triggers watch (items, incidents, their services), with the worker's pass as one of them.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kintsugi.debt.selectors.policy import policy_book
from kintsugi.debt.tally.compute import refresh_all
from kintsugi.debt.tally.read import weekly_review_counts
from kintsugi.postmortems.models import ActionItem, Incident
from kintsugi.teams.models import Service, Team
from tests.debt.conftest import NOW, TODAY
from tests.debt.test_tally import _keys, _live, _live_review, _tallied

ITEM_OPS = st.one_of(
    st.tuples(st.just("status"), st.sampled_from(["open", "in_progress", "done", "wont_do"])),
    st.tuples(st.just("due"), st.one_of(st.none(), st.integers(-20, 20))),
    st.tuples(st.just("completed"), st.one_of(st.none(), st.integers(-20, 0))),
    st.tuples(st.just("created"), st.integers(-40, 0)),
    st.tuples(st.just("owner"), st.sampled_from([None, "bob", "carol"])),
    st.tuples(st.just("priority"), st.sampled_from(["P0", "P1", "P2", "P3"])),
    st.tuples(st.just("ticket"), st.sampled_from(["", "OPS-1"])),
    st.tuples(st.just("delete"), st.none()),
    st.tuples(st.just("move"), st.integers(0, 4)),
)
INCIDENT_OPS = st.one_of(
    st.tuples(st.just("team"), st.sampled_from([None, "platform", "data"])),
    st.tuples(st.just("restricted"), st.booleans()),
    st.tuples(st.just("severity"), st.sampled_from(["SEV1", "SEV2", "SEV3", "SEV4"])),
    st.tuples(st.just("service_add"), st.sampled_from(["web", "api"])),
    st.tuples(st.just("services_clear"), st.none()),
    st.tuples(st.just("new_item"), st.integers(-30, 30)),
)
STEP = st.one_of(
    st.tuples(st.just("item"), st.integers(0, 10_000), ITEM_OPS),
    st.tuples(st.just("incident"), st.integers(0, 4), INCIDENT_OPS),
    st.tuples(st.just("pass"), st.none(), st.none()),
)


def _apply_item(item: ActionItem, op: str, value, people, incidents) -> None:  # noqa: C901, PLR0912
    rows = ActionItem.objects.filter(pk=item.pk)
    if op == "status":
        rows.update(status=value)
    elif op == "due":
        rows.update(due_on=None if value is None else TODAY + timedelta(days=value))
    elif op == "completed":
        rows.update(completed_at=None if value is None else NOW + timedelta(days=value))
    elif op == "created":
        rows.update(created_at=NOW + timedelta(days=value, hours=-3))
    elif op == "owner":
        rows.update(owner=people[value] if value else None)
    elif op == "priority":
        rows.update(priority=value)
    elif op == "ticket":
        rows.update(ticket_id=value)
    elif op == "delete":
        rows.delete()
    elif op == "move":
        rows.update(incident=incidents[value])


def _apply_incident(incident: Incident, op: str, value) -> None:
    rows = Incident.objects.filter(pk=incident.pk)
    if op == "team":
        rows.update(team=Team.objects.get(slug=value) if value else None)
    elif op == "restricted":
        rows.update(is_restricted=value)
    elif op == "severity":
        rows.update(severity=value)
    elif op == "service_add":
        incident.services.add(Service.objects.get(slug=value))
    elif op == "services_clear":
        incident.services.clear()
    elif op == "new_item":
        ActionItem.objects.create(
            incident=incident,
            title="New",
            priority="P1",
            created_at=NOW - timedelta(days=2),
            due_on=TODAY + timedelta(days=value),
            policy_due_on=TODAY + timedelta(days=value),
        )


def _check(users) -> None:
    for user in users:
        for team in (None, "platform", "data", ""):
            assert _tallied(user, team) == _live(user, team), (user.username, team)
        got = weekly_review_counts(user, today=TODAY, book=policy_book())
        assert got == _live_review(user), user.username
    platform = Team.objects.get(slug="platform")
    for user in users:
        got = weekly_review_counts(
            user, today=TODAY, book=policy_book(), team_keys=_keys("platform")
        )
        assert got == _live_review(user, platform), user.username


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=1, max_size=8))
def test_the_tally_read_equals_the_live_aggregate_after_any_writes(
    mixed, admin_user, teammate, outsider, steps
):
    from kintsugi.accounts.models import User

    people = {"bob": teammate, "carol": User.objects.get(username="carol")}
    users = (admin_user, teammate, outsider)
    with transaction.atomic():
        refresh_all(today=TODAY, book=policy_book(), now=NOW)
        incidents = list(Incident.objects.order_by("pk"))
        for kind, index, change in steps:
            op, value = change or (None, None)
            if kind == "pass":
                refresh_all(today=TODAY, book=policy_book(), now=NOW)
            elif kind == "incident":
                _apply_incident(incidents[index], op, value)
            else:
                items = list(ActionItem.objects.order_by("pk").values_list("pk", flat=True))
                if items:
                    item = ActionItem.objects.get(pk=items[index % len(items)])
                    _apply_item(item, op, value, people, incidents)
        _check(users)
        refresh_all(today=TODAY, book=policy_book(), now=NOW)
        _check(users)
        transaction.set_rollback(True)
