"""The dashboard's tally: same numbers as the live aggregate, right after any write.

Every write below goes through a different path (the services, ``QuerySet.update``, raw
SQL, deletes, the incident's team, severity, restriction and services, the clock, the
policy), and after each one the tally read by a page (stored rows corrected for the
incidents logged since, without writing) must agree with the live aggregate that
``test_selectors_dashboard`` checks against the core; so must it after the worker's pass.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F

from kintsugi.core.debt.clock import ManualClock
from kintsugi.core.debt.weeks import IsoWeek
from kintsugi.debt.models import TallyItem, TallyLog, TallyRow, TallyState, TeamDuePolicy
from kintsugi.debt.selectors.dashboard import debt_dashboard
from kintsugi.debt.selectors.filters import visible_items
from kintsugi.debt.selectors.policy import policy_book
from kintsugi.debt.selectors.weekly_review import week_bounds, weekly_review
from kintsugi.debt.services.worker import run_pass
from kintsugi.debt.tally import compute, triggers
from kintsugi.debt.tally.compute import all_team_keys, refresh_all
from kintsugi.debt.tally.read import tally_dashboard, weekly_review_counts
from kintsugi.postmortems import services
from kintsugi.postmortems.models import ActionItem, Incident
from kintsugi.teams.models import Service, Team
from tests.debt.conftest import NOW, TODAY


def _shape(board):
    return {
        "total": board.total.as_dict(),
        "sla": board.total.sla,
        "groups": {
            group: [(row.key, row.label, row.counts.as_dict(), row.counts.sla) for row in rows]
            for group, rows in board.groups.items()
        },
        "trend": [(p.week, p.as_of, p.open, p.overdue) for p in board.trend],
        "oldest": [item.pk for item in board.oldest],
    }


def _keys(team: str | None) -> list[int] | None:
    if team is None:
        return None
    if team == "":
        return [0]
    return [Team.objects.get(slug=team).pk]


def _items(user, team: str | None):
    """What the dashboard view passes: visible items, of one team ("" for none) or all."""
    items = visible_items(user)
    if team == "":
        return items.filter(incident__team__isnull=True)
    if team is not None:
        return items.filter(incident__team__slug=team)
    return items


def _live(user, team: str | None = None, today=TODAY):
    return _shape(debt_dashboard(_items(user, team), today=today, book=policy_book()))


def _tallied(user, team: str | None = None, today=TODAY):
    """The dashboard read from the tally (which must be usable: no silent live fallback)."""
    board = tally_dashboard(
        user, _items(user, team), team_keys=_keys(team), today=today, book=policy_book()
    )
    assert board is not None, "the tally was not usable"
    return _shape(board)


def _count(today=TODAY) -> list[int]:
    """The worker's pass over the tally."""
    return refresh_all(today=today, book=policy_book(), now=NOW)


def _stale_teams(today=TODAY) -> set[int]:
    book = policy_book()
    states = {state.team_key: state for state in TallyState.objects.all()}
    return {key for key in all_team_keys() if not compute.is_fresh(states.get(key), today, book)}


def _logged_teams() -> set[int]:
    return set(TallyLog.objects.values_list("team_key", flat=True))


TRIGGERS = {
    "debt_tally_item_insert",
    "debt_tally_item_update",
    "debt_tally_item_delete",
    "debt_tally_incident_update",
    "debt_tally_incident_delete",
    "debt_tally_services_insert",
    "debt_tally_services_delete",
}


def test_the_triggers_are_installed_by_migrate(db):
    assert triggers.installed(connection) == TRIGGERS


def test_installing_twice_is_harmless(db):
    triggers.install(connection)
    triggers.install(connection)
    assert triggers.installed(connection) == TRIGGERS


@pytest.mark.parametrize("who", ["admin_user", "teammate", "outsider"])
@pytest.mark.parametrize("chosen", [None, "platform", "data", ""])
def test_it_matches_the_live_aggregate(mixed, request, who, chosen):
    user = request.getfixturevalue(who)
    _count()
    assert _tallied(user, chosen) == _live(user, chosen)


def test_it_is_not_used_until_the_worker_counted_it(mixed, admin_user):
    """Pages never count it themselves: they read the live aggregate meanwhile."""
    board = tally_dashboard(
        admin_user, _items(admin_user, None), team_keys=None, today=TODAY, book=policy_book()
    )
    assert board is None
    assert not TallyRow.objects.exists() and not TallyState.objects.exists()


