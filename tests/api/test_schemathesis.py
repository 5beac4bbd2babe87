"""The API answers as its OpenAPI schema says, for every operation (Schemathesis).

Schemathesis reads /api/v1/openapi.json from a real server on loopback and sends generated
requests, valid and invalid, to every operation as an admin with a token. Each response
must be no server error, have a documented status and content type, and match the
documented body. Path parameters are mostly the ids of real objects (fresh for each
operation, since DELETE removes them), sometimes generated, so both the endpoints' own
work and their 404s are exercised.

The number of examples is bounded and the generation derandomized, so a run takes about
a minute and the same run fails the same way; set KINTSUGI_SCHEMATHESIS_EXAMPLES for more.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kintsugi.accounts.models import ApiToken

EXAMPLES = int(os.environ.get("KINTSUGI_SCHEMATHESIS_EXAMPLES", "15"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
T0 = datetime(2026, 3, 1, 14, 0, tzinfo=UTC)


def seed(owner: Any, number: int) -> dict[str, Any]:
    """One of everything a path can name, and a restricted incident beside it; new rows
    (and slugs) each time, since the operation tested before may have deleted the last."""
    from kintsugi.five_whys import services as analysis
    from kintsugi.postmortems import services
    from kintsugi.teams.models import Membership, Service, Team

    team = Team.objects.create(name=f"Platform {number}", slug=f"platform-{number}")
    service = Service.objects.create(name=f"Web {number}", slug=f"web-{number}", team=team)
    Membership.objects.create(team=team, user=owner, is_lead=True)

    incident = services.incident_create(
        user=owner,
        title="Checkout outage",
        started_at=T0,
        severity="SEV2",
        team=team,
        services=[service],
        summary="Checkout returned errors for 40 minutes.",
    )
    services.incident_create(
        user=owner, title="Leaked token", started_at=T0, team=team, is_restricted=True
    )
    event = services.timeline_event_add(
        user=owner, incident=incident, occurred_at=T0, text="Alert fired.", kind="alert_fired"
    )
    factor = services.factor_add(user=owner, incident=incident, title="No retry budget")
    evidence = services.evidence_add(user=owner, factor=factor, url="https://logs.example.com/1")
    lesson = services.lesson_add(user=owner, incident=incident, kind="went_well", text="Paged.")
    item = services.action_item_add(user=owner, incident=incident, title="Add a retry budget")
    node = analysis.step_add(
        user=owner,
        incident=incident,
        version=0,
        question="Why did checkout fail?",
        answer="The payment client retried without a budget.",
    )
    from kintsugi.reviews.services.comments import thread_start
    from kintsugi.reviews.services.workflow import waiver_add

    thread = thread_start(user=owner, incident=incident, anchor="field:impact", text="Who?")
    waiver = waiver_add(user=owner, incident=incident, problem_key="template/impact", reason="x")
    return {
        "thread_id": thread.comment.thread_id,
        "waiver_id": waiver.pk,
        "slug": team.slug,
        "incident_id": incident.pk,
        "event_id": event.pk,
        "factor_id": factor.pk,
        "evidence_id": evidence.pk,
        "lesson_id": lesson.pk,
        "item_id": item.pk,
        "node_id": node.pk,
        "team_slug": team.slug,
        "service_slug": service.slug,
    }


def cases(operation: Any, ids: dict[str, Any]) -> st.SearchStrategy[Any]:
    names = {parameter.name for parameter in operation.path_parameters}
    real = {name: ids[name] for name in names if name in ids}
    strategies = [
        operation.as_strategy(path_parameters=real),
        operation.as_strategy(
            generation_mode=schemathesis.GenerationMode.NEGATIVE, path_parameters=real
        ),
    ]
    if names:
        strategies.append(operation.as_strategy())
    return st.one_of(strategies)


def exercise(operation: Any, ids: dict[str, Any], session: Any, base: str, auth: dict) -> str:
    """Run the checks on generated requests to one operation; the failure found, or ""."""

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases(operation, ids))
    def check(case: Any) -> None:
        response = case.call(base_url=base, session=session, headers=auth)
        case.validate_response(response, checks=CHECKS, headers=auth)

    try:
        check()
    except (Exception, BaseExceptionGroup) as failure:  # try all, report every failure
        return f"{operation.label}: {failure}"
    return ""


@pytest.mark.django_db(transaction=True)
def test_every_operation_answers_as_the_schema_says(live_server, admin_user, owner):
    _, raw = ApiToken.issue(user=admin_user, name="schemathesis")
    auth = {"Authorization": f"Bearer {raw}"}
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json", headers=auth)
    schema.validate()  # against the OpenAPI 3 meta-schema: what /api/v1/docs renders
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40
    with requests.Session() as session:
        failures = [
            exercise(operation, seed(owner, number), session, live_server.url, auth)
            for number, operation in enumerate(operations)
        ]
    failures = [failure for failure in failures if failure]
    assert not failures, "\n\n".join(failures)
