"""``kintsugi source add|list|rotate|reprocess|work``: manage capture sources from the terminal.

``add`` and ``rotate`` print one JSON object, ``{"kind", "name", "url", "secret"}``: the
secret is shown this once (only its hash is stored). PagerDuty's secret is PagerDuty's: give
it on standard input with ``--signing-secret-stdin`` (never as an argument, which other users
of the machine could read in the process list); its ``secret`` prints as null.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kintsugi.capture.models import RawDelivery, SourceKind
from kintsugi.capture.services.ingest import deliveries_process_waiting, delivery_process
from kintsugi.capture.services.sources import (
    source_create,
    source_rotate,
    source_url,
    sources_for,
)
from kintsugi.core.capture.severity import DEFAULT_LABEL, parse_severity_map
from kintsugi.core.errors import ValidationProblem
from kintsugi.core.rotation import add_grace_option, grace_from_hours
from kintsugi.postmortems.cli_identity import resolve_actor
from kintsugi.teams.models import Team


class Command(BaseCommand):
    help = "Add, list and rotate capture sources (webhook receivers); reprocess a delivery."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as",
            dest="as_user",
            help="Act as this user (or KINTSUGI_CLI_USER): their access applies.",
        )
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        add = sub.add_parser("add", help="Create a source and print its URL and secret.")
        add.add_argument("kind", choices=SourceKind.values)
        add.add_argument("name")
        add.add_argument("--team", help="Slug of the team its incidents belong to.")
        add.add_argument("--severity-label", default=DEFAULT_LABEL)
        add.add_argument("--severity-map", help="e.g. critical=SEV1,warning=SEV3")
        add.add_argument("--signing-secret-stdin", action="store_true")
        sub.add_parser("list", help="List sources as JSON (without secrets).")
        rotate = sub.add_parser("rotate", help="Replace a source's secret and print the new one.")
        rotate.add_argument("name")
        add_grace_option(rotate)
        rotate.add_argument("--signing-secret-stdin", action="store_true")
        again = sub.add_parser(
            "reprocess", help="Process a stored delivery again (after fixing a source's settings)."
        )
        again.add_argument("delivery", type=int, help="The delivery's id (admin, Raw deliveries).")
        work = sub.add_parser("work", help="Process the large deliveries waiting (202 Accepted).")
        work.add_argument("--once", action="store_true", help="Process what waits, then exit.")
        work.add_argument("--interval", type=float, default=2.0, help="Seconds between passes.")

    def _stdin_secret(self, options: dict[str, Any]) -> str | None:
        if not options.get("signing_secret_stdin"):
            return None
        return sys.stdin.readline().strip()

    def handle(self, *args: Any, **options: Any) -> None:
        # `work` is the system's own job (as `worker`): it takes no identity.
        user = None if options["action"] == "work" else resolve_actor(options.get("as_user"))
        try:
            result = getattr(self, f"_{options['action']}")(user, options)
        except ValidationProblem as problem:
            raise CommandError(problem.message, returncode=2) from None
        except PermissionDenied as denied:
            raise CommandError(str(denied), returncode=1) from None
        if result is not None:
            self.stdout.write(json.dumps(result, indent=2))

    def _add(self, user: Any, options: dict[str, Any]) -> object:
        team = None
        if options.get("team"):
            team = Team.objects.filter(slug=options["team"]).first()
            if team is None:
                raise ValidationProblem(f"There is no team {options['team']!r}.")
        mapping = options.get("severity_map")
        issued = source_create(
            user=user,
            kind=options["kind"],
            name=options["name"],
            team=team,
            severity_label=options["severity_label"],
            severity_map=parse_severity_map(mapping) if mapping else None,
            signing_secret=self._stdin_secret(options),
        )
        if issued.source.kind == SourceKind.PAGERDUTY and not issued.source.signing_secret:
            self.stderr.write(
                "Give PagerDuty's signing secret with "
                f"`kintsugi source rotate {issued.source.name} --signing-secret-stdin`."
            )
        return issued.as_json()

    def _list(self, user: Any, options: dict[str, Any]) -> object:
        return [
            {
                "kind": source.kind,
                "name": source.name,
                "url": source_url(source),
                "team": source.team.slug if source.team else None,
                "severity_label": source.severity_label,
            }
            for source in sources_for(user)
        ]

    def _rotate(self, user: Any, options: dict[str, Any]) -> object:
        source = sources_for(user).filter(name=options["name"]).first()
        if source is None:
            raise ValidationProblem(f"There is no source named {options['name']!r}.")
        grace = grace_from_hours(options["grace_hours"])
        issued = source_rotate(
            user=user,
            source=source,
            signing_secret=self._stdin_secret(options),
            grace=grace,
        )
        return issued.as_json()

    def _reprocess(self, user: Any, options: dict[str, Any]) -> object:
        delivery = (
            RawDelivery.objects.select_related("source")
            .filter(pk=options["delivery"], source__in=sources_for(user))
            .first()
        )
        if delivery is None:
            raise ValidationProblem(f"There is no delivery {options['delivery']} among yours.")
        done = delivery_process(delivery)
        return {
            "delivery": done.pk,
            "status": done.status,
            "reason": done.reason,
            "events_added": done.events_added,
        }

    def _work(self, user: Any, options: dict[str, Any]) -> object:
        """Operator only: it processes every source's deliveries."""
        if options.get("as_user"):
            raise ValidationProblem("`source work` acts as the operator; leave out --as.")
        stop = threading.Event()
        if not options["once"]:
            for number in (signal.SIGTERM, signal.SIGINT):
                signal.signal(number, lambda *_: stop.set())
            # Said once the stop signals are handled, so a supervisor (and the deploy
            # test) knows from here on a SIGTERM ends the loop cleanly.
            self.stderr.write("capture: started")
        while True:
            done = deliveries_process_waiting()
            if done:
                self.stderr.write(f"Processed {done} delivery(ies).")
            if options["once"]:
                return {"processed": done}
            if not done and stop.wait(options["interval"]):
                return None
            if stop.is_set():
                return None