def test_restricted_items_count_only_for_those_who_may_see_them(mixed, admin_user, outsider):
    restricted = ActionItem.objects.filter(incident__is_restricted=True).count()
    assert restricted > 0
    assert TallyRow.objects.count() == 0
    _count()
    everyone = _tallied(admin_user)
    limited = _tallied(outsider)
    assert sum(limited["total"][k] for k in ("open", "done_on_time", "done_late", "wont_do")) == (
        sum(everyone["total"][k] for k in ("open", "done_on_time", "done_late", "wont_do"))
        - restricted
    )
    assert TallyRow.objects.filter(incident_id__isnull=False).exists()


def test_a_fresh_tally_is_not_recomputed(mixed, admin_user):
    assert _count() == all_team_keys()
    assert _stale_teams() == set()
    assert _count() == []


def _edit_title(item, incident, owner):
    ActionItem.objects.filter(pk=item.pk).update(title="A new title")


def _close_through_services(item, incident, owner):
    services.action_item_update(user=owner, item=item, version=item.version, status="done")


def _raw_sql_status(item, incident, owner):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE postmortems_actionitem SET status = 'wont_do' WHERE id = %s", [item.pk]
        )


def _queryset_due_date(item, incident, owner):
    ActionItem.objects.filter(pk=item.pk).update(due_on=F("due_on") + timedelta(days=40))


def _delete_item(item, incident, owner):
    ActionItem.objects.filter(pk=item.pk).delete()


def _move_incident(item, incident, owner):
    Incident.objects.filter(pk=incident.pk).update(team=Team.objects.get(slug="data"))


def _restrict_incident(item, incident, owner):
    Incident.objects.filter(pk=incident.pk).update(is_restricted=True)


def _change_severity(item, incident, owner):
    Incident.objects.filter(pk=incident.pk).update(severity="SEV4")


def _add_service(item, incident, owner):
    incident.services.add(Service.objects.create(name="Queue", slug="queue"))


def _remove_services(item, incident, owner):
    incident.services.clear()


def _reassign(item, incident, owner):
    ActionItem.objects.filter(pk=item.pk).update(owner=None)


def _new_item(item, incident, owner):
    services.action_item_add(user=owner, incident=incident, title="Add a pool alert")


WRITES = [
    _close_through_services,
    _raw_sql_status,
    _queryset_due_date,
    _delete_item,
    _move_incident,
    _restrict_incident,
    _change_severity,
    _add_service,
    _remove_services,
    _reassign,
    _new_item,
]


@pytest.mark.parametrize("write", WRITES, ids=[w.__name__.strip("_") for w in WRITES])
def test_every_kind_of_write_shows_at_once(mixed, admin_user, teammate, owner, write):
    _count()
    item = (
        ActionItem.objects.filter(
            status__in=["open", "in_progress"], incident__team__slug="platform"
        )
        .exclude(due_on=None)
        .order_by("pk")
        .first()
    )
    incident = Incident.objects.get(pk=item.incident_id)
    write(item, incident, owner)
    assert Team.objects.get(slug="platform").pk in _logged_teams()
    for user in (admin_user, teammate):
        for team in (None, "platform", "data"):
            assert _tallied(user, team) == _live(user, team), (user, team)
    assert Team.objects.get(slug="platform").pk in _count()  # the worker folds it in
    assert not TallyLog.objects.exists()
    for user in (admin_user, teammate):
        for team in (None, "platform", "data"):
            assert _tallied(user, team) == _live(user, team), (user, team)


def test_a_title_edit_is_not_logged(mixed, admin_user, owner):
    _count()
    item = ActionItem.objects.order_by("pk").first()
    _edit_title(item, item.incident, owner)
    Incident.objects.filter(pk=item.incident_id).update(title="Pool exhausted again")
    assert _stale_teams() == set()
    assert not TallyLog.objects.exists()


def _usable(user, team: str | None = None, today=TODAY) -> bool:
    return (
        tally_dashboard(
            user, _items(user, team), team_keys=_keys(team), today=today, book=policy_book()
        )
        is not None
    )


def test_a_new_day_and_a_new_threshold_make_it_stale(mixed, admin_user):
    _count()
    tomorrow = TODAY + timedelta(days=1)
    assert _stale_teams(tomorrow) == set(all_team_keys())
    assert not _usable(admin_user, today=tomorrow)  # the page reads the live aggregate
    assert _count(tomorrow) == all_team_keys()
    assert _tallied(admin_user, today=tomorrow) == _live(admin_user, today=tomorrow)
    TeamDuePolicy.objects.filter(team__slug="data").update(at_risk_days=1)
    data = Team.objects.get(slug="data").pk
    assert _stale_teams(tomorrow) == {data}
    assert not _usable(admin_user, "data", today=tomorrow)
    assert _usable(admin_user, "platform", today=tomorrow)
    assert _count(tomorrow) == [data]
    assert _tallied(admin_user, today=tomorrow) == _live(admin_user, today=tomorrow)


