"""Sources: the services, the settings page and ``kintsugi source``."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from kintsugi.capture.models import Source
from kintsugi.capture.services.sources import hash_secret, source_create, source_rotate
from kintsugi.core.errors import ValidationProblem
from tests.capture.conftest import PD_SECRET, post
from tests.capture.payloads import alert, alertmanager, pagerduty_event, signed


def test_it_stores_only_a_hash_of_the_secret(db):
    issued = source_create(user=None, kind="generic", name="deploys")
    row = Source.objects.get()
    assert issued.secret and issued.secret not in json.dumps(
        list(Source.objects.values()), default=str
    )
    assert row.secret_hash == hash_secret(issued.secret)
    assert issued.as_json()["url"].endswith(f"/hooks/generic/{row.pk}/")


@pytest.mark.parametrize(
    ("kind", "name", "reason"),
    [
        ("nagios", "x", "Unknown source kind"),
        ("generic", "", "required"),
        ("generic", "a b", "letters"),
    ],
)
def test_it_refuses_bad_sources(db, kind, name, reason):
    with pytest.raises(ValidationProblem, match=reason):
        source_create(user=None, kind=kind, name=name)


def test_names_are_unique(db):
    source_create(user=None, kind="generic", name="x")
    with pytest.raises(ValidationProblem, match="exists already"):
        source_create(user=None, kind="csv", name="x")


def test_team_leads_manage_their_teams_sources_only(db, owner, teammate, team, admin_user):
    source_create(user=owner, kind="generic", name="ours", team=team)
    with pytest.raises(PermissionDenied):
        source_create(user=owner, kind="generic", name="org-wide")
    with pytest.raises(PermissionDenied):
        source_create(user=teammate, kind="generic", name="mine", team=team)
    source_create(user=admin_user, kind="generic", name="org-wide")


def test_rotation_keeps_the_old_secret_for_the_grace_period_only(client, db):
    old = source_create(user=None, kind="alertmanager", name="am")
    new = source_rotate(user=None, source=old.source)
    assert new.secret != old.secret
    assert post(client, old, alertmanager(alert("a1"))).status_code == 200
    assert post(client, new, alertmanager(alert("a2"))).status_code == 200
    Source.objects.update(previous_valid_until=timezone.now() - timedelta(seconds=1))
    assert post(client, old, alertmanager(alert("a3"))).status_code == 401
    revoked = source_rotate(user=None, source=new.source, grace=timedelta(0))
    assert post(client, new, alertmanager(alert("a4"))).status_code == 401
    assert post(client, revoked, alertmanager(alert("a5"))).status_code == 200


def test_pagerduty_rotation_accepts_both_secrets_during_grace(client, db):
    issued = source_create(user=None, kind="pagerduty", name="pd", signing_secret=PD_SECRET)
    assert issued.secret is None
    source_rotate(user=None, source=issued.source, signing_secret="the-new-secret-0123456789")
    url = f"/hooks/pagerduty/{issued.source.pk}/"
    for number, secret in enumerate(
        (PD_SECRET, "the-new-secret-0123456789", "never-was-a-secret-000")
    ):
        body, signature = signed(
            pagerduty_event("incident.triggered", "2020-10-02T18:45:22Z", f"e{number}"), secret
        )
        response = client.post(
            url, body, content_type="application/json", HTTP_X_PAGERDUTY_SIGNATURE=signature
        )
        assert response.status_code == (401 if number == 2 else 200)
    with pytest.raises(ValidationProblem, match="signing secret"):
        source_rotate(user=None, source=issued.source, signing_secret="short")


def test_the_page_adds_a_source_and_shows_its_secret_once(client, admin_user, team):
    client.force_login(admin_user)
    response = client.post(
        "/settings/sources/",
        {"kind": "alertmanager", "name": "prod", "team": team.pk, "severity_label": "severity"},
    )
    assert response.status_code == 200
    secret = response.context["issued"]["secret"]
    assert secret and secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    listing = client.get("/settings/sources/").content.decode()
    assert "prod" in listing and secret not in listing
    source = Source.objects.get()
    rotated = client.post("/settings/sources/", {"action": "rotate", "source": source.pk})
    assert rotated.context["issued"]["secret"] not in (None, secret)


def test_the_page_refuses_bad_and_hostile_input(client, admin_user):
    client.force_login(admin_user)
    bad = client.post(
        "/settings/sources/",
        {"kind": "alertmanager", "name": "<script>x</script>", "severity_label": "severity"},
    )
    assert bad.status_code == 422 and "<script>x" not in bad.content.decode()
    long = client.post(
        "/settings/sources/", {"kind": "generic", "name": "x" * 5000, "severity_label": "s"}
    )
    assert long.status_code == 422
    assert (
        client.post("/settings/sources/", {"action": "rotate", "source": "nope"}).status_code == 422
    )
    assert (
        client.post("/settings/sources/", {"action": "rotate", "source": "424242"}).status_code
        == 404
    )
    assert not Source.objects.exists()


def test_the_page_is_for_admins_and_team_leads(client, owner, teammate, team, admin_user):
    theirs = source_create(user=None, kind="generic", name="theirs")
    ours = source_create(user=None, kind="generic", name="ours", team=team)
    client.force_login(teammate)
    assert client.get("/settings/sources/").status_code == 403
    client.force_login(owner)
    page = client.get("/settings/sources/").content.decode()
    assert "ours" in page and "theirs" not in page
    response = client.post("/settings/sources/", {"action": "rotate", "source": theirs.source.pk})
    assert response.status_code == 404
    assert (
        client.post(
            "/settings/sources/", {"action": "rotate", "source": ours.source.pk}
        ).status_code
        == 200
    )


def test_the_page_reads_a_constant_number_of_queries(client, admin_user, django_assert_num_queries):
    client.force_login(admin_user)

    def count(n: int) -> int:
        for i in range(n):
            source_create(user=None, kind="generic", name=f"s{Source.objects.count()}-{i}")
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get("/settings/sources/").status_code == 200
        return len(queries)

    assert count(3) == count(30)


def _cli(*args: str, stdin: str = "") -> dict:
    """The command as the admin ``root`` (the ``admin_user`` fixture)."""
    out = io.StringIO()
    import sys

    saved = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command("source", "--as", "root", *args, stdout=out, stderr=io.StringIO())
    finally:
        sys.stdin = saved
    return json.loads(out.getvalue())


def test_the_command_adds_lists_and_rotates(db, team, admin_user):
    added = _cli(
        "add",
        "alertmanager",
        "prod",
        "--team",
        team.slug,
        "--severity-map",
        "page=SEV1,ticket=SEV4",
    )
    assert set(added) == {"kind", "name", "url", "secret"} and added["kind"] == "alertmanager"
    assert Source.objects.get().severity_map == {"page": "SEV1", "ticket": "SEV4"}
    assert _cli("list")[0]["name"] == "prod" and "secret" not in _cli("list")[0]
    rotated = _cli("rotate", "prod", "--grace-hours", "0")
    assert rotated["secret"] != added["secret"]
    pd = _cli("add", "pagerduty", "pd", "--signing-secret-stdin", stdin=PD_SECRET + "\n")
    assert pd["secret"] is None and Source.objects.get(name="pd").signing_secret == PD_SECRET


@pytest.mark.parametrize(
    "args",
    [
        ("add", "generic", "bad name"),
        ("add", "generic", "x", "--team", "nope"),
        ("add", "generic", "x", "--severity-map", "page=SEV9"),
        ("rotate", "missing"),
        ("rotate", "prod", "--grace-hours", "-1"),
    ],
)
def test_the_command_refuses_bad_usage_with_exit_2(db, args, admin_user):
    source_create(user=None, kind="generic", name="prod")
    with pytest.raises(CommandError) as raised:
        call_command("source", "--as", "root", *args, stdout=io.StringIO())
    assert raised.value.returncode == 2
    assert "acts as a named user" not in str(raised.value)


def test_the_command_as_a_non_admin_is_refused(db, teammate):
    with pytest.raises(CommandError) as raised:
        call_command(
            "source", "--as", teammate.username, "add", "generic", "x", stdout=io.StringIO()
        )
    assert raised.value.returncode == 1


def test_the_command_reprocesses_a_kept_delivery(client, db, admin_user):
    from kintsugi.capture.models import RawDelivery

    issued = source_create(user=None, kind="alertmanager", name="am", severity_label="level")
    payload = alertmanager(alert("a1"))
    payload["version"] = "4"
    body = json.dumps(payload).replace(
        '"status": "firing", "labels"', '"status": "pending", "labels"'
    )
    assert post(client, issued, body.encode()).status_code == 400
    delivery = RawDelivery.objects.get()
    delivery.body = json.dumps(payload).encode()  # as if the parser had been fixed since
    delivery.save()
    result = _cli("reprocess", str(delivery.pk))
    assert result["status"] == "processed" and result["events_added"] == 1
    assert _cli("reprocess", str(delivery.pk))["status"] == "duplicate"
    with pytest.raises(CommandError, match="no delivery 999999"):
        call_command("source", "--as", "root", "reprocess", "999999", stdout=io.StringIO())


def test_the_page_adds_a_pagerduty_source_with_its_signing_secret(client, admin_user):
    client.force_login(admin_user)
    form = {"kind": "pagerduty", "name": "pd", "severity_label": "severity"}
    short = client.post("/settings/sources/", {**form, "signing_secret": "short"})
    assert short.status_code == 422 and "signing secret" in short.content.decode()
    response = client.post("/settings/sources/", {**form, "signing_secret": PD_SECRET})
    assert response.status_code == 200 and response.context["issued"]["secret"] is None
    assert PD_SECRET not in response.content.decode()
    assert Source.objects.get().signing_secret == PD_SECRET


def test_the_nav_offers_sources_to_admins_and_not_to_members(client, admin_user, teammate):
    from tests.conftest import PASSWORD

    client.login(username=admin_user.username, password=PASSWORD)
    assert 'data-testid="nav-sources"' in client.get("/").content.decode()
    client.login(username=teammate.username, password=PASSWORD)
    assert 'data-testid="nav-sources"' not in client.get("/").content.decode()
