"""``kintsugi tracker add|list|rotate|rekey|newkey|sync``: a team's tracker from the terminal.

``add`` prints one JSON object with the webhook URL and secret to give the tracker (shown
this once on screen). The token is named by its environment variable (``--token-env``) or
read from standard input (``--token-stdin``, never an argument: other users of the machine
could read it in the process list) and kept sealed with ``KINTSUGI_ENCRYPTION_KEY``.
``rotate`` replaces the webhook secret (the old one is accepted for ``--grace-hours``);
``rekey`` seals the stored tokens again under the first key (key rotation); ``newkey``
prints a fresh key. ``sync`` runs the sync outbox until it is empty, waiting (rather than
stopping) when a tracker asks to slow down or its documented pace is reached, with a
progress bar on a terminal and plain progress lines otherwise, on stderr.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.rotation import add_grace_option, grace_from_hours
from kintsugi.core.sealing import MAX_SECRET, new_key
from kintsugi.postmortems.cli_identity import resolve_actor
from kintsugi.teams.models import Team
from kintsugi.trackers.models import JobState, SyncJob, TrackerKind
from kintsugi.trackers.services.connections import connection_create, connections_for, hook_path
from kintsugi.trackers.services.secrets import tokens_rekey, webhook_rotate
from kintsugi.trackers.services.sync import jobs_run_due, next_wake

SYSTEM_ACTIONS = ("sync", "rekey", "newkey")


class Command(BaseCommand):
    help = "Add and list tracker connections (GitHub, GitLab, Jira); run the sync now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as",
            dest="as_user",
            help="Act as this user (or KINTSUGI_CLI_USER): their access applies.",
        )
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        add = sub.add_parser("add", help="Connect a team to its tracker.")
        add.add_argument("kind", choices=TrackerKind.values)
        add.add_argument("name")
        add.add_argument("--team", required=True, help="Slug of the team.")
        add.add_argument(
            "--project", required=True, help="owner/repo, group/project or a Jira project key"
        )
        token = add.add_mutually_exclusive_group(required=True)
        token.add_argument("--token-env", help="Environment variable with the token.")
        token.add_argument(
            "--token-stdin",
            action="store_true",
            help="Read the token from standard input and keep it sealed (KINTSUGI_ENCRYPTION_KEY).",
        )
        add.add_argument(
            "--api-url", default="", help="API root (GitHub Enterprise, GitLab); the site for Jira."
        )
        add.add_argument("--web-url", default="", help="Web root the issue URLs start with.")
        sub.add_parser("list", help="List connections as JSON (without secrets).")
        rotate = sub.add_parser("rotate", help="Replace the webhook secret and print the new one.")
        rotate.add_argument("name")
        add_grace_option(rotate)
        sub.add_parser("rekey", help="Seal the stored tokens again with the first key.")
        sub.add_parser("newkey", help="Print a new key for KINTSUGI_ENCRYPTION_KEY.")
        sync = sub.add_parser("sync", help="Run the due sync jobs until none is left.")
        sync.add_argument("--batch", type=int, default=200, help="Jobs per pass (1 to 10,000).")
        sync.add_argument(
            "--max-wait",
            type=int,
            default=24 * 3600,
            help="Seconds to wait in all for rate limits before stopping (default a day).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # `sync` is the system's own job (as `worker`), and `rekey` / `newkey` handle the
        # encryption key, not incident data: they take no identity.
        system = options["action"] in SYSTEM_ACTIONS
        user = None if system else resolve_actor(options.get("as_user"))
        try:
            result = getattr(self, f"_{options['action']}")(user, options)
        except ValidationProblem as problem:
            raise CommandError(problem.message, returncode=2) from None
        except PermissionDenied as denied:
            raise CommandError(str(denied), returncode=1) from None
        if result is not None:
            self.stdout.write(json.dumps(result, indent=2))

    def _add(self, user: Any, options: dict[str, Any]) -> object:
        team = Team.objects.filter(slug=options["team"]).first()
        if team is None:
            raise ValidationProblem(f"There is no team {options['team']!r}.")
        connection = connection_create(
            user=user,
            team=team,
            kind=options["kind"],
            name=options["name"],
            project=options["project"],
            token_env=options["token_env"] or "",
            token=self._stdin_token() if options["token_stdin"] else "",
            base_url=options["api_url"],
            web_url=options["web_url"],
        )
        return {
            "name": connection.name,
            "kind": connection.kind,
            "webhook_url": settings.KINTSUGI_BASE_URL + hook_path(connection),
            "webhook_secret": connection.webhook_secret,
        }

    def _list(self, user: Any, options: dict[str, Any]) -> object:
        return [
            {
                "name": c.name,
                "kind": c.kind,
                "team": c.team.slug,
                "project": c.project,
                "api_url": c.base_url,
                "token_env": c.token_env,
                "token_sealed": bool(c.token_sealed),
                "rotated_at": c.rotated_at.isoformat() if c.rotated_at else None,
                "webhook_url": settings.KINTSUGI_BASE_URL + hook_path(c),
            }
            for c in connections_for(user)
        ]

    def _stdin_token(self) -> str:
        if sys.stdin.isatty():
            self.stderr.write("Token (then Enter): ", ending="")
        return sys.stdin.readline(MAX_SECRET + 2).strip()

    def _rotate(self, user: Any, options: dict[str, Any]) -> object:
        connection = connections_for(user).filter(name=options["name"]).first()
        if connection is None:
            raise ValidationProblem(f"There is no connection named {options['name']!r} of yours.")
        grace = grace_from_hours(options["grace_hours"])
        fresh = webhook_rotate(user=user, connection=connection, grace=grace)
        until = fresh.previous_valid_until
        return {
            "name": fresh.name,
            "webhook_url": settings.KINTSUGI_BASE_URL + hook_path(fresh),
            "webhook_secret": fresh.webhook_secret,
            "previous_valid_until": until.isoformat() if until else None,
        }

    def _rekey(self, user: Any, options: dict[str, Any]) -> object:
        if options.get("as_user"):
            raise ValidationProblem("`tracker rekey` acts as the operator; leave out --as.")
        return {"resealed": tokens_rekey()}

    def _newkey(self, user: Any, options: dict[str, Any]) -> object:
        return {"key": new_key()}

    def _sync(self, user: Any, options: dict[str, Any]) -> object:
        """Run the outbox until it is empty, waiting when a tracker says "slow down" (its
        Retry-After) or its documented pace is reached, rather than stopping."""
        if options.get("as_user"):
            raise ValidationProblem("`tracker sync` acts as the operator; leave out --as.")
        if not 1 <= options["batch"] <= 10_000:
            raise ValidationProblem("--batch is 1 to 10,000.")
        max_wait = options["max_wait"]
        if not 0 <= max_wait <= 7 * 24 * 3600:
            raise ValidationProblem("--max-wait is 0 to 604,800 seconds (a week).")
        waiting = SyncJob.objects.filter(state=JobState.WAITING)
        failed_before = SyncJob.objects.filter(state=JobState.FAILED).count()
        progress = Progress(self.stderr, waiting.count(), tty=self.stderr.isatty())
        passes = waited = 0
        stopped = ""
        while True:
            line = jobs_run_due(limit=options["batch"])
            passes += 1
            left = waiting.count()
            failed = SyncJob.objects.filter(state=JobState.FAILED).count() - failed_before
            progress.show(left, failed)
            if not left:
                break
            if not line.startswith("0 synced, 0 failed"):
                continue  # it moved: the next pass at once
            now = timezone.now()
            wake = next_wake(now)
            if wake is None:
                break
            pause = max(0.1, (wake - now).total_seconds())
            if waited + pause > max_wait:
                stopped = f"stopped: the next job is due at {wake:%Y-%m-%d %H:%M:%S} UTC"
                break
            progress.waiting(left, failed, wake)
            time.sleep(min(pause, 60.0))  # wake at least each minute to show progress
            waited += min(pause, 60.0)
        progress.end()
        result: dict[str, object] = {
            "passes": passes,
            "waiting": waiting.count(),
            "failed": SyncJob.objects.filter(state=JobState.FAILED).count() - failed_before,
            "seconds_waited": round(waited, 1),
        }
        if stopped:
            result["stopped"] = stopped
        return result


class Progress:
    """A bar redrawn in place on a terminal; plain lines otherwise (cron, a log file),
    at most one every ``EVERY`` seconds, and one at the end."""

    EVERY = 10.0
    WIDTH = 30

    def __init__(self, out: Any, total: int, *, tty: bool) -> None:
        self.out, self.total, self.tty = out, total, tty
        self.started = self.last = time.monotonic()

    def _figures(self, left: int, failed: int) -> str:
        done = max(0, self.total - left)
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = done / elapsed
        text = f"{done:,}/{self.total:,} synced or tried ({rate:,.1f}/s)"
        return text + (f", {failed:,} failed" if failed else "")

    def _bar(self, left: int) -> str:
        done = max(0, self.total - left)
        filled = self.WIDTH * done // max(self.total, 1)
        return f"[{'#' * filled}{'.' * (self.WIDTH - filled)}]"

    def show(self, left: int, failed: int) -> None:
        if self.tty:
            line = f"{self._bar(left)} {self._figures(left, failed)}"
            self.out.write(f"\r{line:<100}", ending="")
            self.out.flush()
        elif time.monotonic() - self.last >= self.EVERY or not left:
            self.out.write(f"tracker sync: {self._figures(left, failed)}")
            self.last = time.monotonic()

    def waiting(self, left: int, failed: int, until: datetime) -> None:
        note = f"waiting for the tracker's rate limit until {until:%H:%M:%S} UTC"
        if self.tty:
            line = f"{self._bar(left)} {self._figures(left, failed)}; {note}"
            self.out.write(f"\r{line:<100}", ending="")
            self.out.flush()
        elif time.monotonic() - self.last >= self.EVERY:
            self.out.write(f"tracker sync: {self._figures(left, failed)}; {note}")
            self.last = time.monotonic()

    def end(self) -> None:
        if self.tty:
            self.out.write("")
