"""Email to the people a review concerns: requested reviewers and @mentioned people.

Sent after the change is saved, one message per person, through Django's mail settings
(docs/configuration.md). A mail server that is down loses no review: the failure is
logged and reported to the caller, and the request or comment stays.

@mentioned people who gave a Slack member ID (their debt settings) are also mentioned in
the incident's team channel, through the same delivery queue as reminders (sent by the
worker, retried, at most once per comment). The channel is the whole team's, so for a
restricted post-mortem the message names only its reference: the title and the comment
stay in Kintsugi, behind the access rules.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from kintsugi.accounts.models import User
from kintsugi.core.debt.slack import escape_slack, slack_link
from kintsugi.debt.clock import get_clock
from kintsugi.debt.models import (
    Channel,
    Delivery,
    DeliveryKind,
    PersonDebtSettings,
    TeamDebtSettings,
)
from kintsugi.debt.services.deliveries import enqueue
from kintsugi.postmortems.models import Incident

log = logging.getLogger(__name__)


def incident_url(incident: Incident, anchor: str = "") -> str:
    base = getattr(settings, "KINTSUGI_BASE_URL", "").rstrip("/")
    return f"{base}/incidents/{incident.pk}/" + (f"#{anchor}" if anchor else "")


def send_each(people: Iterable[User], subject: str, body: str) -> int:
    """One message per person with an address; how many the server accepted."""
    # A title or a name is one line in a header, whatever was typed (no header injection).
    subject = " ".join(subject.split())[:200]
    messages = [
        EmailMessage(
            subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[p.email]
        )
        for p in people
        if p.email
    ]
    if not messages:
        return 0
    try:
        with get_connection(fail_silently=False) as connection:
            return int(connection.send_messages(messages) or 0)
    except (SMTPException, OSError) as error:
        log.warning("Review mail not sent (%s): %s", subject, error)
        return 0


def review_requested(incident: Incident, reviewers: Iterable[User], by: User) -> int:
    subject = f"Review requested: {incident.reference} {incident.title}"
    body = (
        f"{by.display_name} asks you to review the post-mortem {incident.reference} "
        f"“{incident.title}”.\n\n"
        f"Read it, comment on any section, then approve it or ask for changes:\n"
        f"{incident_url(incident, 'review')}\n"
    )
    return send_each(reviewers, subject, body)


# What Slack shows of the comment (the link leads to the rest).
SLACK_QUOTE = 500


def slack_member_ids(people: Iterable[User]) -> list[str]:
    """The member IDs of those who asked to be mentioned in Slack, in a stable order."""
    rows = PersonDebtSettings.objects.filter(user__in=list(people), slack_enabled=True).values_list(
        "slack_member_id", flat=True
    )
    # Checked on save; checked again because the ID goes into Slack markup verbatim.
    return sorted({m for m in rows if m and m.isascii() and m.isalnum() and m[0] in "UW"})


def mention_in_slack(
    incident: Incident, people: Iterable[User], by: User, text: str, anchor: str, key: str
) -> int:
    """Queue one message in the team's channel mentioning ``people``; how many were queued
    (0 or 1). ``key`` makes it once per comment, however often this is called."""
    people = list(people)
    if incident.team_id is None or not people:  # most comments mention nobody: no query
        return 0
    team = TeamDebtSettings.objects.filter(team_id=incident.team_id).first()
    members = slack_member_ids(people)
    if team is None or not team.has_slack or not members:
        return 0
    mentions = " ".join(f"<@{member}>" for member in members)
    link = slack_link(incident.reference, incident_url(incident, anchor))
    if incident.is_restricted:
        text_line = (
            f"{mentions} you were mentioned in a comment on {link} "
            "(restricted: open it in Kintsugi to read it)."
        )
    else:
        quoted = escape_slack(text[:SLACK_QUOTE]) + ("…" if len(text) > SLACK_QUOTE else "")
        text_line = (
            f"{mentions} {escape_slack(by.display_name)} mentioned you on {link} "
            f"“{escape_slack(incident.title)}”:\n>{quoted}"
        )
    now = get_clock().now()  # the worker's clock (tests stop it)
    return enqueue(
        [
            Delivery(
                idempotency_key=key,
                channel=Channel.SLACK,
                recipient=f"team:{incident.team_id}",
                kind=DeliveryKind.MENTION,
                team_id=incident.team_id,
                subject=f"Mention on {incident.reference}",
                payload={"text": text_line},
                created_at=now,
                updated_at=now,
                next_attempt_at=now,
            )
        ]
    )


def mentioned(incident: Incident, people: Iterable[User], by: User, text: str, anchor: str) -> int:
    subject = f"{by.display_name} mentioned you on {incident.reference}"
    quoted = "\n".join(f"> {line}" for line in text[:2000].splitlines())
    body = (
        f"{by.display_name} mentioned you in a comment on {incident.reference} "
        f"“{incident.title}”:\n\n{quoted}\n\n{incident_url(incident, anchor)}\n"
    )
    return send_each(people, subject, body)
