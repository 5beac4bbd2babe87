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
