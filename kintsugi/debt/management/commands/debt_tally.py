"""``kintsugi debt-tally [--rebuild]``: how fresh the dashboard's tally is, per team.

The worker keeps the tally; ``--rebuild`` recounts every team now (after restoring a
backup made without triggers, say, or to time a full recount). Pages never recount: they
read the live aggregate while the tally is stale. It prints the numbers only, never an item, so it needs no
``--as``: it shows no more than the counts that every admin's dashboard shows.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Count

from kintsugi.core.debt.clock import utc_today
from kintsugi.debt.clock import get_clock
from kintsugi.debt.models import TallyLog, TallyState
from kintsugi.debt.selectors.policy import policy_book
from kintsugi.debt.tally.compute import all_team_keys, is_fresh, refresh_all
from kintsugi.teams.models import Team


class Command(BaseCommand):
    help = "Show how fresh the debt dashboard's tally is; --rebuild recomputes every team."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--rebuild", action="store_true", help="Recompute every team's tally now."
        )

    def handle(self, *args: Any, rebuild: bool, **options: Any) -> None:
        clock = get_clock()
        today, book = utc_today(clock), policy_book()
        if rebuild:
            TallyState.objects.update(computed_for=None)
            begin = time.perf_counter()
            done = refresh_all(today=today, book=book, now=clock.now())
            seconds = time.perf_counter() - begin
            self.stdout.write(f"Recomputed {len(done)} team tally(ies) in {seconds:.1f} s.")
        names = dict(Team.objects.values_list("pk", "name"))
        states = {state.team_key: state for state in TallyState.objects.all()}
        logged = dict(
            TallyLog.objects.values("team_key")
            .annotate(n=Count("incident_id", distinct=True))
            .values_list("team_key", "n")
        )
        for key in all_team_keys():
            state = states.get(key)
            name = names.get(key, "No team")
            if state is None or state.computed_at is None:
                self.stdout.write(f"{name}: never computed")
                continue
            fresh = "fresh" if is_fresh(state, today, book) else "stale"
            when = state.computed_at.strftime("%Y-%m-%d %H:%M:%S UTC")
            pending = logged.get(key, 0)
            since = f"; {pending} incident(s) written since, added by the pages" if pending else ""
            self.stdout.write(f"{name}: {fresh}, computed {when}{since}")