def test_a_write_during_a_pass_stays_logged(mixed, admin_user, owner, monkeypatch):
    """The log is read before the facts are copied: a change that lands meanwhile keeps
    its log row, so pages still add it and the next pass folds it in."""
    _count()
    platform = Team.objects.get(slug="platform").pk
    item = ActionItem.objects.filter(incident__team_id=platform, status="open").first()
    ActionItem.objects.filter(pk=item.pk).update(priority="P3")
    real = compute.facts.copy_live

    def copy_then_write(incident_ids):
        real(incident_ids)
        ActionItem.objects.filter(pk=item.pk).update(status="done", completed_at=NOW)

    monkeypatch.setattr(compute.facts, "copy_live", copy_then_write)
    _count()
    monkeypatch.setattr(compute.facts, "copy_live", real)
    assert _logged_teams() == {platform}
    assert _tallied(admin_user) == _live(admin_user)
    _count()
    assert not TallyLog.objects.exists()
    assert _tallied(admin_user) == _live(admin_user)


def test_the_worker_recomputes_stale_teams_and_forgets_deleted_ones(mixed, admin_user):
    clock = ManualClock(NOW)
    report = run_pass(clock=clock)
    assert report.tallies == len(all_team_keys())
    assert "team tally(ies) recomputed" in str(report)
    assert run_pass(clock=clock).tallies == 0
    data = Team.objects.get(slug="data")
    gone = data.pk
    Incident.objects.filter(team=data).update(team=None)
    data.delete()
    assert run_pass(clock=clock).tallies == 1  # "no team" gained the incidents
    assert TallyItem.objects.filter(team_key=gone).count() == 0
    assert not TallyRow.objects.filter(team_key=gone).exists()
    assert not TallyState.objects.filter(team_key=gone).exists()
    assert _tallied(admin_user) == _live(admin_user)


def test_an_unknown_team_shows_an_empty_dashboard(mixed, admin_user, login):
    body = login(admin_user).get("/debt/?team=no-such-team").content.decode()
    assert "Post-mortem debt" in body and 'data-testid="kpi-oldest">–<' in body
    assert not TallyState.objects.exists()  # nothing computed for a team that is not there
    assert _count() == all_team_keys()
    body = login(admin_user).get("/debt/?team=no-such-team").content.decode()
    assert 'data-testid="kpi-oldest">–<' in body


def test_a_member_of_a_restricted_incident_counts_its_items(mixed, outsider):
    _count()
    before = _tallied(outsider)
    restricted = Incident.objects.get(is_restricted=True)
    restricted.members.add(outsider)  # access changes; the tally does not need to
    after = _tallied(outsider)
    assert after == _live(outsider)
    assert after["total"]["open"] + after["total"]["wont_do"] > (
        before["total"]["open"] + before["total"]["wont_do"]
    )
    for chosen in (None, "data"):
        assert _tallied(outsider, chosen) == _live(outsider, chosen)


def test_the_organisation_rows_add_up_the_teams(mixed, admin_user):
    _count()
    for scope, only_public in ((compute.EVERYTHING, False), (compute.PUBLIC, True)):
        teams = TallyRow.objects.filter(team_key__gte=0, dimension="owner")
        if only_public:
            teams = teams.filter(incident_id__isnull=True)
        org = TallyRow.objects.filter(team_key=scope, dimension="owner")
        assert sum(org.values_list("open", flat=True)) == sum(teams.values_list("open", flat=True))
        assert org.count() == len(set(teams.values_list("key", flat=True)))


def test_the_command_reports_and_rebuilds(mixed, admin_user, clock):
    from io import StringIO

    from django.core.management import call_command

    def run(*args: str) -> str:
        out = StringIO()
        call_command("debt_tally", *args, stdout=out)
        return out.getvalue()

    out = run()
    assert "Platform: never computed" in out and "No team: never computed" in out
    out = run("--rebuild")
    assert f"Recomputed {len(all_team_keys())} team tally(ies)" in out
    assert "Platform: fresh, computed 2026-11-25 10:00:00 UTC" in out
    assert _tallied(admin_user) == _live(admin_user)
    ActionItem.objects.filter(incident__team__slug="platform").update(status="wont_do")
    assert "Platform: fresh, computed 2026-11-25 10:00:00 UTC; 2 incident(s) written since" in run()
    assert _tallied(admin_user) == _live(admin_user)
    clock.advance(timedelta(days=1))
    assert "Platform: stale" in run()


