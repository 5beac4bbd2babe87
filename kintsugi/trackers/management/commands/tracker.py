"""``kintsugi tracker add|list|rotate|rekey|newkey|sync``: a team's tracker from the terminal.

``add`` prints one JSON object with the webhook URL and secret to give the tracker (shown
this once on screen). The token is named by its environment variable (``--token-env``) or
read from standard input (``--token-stdin``, never an argument: other users of the machine
could read it in the process list) and kept sealed with ``KINTSUGI_ENCRYPTION_KEY``.
``rotate`` replaces the webhook secret (the old one is accepted for ``--grace-hours``);
``rekey`` seals the stored tokens again under the first key (key rotation); ``newkey``
prints a fresh key. ``sync`` runs the sync outbox until it is empty, with a progress line
on stderr.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kintsugi.core.errors import ValidationProblem
from kintsugi.core.rotation import add_grace_option, grace_from_hours
from kintsugi.core.sealing import MAX_SECRET, new_key
from kintsugi.postmortems.cli_identity import resolve_actor
from kintsugi.teams.models import Team
from kintsugi.trackers.models import JobState, SyncJob, TrackerKind
from kintsugi.trackers.services.connections import connection_create, connections_for, hook_path
from kintsugi.trackers.services.secrets import tokens_rekey, webhook_rotate
from kintsugi.trackers.services.sync import jobs_run_due


class Command(BaseCommand):
    help = "Add and list tracker connections (GitHub, GitLab, Jira); run the sync now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as", dest="as_user", help="Act as this user (default: operator).")
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
        sync.add_argument("--batch", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        user = resolve_actor(options.get("as_user"))
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
