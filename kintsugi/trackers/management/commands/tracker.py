"""``kintsugi tracker add|list|sync``: a team's tracker connection from the terminal.

``add`` prints one JSON object with the webhook URL and secret to give the tracker (shown
this once on screen; the token is never asked for, only the name of the environment
variable that holds it). ``sync`` runs the sync outbox until it is empty, with a progress
line on stderr.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kintsugi.core.errors import ValidationProblem
from kintsugi.postmortems.cli_identity import resolve_actor
from kintsugi.teams.models import Team
from kintsugi.trackers.models import JobState, SyncJob, TrackerKind
from kintsugi.trackers.services.connections import connection_create, connections_for, hook_path
from kintsugi.trackers.services.sync import jobs_run_due


class Command(BaseCommand):
    help = "Add and list tracker connections (GitHub, GitLab); run the sync now."

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
        add.add_argument("--project", required=True, help="owner/repo or group/project")
        add.add_argument("--token-env", required=True, help="Environment variable with the token.")
        add.add_argument("--api-url", default="", help="API root (GitHub Enterprise, GitLab).")
        add.add_argument("--web-url", default="", help="Web root the issue URLs start with.")
        sub.add_parser("list", help="List connections as JSON (without secrets).")
        sync = sub.add_parser("sync", help="Run the due sync jobs until none is left.")
        sync.add_argument("--batch", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        # `sync` is the system's own job (as `worker`): it takes no identity.
        user = None if options["action"] == "sync" else resolve_actor(options.get("as_user"))
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
            token_env=options["token_env"],
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
                "webhook_url": settings.KINTSUGI_BASE_URL + hook_path(c),
            }
            for c in connections_for(user)
        ]

    def _sync(self, user: Any, options: dict[str, Any]) -> object:
        if options.get("as_user"):
            raise ValidationProblem("`tracker sync` acts as the operator; leave out --as.")
        if not 1 <= options["batch"] <= 10_000:
            raise ValidationProblem("--batch is 1 to 10,000.")
        waiting = SyncJob.objects.filter(state=JobState.WAITING)
        total = waiting.count()
        passes = []
        while True:
            passes.append(jobs_run_due(limit=options["batch"]))
            left = waiting.count()
            done = max(0, total - left)
            self.stderr.write(
                f"\r[{'#' * (20 * done // max(total, 1)):<20}] {done}/{total}", ending=""
            )
            if not left or passes[-1].startswith("0 synced"):
                break
        self.stderr.write("")
        return {"passes": passes, "waiting": waiting.count()}
