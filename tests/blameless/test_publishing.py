"""The publishing gate, through the service and through the API."""

from __future__ import annotations

import pytest

from kintsugi.blameless.publishing import publishing_verdict
from kintsugi.blameless.services import language_settings_update
from kintsugi.core.errors import ValidationProblem
from kintsugi.postmortems import services
from kintsugi.postmortems.models import Incident
from tests.api.conftest import ApiCaller

pytestmark = pytest.mark.django_db

BLAMEFUL = "Root cause: human error."


@pytest.fixture
def block(admin_user):
    language_settings_update(user=admin_user, publishing_mode="block")


def _publish(user, incident, **fields):
    incident.refresh_from_db()
    return services.incident_update(
        user=user, incident=incident, version=incident.version, status="published", **fields
    )


def test_it_publishes_with_findings_in_warn_mode(owner, incident):
    incident.summary = BLAMEFUL
    incident.save()
    saved = _publish(owner, incident)
    assert saved.status == "published"
    assert publishing_verdict(saved).counts["error"] == 2


def test_it_refuses_to_publish_with_error_findings_in_block_mode(block, owner, incident):
    services.factor_add(user=owner, incident=incident, title="Pool", description=BLAMEFUL)
    with pytest.raises(ValidationProblem) as refused:
        _publish(owner, incident)
    assert refused.value.field == "status"
    assert "Publishing is blocked" in refused.value.message
    assert "Contributing factor" in refused.value.message
    assert "blame/human-error" in refused.value.message
    incident.refresh_from_db()
    assert incident.status == "draft"
    assert incident.published_at is None


def test_it_lints_the_text_saved_with_the_status(block, owner, incident):
    """Rewording and publishing in one save is allowed; adding blame in it is not."""
    incident.summary = BLAMEFUL
    incident.save()
    assert _publish(owner, incident, summary="The pool ran out of connections.").status == (
        "published"
    )
    other = Incident.objects.create(title="Other", started_at=incident.started_at)
    with pytest.raises(ValidationProblem):
        _publish(owner, other, summary=BLAMEFUL)


def test_it_lets_warnings_through_in_block_mode(block, owner, incident):
    incident.summary = "Bob should have checked the dashboard."
    incident.save()
    assert _publish(owner, incident).status == "published"


def test_it_does_not_re_check_a_post_mortem_already_published(owner, incident, admin_user):
    _publish(owner, incident)
    language_settings_update(user=admin_user, publishing_mode="block")
    incident.refresh_from_db()
    incident.summary = BLAMEFUL
    incident.save()
    saved = services.incident_update(
        user=owner, incident=incident, version=incident.version, title="Renamed"
    )
    assert saved.status == "published"


def test_the_api_obeys_the_gate(block, owner, incident, client):
    incident.summary = BLAMEFUL
    incident.save()
    api = ApiCaller(client)
    response = api.patch(
        f"/incidents/{incident.pk}",
        user=owner,
        json={"status": "published", "version": incident.version},
    )
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert "Publishing is blocked" in error["message"]
    assert "status" in error["fields"]
    incident.refresh_from_db()
    assert incident.status == "draft"


