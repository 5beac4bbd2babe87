"""Email to the people a review concerns: requested reviewers and @mentioned people.

Sent after the change is saved, one message per person, through Django's mail settings
(docs/configuration.md). A mail server that is down loses no review: the failure is
logged and reported to the caller, and the request or comment stays.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from kintsugi.accounts.models import User
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


def mentioned(incident: Incident, people: Iterable[User], by: User, text: str, anchor: str) -> int:
    subject = f"{by.display_name} mentioned you on {incident.reference}"
    quoted = "\n".join(f"> {line}" for line in text[:2000].splitlines())
    body = (
        f"{by.display_name} mentioned you in a comment on {incident.reference} "
        f"“{incident.title}”:\n\n{quoted}\n\n{incident_url(incident, anchor)}\n"
    )
    return send_each(people, subject, body)
