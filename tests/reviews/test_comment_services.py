"""Comment threads through their services: @mentions emailed over real SMTP on loopback,
only to people who may see the post-mortem; findings kept; steps checked."""

from __future__ import annotations

import pytest

from kintsugi.core.errors import ValidationProblem
from kintsugi.five_whys.models import WhyNode
from kintsugi.reviews.services.comments import comment_reply, thread_start
from tests.reviews.test_workflow_services import _wait_for

pytestmark = pytest.mark.django_db


def test_mentions_email_those_who_may_see_it_and_nobody_else(
    smtp, restricted_incident, owner, teammate, outsider, django_capture_on_commit_callbacks
):
    text = "@bob and @mallory and @nobody: is the 14:05 page right? Mail me at alice@example.com"
    with django_capture_on_commit_callbacks(execute=True):
        posted = thread_start(
            user=owner, incident=restricted_incident, anchor="section:timeline", text=text
        )
    assert posted.notified == ["bob"]  # mallory may not see this restricted post-mortem
    _wait_for(smtp, 1)
    assert [rcpt for _, rcpt in smtp.envelopes] == [["bob@example.com"]]
    message = smtp.messages[0]
    assert message["Subject"] == f"Alice Ng mentioned you on INC-{restricted_incident.pk}"
    body = message.get_payload(decode=True).decode()
    assert "> @bob and @mallory" in body
    assert f"/incidents/{restricted_incident.pk}/#thread-{posted.comment.thread_id}" in body


def test_a_mail_server_that_is_down_loses_no_comment(
    settings, incident, owner, teammate, django_capture_on_commit_callbacks
):
    from tests.debt.servers import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    with django_capture_on_commit_callbacks(execute=True):
        posted = thread_start(user=owner, incident=incident, anchor="field:impact", text="@bob ?")
    assert posted.comment.pk and posted.notified == ["bob"]


def test_findings_are_kept_with_the_comment_and_do_not_refuse_it(incident, owner):
    posted = thread_start(
        user=owner,
        incident=incident,
        anchor="section:factors",
        text="Root cause: human error. Bob should have checked the config.",
    )
    rules = {f["rule"] for f in posted.comment.findings}
    assert rules, "blameful wording in a comment is reported"
    assert all(f["severity"] in ("error", "warning") for f in posted.comment.findings)
    reply = comment_reply(user=owner, thread=posted.comment.thread, text="Reworded, thanks.")
    assert reply.comment.findings == []


def test_a_step_anchor_must_be_a_step_of_this_incident(complete, owner):
    from datetime import UTC, datetime

    from kintsugi.postmortems import services as pm

    step = WhyNode.objects.filter(incident=complete).first()
    posted = thread_start(user=owner, incident=complete, anchor=f"why:{step.pk}", text="Why?")
    assert posted.comment.thread.anchor == f"why:{step.pk}"
    other = pm.incident_create(
        user=owner, title="Other", started_at=datetime(2026, 3, 5, tzinfo=UTC)
    )
    with pytest.raises(ValidationProblem, match="no such 5 Whys step"):
        thread_start(user=owner, incident=other, anchor=f"why:{step.pk}", text="Why?")


def test_a_name_cannot_inject_mail_headers(
    smtp, incident, owner, teammate, django_capture_on_commit_callbacks
):
    owner.first_name = "Alice\r\nBcc: everyone@example.com"
    owner.save()
    with django_capture_on_commit_callbacks(execute=True):
        thread_start(user=owner, incident=incident, anchor="field:impact", text="@bob look")
    _wait_for(smtp, 1)
    assert [rcpt for _, rcpt in smtp.envelopes] == [["bob@example.com"]]
    assert smtp.messages[0]["Bcc"] is None
    assert smtp.messages[0]["Subject"].startswith("Alice Bcc: everyone@example.com Ng mentioned")


@pytest.fixture
def slack_hook(team):
    from kintsugi.debt.models import TeamDebtSettings
    from tests.debt.servers import WebhookServer

    with WebhookServer() as server:
        TeamDebtSettings.objects.create(team=team, slack_webhook_url=server.url)
        yield server


def _slack_ids(*pairs):
    from kintsugi.debt.services.settings import person_settings_save

    for user, member in pairs:
        person_settings_save(
            user=user, email_enabled=True, slack_enabled=True, slack_member_id=member
        )


def test_mentions_reach_the_teams_slack_channel_once(
    slack_hook, incident, owner, teammate, carol, settings
):
    from kintsugi.debt.clock import get_clock
    from kintsugi.debt.models import Delivery, PersonDebtSettings
    from kintsugi.debt.services.deliveries import deliver_due

    settings.KINTSUGI_BASE_URL = "https://postmortems.example.com"
    _slack_ids((teammate, "U0BOB"), (carol, "U0CAROL"))
    PersonDebtSettings.objects.filter(user=carol).update(slack_enabled=False)
    posted = thread_start(
        user=owner,
        incident=incident,
        anchor="section:timeline",
        text="@bob @carol was <!channel> paged at 14:05? & why",
    )
    assert deliver_due(now=get_clock().now).sent == 1
    (payload,) = slack_hook.received
    text = payload["text"]
    assert text.startswith("<@U0BOB> Alice Ng mentioned you on <https://postmortems.example.com")
    assert f"#thread-{posted.comment.thread_id}|INC-{incident.pk}>" in text
    assert "U0CAROL" not in text  # carol switched Slack off: email only
    assert "&lt;!channel&gt; paged at 14:05? &amp; why" in text  # no channel-wide ping
    delivery = Delivery.objects.get()
    assert (delivery.kind, delivery.recipient) == ("mention", f"team:{incident.team_id}")
    # Sending again sends nothing more.
    assert deliver_due(now=get_clock().now).sent == 0


def test_a_restricted_postmortem_keeps_its_title_and_comment_out_of_slack(
    slack_hook, restricted_incident, owner, teammate, outsider
):
    from kintsugi.debt.clock import get_clock
    from kintsugi.debt.services.deliveries import deliver_due

    _slack_ids((teammate, "U0BOB"), (outsider, "U0MAL"))
    thread_start(
        user=owner,
        incident=restricted_incident,
        anchor="section:timeline",
        text="@bob @mallory the leaked zanzibar key",
    )
    deliver_due(now=get_clock().now)
    (payload,) = slack_hook.received
    assert "U0MAL" not in payload["text"]  # mallory may not see it: not mentioned at all
    assert payload["text"].startswith("<@U0BOB> you were mentioned in a comment on <")
    assert "zanzibar" not in payload["text"] and restricted_incident.title not in payload["text"]


def test_no_slack_message_without_a_webhook_or_a_member_id(incident, owner, teammate):
    from kintsugi.debt.models import Delivery

    thread_start(user=owner, incident=incident, anchor="section:timeline", text="@bob see")
    _slack_ids((teammate, "U0BOB"))
    thread_start(user=owner, incident=incident, anchor="section:timeline", text="@bob again")
    assert not Delivery.objects.exists()  # the team has no webhook
