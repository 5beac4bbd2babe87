"""``kintsugi weekly-review [--team T] [--week YYYY-Www] [--format md|html|json] [--send]``.

Prints the weekly review agenda (Markdown by default), as the person given with ``--as``
(or KINTSUGI_CLI_USER) may see it; without either it refuses (kintsugi/postmortems/
cli_identity.py). ``--send``
delivers the team's review now by email and Slack, as the schedule would, and reports
what was sent. Bad input exits with status 2 and a one-line reason.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

from kintsugi.core.debt.clock import Clock, SystemClock, utc_today
from kintsugi.core.debt.weekly_review_text import to_dict, to_markdown
from kintsugi.core.debt.weeks import IsoWeek, parse_iso_week
from kintsugi.core.errors import ValidationProblem
from kintsugi.debt.models import Delivery, DeliveryStatus, TeamDebtSettings
from kintsugi.debt.selectors.filters import visible_items
from kintsugi.debt.selectors.policy import policy_book
from kintsugi.debt.selectors.weekly_review import weekly_review
from kintsugi.debt.services.deliveries import deliver_due
from kintsugi.debt.services.weekly_review import (
    enqueue_weekly_review,
    weekly_review_key,
    weekly_review_url,
)
from kintsugi.postmortems.cli_identity import resolve_actor
from kintsugi.teams.models import Team

FORMATS = ("md", "html", "json")


class Command(BaseCommand):
    # Tests hand in a ManualClock (and a stop event) through call_command.
    stealth_options = ("clock",)
    help = "Print the weekly review agenda, or send it (--send) by email and Slack."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--team", help="Team slug or name (default: every team).")
        parser.add_argument("--week", help="ISO week such as 2026-W48 (default: this week).")
        parser.add_argument("--format", default="md", help="md (default), html or json.")
        parser.add_argument("--send", action="store_true", help="Deliver it now.")
        parser.add_argument("--as", dest="as_user", help="Act as this user: their access applies.")

    def handle(
        self,
        *args: Any,
        team: str | None,
        week: str | None,
        format: str,
        send: bool,
        as_user: str | None,
        clock: Clock | None = None,
        **options: Any,
    ) -> None:
        clock = clock or SystemClock()
        today = utc_today(clock)
        if format not in FORMATS:
            raise CommandError(f"Unknown format {format!r}; use md, html or json.", returncode=2)
        try:
            chosen_week = parse_iso_week(week) if week else IsoWeek.of(today)
        except ValidationProblem as problem:
            raise CommandError(problem.message, returncode=2) from None
        chosen_team = _team(team) if team else None
        if send:
            self._send(chosen_team, chosen_week, clock)
            return
        actor = resolve_actor(as_user)
        agenda = weekly_review(
            visible_items(actor),
            week=chosen_week,
            today=today,
            book=policy_book(),
            team=chosen_team,
            base_url=settings.KINTSUGI_BASE_URL,
        )
        if format == "md":
            sys.stdout.write(to_markdown(agenda))
        elif format == "json":
            sys.stdout.write(json.dumps(to_dict(agenda), indent=2, ensure_ascii=False) + "\n")
        else:
            page = weekly_review_url(settings.KINTSUGI_BASE_URL, chosen_week, chosen_team)
            sys.stdout.write(
                render_to_string(
                    "debt/email/weekly_review.html", {"agenda": agenda, "page_url": page}
                )
            )

    def _send(self, team: Team | None, week: IsoWeek, clock: Clock) -> None:
        if team is not None:
            teams = [team]
        else:
            teams = [
                s.team
                for s in TeamDebtSettings.objects.filter(review_enabled=True).select_related("team")
            ]
            if not teams:
                raise CommandError(
                    "No team sends a weekly review; name one with --team.", returncode=2
                )
        now = clock.now()
        for chosen in teams:
            offered = enqueue_weekly_review(
                team=chosen,
                week=week,
                today=utc_today(clock),
                now=now,
                base_url=settings.KINTSUGI_BASE_URL,
            )
            if not offered:
                self.stderr.write(
                    f"Team {chosen.name} has no recipient: no member with an email address "
                    "and no Slack webhook."
                )
        failed = 0
        for chosen in teams:
            failed += deliver_due(now=clock.now, key=weekly_review_key(chosen, week)).failed
            for delivery in Delivery.objects.filter(
                idempotency_key=weekly_review_key(chosen, week)
            ):
                state = delivery.get_status_display().lower()
                error = f": {delivery.last_error}" if delivery.status != DeliveryStatus.SENT else ""
                self.stdout.write(
                    f"{chosen.name} {week} {delivery.channel} to {_shown(delivery.recipient)}: "
                    f"{state}{error}"
                )
        if failed:
            raise CommandError(
                f"{failed} delivery(ies) failed; `kintsugi worker` retries them.", returncode=1
            )


def _shown(recipient: str) -> str:
    return "the team's Slack channel" if recipient.startswith("team:") else recipient


def _team(value: str) -> Team:
    found = (
        Team.objects.filter(slug=value).first() or Team.objects.filter(name__iexact=value).first()
    )
    if found is None:
        raise CommandError(f"Unknown team {value!r}; use a team's slug or name.", returncode=2)
    return found
