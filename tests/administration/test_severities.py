"""Severity levels are fixed; their names and definitions are the organisation's, edited
by site admins on /manage/severities/, audited, and shown where definitions are shown."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kintsugi.teams.models import SeverityDefinition
from tests.administration.conftest import audit_changes

pytestmark = pytest.mark.django_db

NEW = {"name": "Outage", "definition": "Checkout <b>down</b> for every shopper."}


def _edit(client, level="SEV1", **data):
    return client.post(f"/manage/severities/{level}/", {**NEW, **data})


def test_a_site_admin_renames_a_level_and_it_shows_everywhere(login, admin_user, incident):
    incident.severity = "SEV1"
    incident.save(update_fields=["severity"])
    client = login(admin_user)
    assert _edit(client).status_code == 302
    row = SeverityDefinition.objects.get(level="SEV1")
    assert (row.name, row.definition, row.updated_by) == (
        NEW["name"],
        NEW["definition"],
        admin_user,
    )
    assert audit_changes()[0] == "severity.update"
    escaped = "Checkout &lt;b&gt;down&lt;/b&gt; for every shopper."
    for url in ("/manage/severities/", f"/incidents/{incident.pk}/", "/", "/incidents/new/"):
        page = client.get(url).content.decode()
        assert escaped in page, url
        assert "<b>down</b>" not in page, url
    assert "SEV1 - Outage" in client.get(f"/incidents/{incident.pk}/").content.decode()
    # Back to the default: the row goes, the vocabulary's words return.
    assert _edit(client, reset="1").status_code == 302
    assert not SeverityDefinition.objects.exists()
    assert "SEV1 - Critical" in client.get("/manage/severities/").content.decode()
    assert audit_changes()[0] == "severity.reset"


def test_saving_the_same_words_writes_no_audit_entry(login, admin_user):
    client = login(admin_user)
    _edit(client)
    _edit(client)
    assert audit_changes().count("severity.update") == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "name is required"),
        ({"definition": "   "}, "definition is required"),
        ({"name": "x" * 41}, "limit is 40"),
        ({"definition": "y" * 601}, "limit is 600"),
        ({"name": "Bad\x00name"}, "Null characters are not allowed"),
        ({"definition": "Line\x1bescape"}, "control characters"),
    ],
)
def test_bad_words_are_refused_and_nothing_is_lost(login, admin_user, data, message):
    client = login(admin_user)
    _edit(client, level="SEV2", name="Kept", definition="Kept definition.")
    response = _edit(client, level="SEV2", **data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert SeverityDefinition.objects.get(level="SEV2").name == "Kept"


@pytest.mark.parametrize("level", ["SEV5", "sev0", "x" * 500, "<script>", "SEV1%00"])
def test_only_the_four_levels_exist(login, admin_user, level):
    response = login(admin_user).post(f"/manage/severities/{level}/", NEW)
    assert response.status_code == 404
    assert not SeverityDefinition.objects.exists()


def test_a_lowercase_level_names_the_same_level(login, admin_user):
    assert _edit(login(admin_user), level="sev4").status_code == 302
    assert SeverityDefinition.objects.get().level == "SEV4"


def test_team_admins_read_the_words_but_do_not_edit_them(login, owner, teammate):
    client = login(owner)
    page = client.get("/manage/severities/").content.decode()
    assert page.count('data-testid="severity"') == 4 and "severity-form" not in page
    assert _edit(client).status_code == 403
    assert _edit(login(teammate)).status_code == 403
    assert not SeverityDefinition.objects.exists()


def test_a_page_without_severities_reads_none_and_one_with_many_reads_once(login, owner, incident):
    client = login(owner)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/account/tokens/")
    assert not any("severitydefinition" in q["sql"] for q in queries.captured_queries)
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    reads = [q for q in queries.captured_queries if "severitydefinition" in q["sql"]]
    assert len(reads) == 1
