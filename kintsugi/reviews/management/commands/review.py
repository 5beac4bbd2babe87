"""``kintsugi review status|request|decide|publish|send-back|approvals|audit``: the review
workflow from the terminal, through the same services and access rules as the page.

Each answer is one JSON object on stdout. Like every command that reads or changes
incidents it acts as a named user (``--as USER`` or KINTSUGI_CLI_USER), with that user's
access rules (kintsugi/postmortems/cli_identity.py).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from kintsugi.accounts.models import User
from kintsugi.core.errors import ValidationProblem
from kintsugi.postmortems import access
from kintsugi.postmortems.cli_identity import resolve_actor
from kintsugi.postmortems.models import Incident
from kintsugi.reviews import forms
from kintsugi.reviews.selectors import (
    audit_log,
    incident_checklist,
    review_requests,
    workflow_state,
)
from kintsugi.reviews.services import workflow
from kintsugi.teams.models import Team


def _incident(user: User, reference: str) -> Incident:
    key = reference.upper().removeprefix("INC-")
    try:
        return access.get_incident(user, key)
    except Http404:
        raise CommandError(f"No such incident: {reference[:40]!r}.", returncode=2) from None


def _state(incident: Incident) -> dict[str, object]:
    fresh = Incident.objects.get(pk=incident.pk)
    requests = review_requests(fresh)
    state = workflow_state(fresh, requests)
    checklist = incident_checklist(fresh)
    return {
        "incident": fresh.reference,
        "status": fresh.status,
        "approvals": state.approvals,
        "approvals_needed": state.needed,
        "reviewers": {r.reviewer.username: r.decision for r in requests},
        "checklist": {
            check.key: {"state": check.state, "problems": [p.text for p in check.problems]}
            for check in checklist.checks
        },
    }


class Command(BaseCommand):
    help = "The review workflow of a post-mortem: status, request, decide, publish, audit."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as", dest="as_user", help="Act as this user (or KINTSUGI_CLI_USER).")
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        sub.add_parser("status", help="Status, reviewers, checklist.").add_argument("incident")
        ask = sub.add_parser("request", help="Ask reviewers (people and/or teams).")
        ask.add_argument("incident")
        ask.add_argument("--reviewers", default="", help="Usernames, comma separated.")
        ask.add_argument("--teams", default="", help="Team slugs, comma separated.")
        decide = sub.add_parser("decide", help="Approve or ask for changes (a reviewer).")
        decide.add_argument("incident")
        decide.add_argument("decision", choices=["approved", "changes_requested"])
        decide.add_argument("--note", default="")
        sub.add_parser("publish", help="Publish an approved post-mortem.").add_argument("incident")
        back = sub.add_parser("send-back", help="Back to draft, with a reason.")
        back.add_argument("incident")
        back.add_argument("--reason", required=True)
        approvals = sub.add_parser("approvals", help="Approvals a team's post-mortems need.")
        approvals.add_argument("team", help="Slug of the team.")
        approvals.add_argument("count")
        audit = sub.add_parser("audit", help="The audit log, newest first.")
        audit.add_argument("incident")
        audit.add_argument("--limit", type=int, default=50)

    def handle(self, *args: Any, **options: Any) -> None:
        user = resolve_actor(options.get("as_user"))  # no identity: a clear refusal, exit 2
        action = options["action"].replace("-", "_")
        try:
            result = getattr(self, f"_{action}")(user, options)
        except ValidationProblem as problem:
            raise CommandError(problem.message, returncode=2) from None
        except PermissionDenied as denied:
            raise CommandError(str(denied), returncode=3) from None
        self.stdout.write(json.dumps(result, indent=2, default=str))

    def _status(self, user: User, options: dict[str, Any]) -> object:
        return _state(_incident(user, options["incident"]))

    def _request(self, user: User, options: dict[str, Any]) -> object:
        incident = _incident(user, options["incident"])
        people = forms.users_named(forms.names([options["reviewers"]], field="reviewers"))
        teams = forms.teams_named(forms.names([options["teams"]], field="teams"))
        workflow.review_request(user=user, incident=incident, people=people, teams=teams)
        return _state(incident)

    def _decide(self, user: User, options: dict[str, Any]) -> object:
        incident = _incident(user, options["incident"])
        workflow.review_decide(
            user=user, incident=incident, decision=options["decision"], note=options["note"]
        )
        return _state(incident)

    def _publish(self, user: User, options: dict[str, Any]) -> object:
        incident = _incident(user, options["incident"])
        workflow.workflow_publish(user=user, incident=incident)
        return _state(incident)

    def _send_back(self, user: User, options: dict[str, Any]) -> object:
        incident = _incident(user, options["incident"])
        workflow.workflow_send_back(user=user, incident=incident, reason=options["reason"])
        return _state(incident)

    def _approvals(self, user: User, options: dict[str, Any]) -> object:
        team = Team.objects.filter(slug=options["team"][:100]).first()
        if team is None:
            raise CommandError(f"No team {options['team'][:40]!r}.", returncode=2)
        row = workflow.team_approvals_set(user=user, team=team, approvals_needed=options["count"])
        return {"team": team.slug, "approvals_needed": row.approvals_needed}

    def _audit(self, user: User, options: dict[str, Any]) -> object:
        incident = _incident(user, options["incident"])
        limit = max(1, min(int(options["limit"]), 1000))
        return [
            {
                "at": entry.at.isoformat(timespec="seconds"),
                "action": entry.action,
                "actor": entry.actor_name or "system",
                "detail": entry.detail,
            }
            for entry in audit_log(incident, limit=limit)
        ]