def test_the_api_publishes_in_warn_mode(owner, incident, client):
    incident.summary = BLAMEFUL
    incident.save()
    response = ApiCaller(client).patch(
        f"/incidents/{incident.pk}",
        user=owner,
        json={"status": "published", "version": incident.version},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "published"
    # As the web page does: the caller learns what it published with.
    (warning,) = body["warnings"]
    assert warning.startswith("Published with open blameless-language findings (2 error")
    # Reads and saves that publish nothing carry no warning.
    api = ApiCaller(client)
    assert api.get(f"/incidents/{incident.pk}", user=owner).json()["warnings"] == []
    renamed = api.patch(
        f"/incidents/{incident.pk}", user=owner, json={"title": "Renamed", "version": 2}
    )
    assert renamed.status_code == 200, renamed.content
    assert renamed.json()["warnings"] == []


def test_the_api_warns_when_it_creates_a_published_post_mortem_with_findings(owner, client):
    api = ApiCaller(client)
    body = {"title": "Pool", "started_at": "2026-03-01T14:00:00Z", "status": "published"}
    clean = api.post("/incidents", user=owner, json=body)
    assert clean.status_code == 201, clean.content
    assert clean.json()["warnings"] == []
    blameful = api.post("/incidents", user=owner, json=body | {"summary": BLAMEFUL})
    assert blameful.status_code == 201, blameful.content
    assert "blameless-language findings" in blameful.json()["warnings"][0]


def test_it_refuses_to_create_a_published_post_mortem_with_errors_in_block_mode(block, owner):
    from datetime import UTC, datetime

    with pytest.raises(ValidationProblem, match="Publishing is blocked"):
        services.incident_create(
            user=owner,
            title="X",
            started_at=datetime(2026, 3, 1, tzinfo=UTC),
            status="published",
            summary=BLAMEFUL,
        )
    assert not Incident.objects.filter(title="X").exists()


def test_it_refuses_a_published_import_with_errors_in_block_mode_and_writes_nothing(block, owner):
    from kintsugi.core.markdown.parse import parse_markdown
    from kintsugi.documents.imports import postmortem_import

    document = parse_markdown(
        "---\ntitle: Imported\nstatus: published\nstarted_at: 2026-03-01T14:00:00Z\n---\n"
        "# Imported\n\n## Contributing Factors\n\n### F1. Pool\n\nRoot cause: human error.\n"
    )
    with pytest.raises(ValidationProblem, match="Publishing is blocked"):
        postmortem_import(user=owner, document=document)
    assert not Incident.objects.filter(title="Imported").exists()


def test_it_imports_a_published_post_mortem_in_warn_mode(owner):
    from kintsugi.core.markdown.parse import parse_markdown
    from kintsugi.documents.imports import postmortem_import

    document = parse_markdown(
        "---\ntitle: Imported\nstatus: published\nstarted_at: 2026-03-01T14:00:00Z\n---\n"
        "# Imported\n\n## Executive Summary\n\nRoot cause: human error.\n"
    )
    incident = postmortem_import(user=owner, document=document)
    assert incident.status == "published" and incident.published_at is not None


# ------------------------------------------------------------------ the 5 Whys count too

GOOD_WHYS = """\
1. **Why** did checkout fail for 20 minutes?
   **Because:** The payment service could not open database connections.
2. **Why** could it not open connections?
   **Because:** The connection pool of 10 was held by requests waiting on a slow query.
3. **Why** was the query slow?
   **Because:** The orders table has no index on customer_id, and the ORM issues a full scan.

**Action items:** A1
"""


def _ending(root_cause: str) -> str:
    return GOOD_WHYS.replace(
        "The orders table has no index on customer_id, and the ORM issues a full scan.",
        root_cause,
    )


def _store_analysis(user, incident, text: str) -> None:
    from kintsugi.core.five_whys import parse_analysis, tree_to_records
    from kintsugi.five_whys import services as analysis
    from kintsugi.five_whys.selectors import analysis_view

    services.action_item_add(
        user=user, incident=incident, title="Add an index on orders.customer_id"
    )
    records = tree_to_records(parse_analysis(text))
    analysis.tree_replace(
        user=user,
        incident=incident,
        version=analysis_view(incident=incident).version,
        records=records,
    )


@pytest.mark.parametrize(
    ("root_cause", "rule"),
    [
        ("The on-call engineer ran the migration during peak hours.", "whys/ends-on-person"),
        ("The DBA team dropped the index without telling anyone.", "whys/ends-on-person"),
        ("Giorgos ran the cleanup script with the wrong argument.", "whys/ends-on-person"),
        ("The release manager skipped the load test to meet the date.", "whys/ends-on-person"),
        ("The payments org decided to skip the index review.", "whys/ends-on-person"),
        ("The night shift skipped the handover.", "whys/ends-on-person"),
        ("The hosting provider's technician pulled the wrong plug.", "whys/ends-on-person"),
        ("AWS had an outage of RDS storage in eu-west-1.", "whys/external-only"),
        ("An incident on the vendor side, according to their status page.", "whys/external-only"),
        ("The upstream maintainer made a mistake when publishing.", "whys/external-only"),
        ("Release 2026.12.1 was deployed at 14:05.", "whys/trigger-as-root-cause"),
        ("Because of the config push at 16:20.", "whys/trigger-as-root-cause"),
        ("A huge wave of shoppers arrived at exactly 10:00.", "whys/trigger-as-root-cause"),
        ("A gap in alignment between the teams.", "whys/vague-root-cause"),
    ],
)
def test_block_mode_refuses_a_5_whys_that_ends_badly(block, owner, incident, root_cause, rule):
    _store_analysis(owner, incident, _ending(root_cause))
    with pytest.raises(ValidationProblem) as refused:
        _publish(owner, incident)
    assert refused.value.field == "status"
    assert "the 5 Whys analysis has 1 finding of severity error" in refused.value.message
    assert rule in refused.value.message
    assert "branch 1, step 3" in refused.value.message
    incident.refresh_from_db()
    assert incident.status == "draft"


def test_block_mode_publishes_a_5_whys_that_reaches_a_condition(block, owner, incident):
    _store_analysis(owner, incident, GOOD_WHYS)
    verdict = publishing_verdict(incident)
    assert verdict.whys == [] and not verdict.blocked
    assert _publish(owner, incident).status == "published"


def test_the_api_refuses_a_5_whys_that_ends_on_a_person(block, owner, incident, client):
    _store_analysis(owner, incident, _ending("Priya restarted the primary by mistake."))
    incident.refresh_from_db()
    response = ApiCaller(client).patch(
        f"/incidents/{incident.pk}",
        user=owner,
        json={"status": "published", "version": incident.version},
    )
    assert response.status_code == 422, response.content
    assert "whys/ends-on-person" in response.json()["error"]["message"]


def test_warn_mode_publishes_and_counts_the_5_whys_findings(owner, incident):
    _store_analysis(owner, incident, _ending("Release 2026.12.1 was deployed at 14:05."))
    saved = _publish(owner, incident)
    assert saved.status == "published"
    verdict = publishing_verdict(saved)
    assert verdict.whys_counts == {"error": 1, "warning": 0, "info": 0, "total": 1}
    assert verdict.counts["total"] == 0  # the language findings are counted apart


# ------------------------------------------------------------------ the summary says why

BAD_ENDINGS = [
    ("The DBA team dropped the index without telling anyone.", "whys/ends-on-person"),
    ("The release manager skipped the load test to meet the date.", "whys/ends-on-person"),
    ("AWS had an outage of RDS storage in eu-west-1.", "whys/external-only"),
    ("Because of the config push at 16:20.", "whys/trigger-as-root-cause"),
]


@pytest.mark.parametrize(("root_cause", "rule"), BAD_ENDINGS)
def test_the_api_summary_says_why_publishing_is_blocked(
    block, owner, incident, client, root_cause, rule
):
    _store_analysis(owner, incident, _ending(root_cause))
    response = ApiCaller(client).get(f"/incidents/{incident.pk}/lint", user=owner)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["publishing"] == {"mode": "block", "blocked": True}
    assert body["counts"]["error"] == 0  # the wording alone would not block it
    assert body["whys_counts"] == {"error": 1, "warning": 0, "info": 0, "total": 1}
    (finding,) = body["whys"]
    assert finding["rule"] == rule and finding["severity"] == "error"
    assert finding["label"] == "branch 1, step 3"
    assert (finding["branch"], finding["step"]) == ([1], 3)
    assert finding["message"] and finding["next_question"].endswith("?")


def test_the_api_summary_lists_no_5_whys_findings_for_a_sound_chain(block, owner, incident, client):
    _store_analysis(owner, incident, GOOD_WHYS)
    body = ApiCaller(client).get(f"/incidents/{incident.pk}/lint", user=owner).json()
    assert body["whys"] == [] and body["whys_counts"]["total"] == 0
    assert body["publishing"] == {"mode": "block", "blocked": False}


@pytest.mark.parametrize(("root_cause", "rule"), BAD_ENDINGS)
def test_the_web_summary_says_why_publishing_is_blocked(block, owner, incident, root_cause, rule):
    from django.test import Client

    from kintsugi.core.five_whys import RULES

    _store_analysis(owner, incident, _ending(root_cause))
    browser = Client()
    browser.force_login(owner)
    response = browser.get(f"/incidents/{incident.pk}/lint/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="lint-blocked"' in body
    assert f'data-rule="{rule}"' in body
    assert "Branch 1, step 3" in body
    first_sentence = RULES[rule].message.split(". ")[0]
    assert first_sentence in body.replace("&#x27;", "'")


# ------------------------------------------------------------------ the CLI import obeys it

_IMPORTED_WHYS = """\
---
title: Imported checkout outage
status: published
started_at: 2026-03-01T14:00:00Z
---
# Imported checkout outage

## 5 Whys

1. Why did checkout fail for 20 minutes?
   Because the payment service could not open database connections.
2. Why could it not open connections?
   Because the connection pool of 10 was held by requests waiting on a slow query.
3. Why was the query slow?
   Because {root_cause}

**Action items:** A1

## Action Items

| # | Priority | Action |
|---|---|---|
| A1 | P1 | Add an index on orders.customer_id |
"""


@pytest.mark.parametrize(
    ("root_cause", "rule"),
    [
        ("the DBA team dropped the index without telling anyone.", "whys/ends-on-person"),
        ("AWS had an outage of RDS storage in eu-west-1.", "whys/external-only"),
        ("release 2026.12.1 was deployed at 14:05.", "whys/trigger-as-root-cause"),
    ],
)
def test_the_cli_import_refuses_a_published_5_whys_that_ends_badly(
    block, owner, tmp_path, root_cause, rule
):
    """``kintsugi import`` publishes what the file says is published: the gate must see the
    analysis, which the importer writes after the incident row."""
    from io import StringIO

    from django.core.management import CommandError, call_command

    path = tmp_path / "imported.md"
    path.write_text(_IMPORTED_WHYS.format(root_cause=root_cause), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("import_postmortem", str(path), "--as", owner.username, stdout=StringIO())
    assert "Publishing is blocked: the 5 Whys analysis" in str(refused.value)
    assert rule in str(refused.value)
    assert not Incident.objects.filter(title="Imported checkout outage").exists()


def test_the_cli_import_publishes_a_5_whys_that_reaches_a_condition(block, owner, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    path = tmp_path / "imported.md"
    cause = "the orders table has no index on customer_id, and the ORM issues a full scan."
    path.write_text(_IMPORTED_WHYS.format(root_cause=cause), encoding="utf-8")
    call_command("import_postmortem", str(path), "--as", owner.username, stdout=StringIO())
    incident = Incident.objects.get(title="Imported checkout outage")
    assert incident.status == "published"
    assert publishing_verdict(incident).whys == []
