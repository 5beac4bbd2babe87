"""Setting up a Jira connection: ``kintsugi tracker add jira_cloud|jira_dc`` and the page."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError
from django.test import Client

from kintsugi.trackers.models import TrackerConnection
from tests.trackers.test_cli import run


@pytest.mark.parametrize("kind", ["jira_cloud", "jira_dc"])
def test_the_cli_adds_a_jira_connection(db, team, kind, admin_user):
    out, _ = run("add", kind, "ops-jira", "--team", "platform", "--project", "OPS",
                 "--token-env", "KINTSUGI_JIRA_TOKEN", "--api-url", "https://acme.atlassian.net")  # fmt: skip
    shown = json.loads(out)
    connection = TrackerConnection.objects.get()
    assert connection.kind == kind and connection.project == "OPS"
    assert connection.base_url == connection.web_url == "https://acme.atlassian.net"
    assert shown["webhook_url"].endswith(f"/hooks/trackers/{kind}/{connection.pk}/")
    assert json.loads(run("list")[0])[0]["kind"] == kind


@pytest.mark.parametrize(
    "args,message",
    [
        (["--project", "OPS", "--token-env", "T"], "Jira site"),
        (["--project", "ops", "--token-env", "T", "--api-url", "https://a.test"], "key in capitals"),
        (["--project", "acme/ops", "--token-env", "T", "--api-url", "https://a.test"], "key"),
        (["--project", "OPS", "--token-env", "a@b.test:tok", "--api-url", "https://a.test"],
         "environment variable"),
        (["--project", "OPS", "--token-env", "T", "--api-url", "javascript:alert(1)"], "http"),
    ],
)  # fmt: skip
def test_the_cli_refuses_a_bad_jira_connection(db, team, args, message, admin_user):
    with pytest.raises(CommandError, match=message):
        run("add", "jira_cloud", "j", "--team", "platform", *args)
    assert not TrackerConnection.objects.exists()


def test_the_page_adds_a_jira_data_center_connection(owner, team):
    client = Client()
    client.force_login(owner)
    new = {"action": "create", "kind": "jira_dc", "name": "dc", "team": team.pk,
           "project": "OPS", "token_env": "KINTSUGI_JIRA_PAT"}  # fmt: skip
    refused = client.post("/settings/trackers/", new)
    assert refused.status_code == 422 and "Jira site" in refused.content.decode()
    answer = client.post("/settings/trackers/", {**new, "api_url": "https://jira.acme.test"})
    assert answer.status_code == 200
    connection = TrackerConnection.objects.get()
    body = answer.content.decode()
    assert f"/hooks/trackers/jira_dc/{connection.pk}/" in body and "Jira Data Center" in body