def test_the_command_refuses_unknown_options(db, capsys):
    from kintsugi.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["debt-tally", "--rebuild-everything<script>"])
    assert exit_.value.code == 2
    assert "unrecognized arguments" in capsys.readouterr().err


def _live_review(user, team=None):
    """The sizes of this week's sections by the core, and the items opened this week."""
    week = IsoWeek.of(TODAY)
    agenda = weekly_review(
        visible_items(user), week=week, today=TODAY, book=policy_book(), team=team
    )
    sizes = {section.key: len(section.entries) for section in agenda.sections}
    _as_of, start, end = week_bounds(week, TODAY)
    opened = visible_items(user).filter(created_at__gte=start, created_at__lt=end)
    if team is not None:
        opened = opened.filter(incident__team=team)
    return sizes, opened.count()


@pytest.mark.parametrize("who", ["admin_user", "teammate", "outsider"])
def test_this_weeks_review_counts_match_the_core_agenda(mixed, request, who, make_item, owner):
    user = request.getfixturevalue(who)
    # Something opened this week, with and without a ticket.
    make_item("Opened this week", owner=owner, due_on=TODAY + timedelta(days=20), created=TODAY)
    make_item("No ticket", owner=owner, ticket_id="", created=TODAY - timedelta(days=1))
    _count()
    got = weekly_review_counts(user, today=TODAY, book=policy_book())
    assert got == _live_review(user)
    assert sum(got[0].values()) > 0 and got[1] > 0


def test_a_new_ticket_changes_the_review_counts(mixed, admin_user, owner, make_item):
    item = make_item("No ticket yet", owner=owner, ticket_id="", due_on=TODAY + timedelta(30))
    _count()
    before = weekly_review_counts(admin_user, today=TODAY, book=policy_book())
    ActionItem.objects.filter(pk=item.pk).update(ticket_id="OPS-77")  # only the ticket
    assert Team.objects.get(slug="platform").pk in _logged_teams()
    after = weekly_review_counts(admin_user, today=TODAY, book=policy_book())
    assert after == _live_review(admin_user) and after != before


@pytest.mark.parametrize("who", ["admin_user", "teammate", "outsider"])
@pytest.mark.parametrize("chosen", ["platform", "data"])
def test_one_teams_review_counts_match_the_core_agenda(mixed, request, who, chosen):
    user = request.getfixturevalue(who)
    team = Team.objects.get(slug=chosen)
    expected = _live_review(user, team)
    _count()
    got = weekly_review_counts(user, today=TODAY, book=policy_book(), team_keys=[team.pk])
    assert got == expected


def test_a_deleted_team_is_not_counted_twice_before_the_worker_runs(mixed, admin_user):
    _count()
    Team.objects.get(slug="data").delete()  # its incidents move to "no team"
    assert _tallied(admin_user) == _live(admin_user)
    assert _tallied(admin_user, "") == _live(admin_user, "")


def test_closing_the_oldest_open_item_shows_the_next_oldest(mixed, admin_user, teammate):
    """A minimum cannot be corrected by subtraction: the page looks the next one up."""
    _count()
    oldest = ActionItem.objects.filter(status__in=["open", "in_progress"]).order_by(
        "created_at", "pk"
    )
    for item in list(oldest[:3]):
        ActionItem.objects.filter(pk=item.pk).update(status="done", completed_at=NOW)
        for user in (admin_user, teammate):
            for team in (None, "platform", "data"):
                assert _tallied(user, team) == _live(user, team), (user, team)


def test_a_busy_log_falls_back_to_the_live_aggregate(mixed, admin_user, monkeypatch):
    from kintsugi.debt.tally import read

    _count()
    for incident in mixed:
        ActionItem.objects.filter(incident=incident).update(priority="P0")
    monkeypatch.setattr(read, "READ_LIMIT", 2)
    assert not _usable(admin_user)
    monkeypatch.setattr(read, "READ_LIMIT", 300)
    assert _tallied(admin_user) == _live(admin_user)


def test_a_pass_that_lands_during_a_read_makes_it_read_again(mixed, admin_user, monkeypatch):
    from kintsugi.debt.tally import read

    _count()
    ActionItem.objects.filter(incident=mixed[0]).update(priority="P0")
    real = read.facts.logged_facts
    calls = []

    def live_then_pass(*args, **kwargs):  # the logged facts read, then a pass, then the rows
        found = real(*args, **kwargs)
        if not calls:
            calls.append(1)
            ActionItem.objects.filter(incident=mixed[1]).update(priority="P3")
            _count()  # the stored rows change under the read
        return found

    monkeypatch.setattr(read.facts, "logged_facts", live_then_pass)
    assert _tallied(admin_user) == _live(admin_user)
    assert calls == [1]
