"""The invitation link and its email.

The link is ``/invite/<token>/`` on ``KINTSUGI_BASE_URL`` (never the request's Host, as
for password resets: a forged Host must not send someone a link to another server). The
token is the invitation's id and key, signed with ``SECRET_KEY`` and dated: it expires
after ``KINTSUGI_INVITATION_DAYS`` (a setting, 7 by default), and dies when the invitation is used, withdrawn or re-sent
(a new key).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from kintsugi.administration.models import Invitation

logger = logging.getLogger("kintsugi.security")

SALT = "kintsugi.administration.invitation"
MAX_TOKEN = 300  # a real token is about 70 characters; longer is junk, refused unread
SUBJECT = "You are invited to Kintsugi"
TEMPLATE = "administration/email/invitation.txt"


class LinkProblem(Exception):
    """Why a link cannot be used, in words for the person who clicked it."""

    def __init__(self, message: str, *, status: int = 404, used_by: int | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.used_by = used_by  # who accepted it, when that is the problem


def invitation_days() -> int:
    """Read per use, not at import, so a test or a reloaded setting takes effect."""
    return int(settings.KINTSUGI_INVITATION_DAYS)


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "k": invitation.key}, salt=SALT, compress=False)


def invitation_link(invitation: Invitation) -> str:
    path = reverse("invitation-accept", kwargs={"token": invitation_token(invitation)})
    return f"{settings.KINTSUGI_BASE_URL}{path}"


def invitation_from_token(token: str) -> Invitation:
    """The open invitation a link names, or ``LinkProblem`` saying why not."""
    invalid = LinkProblem(
        "This invitation link is not valid. Ask whoever invited you for a new one."
    )
    if not token or len(token) > MAX_TOKEN:
        raise invalid
    days = invitation_days()
    try:
        data = signing.loads(token, salt=SALT, max_age=timedelta(days=days))
    except signing.SignatureExpired:
        raise LinkProblem(
            f"This invitation has expired (links work for {days} days). "
            "Ask whoever invited you to send it again.",
            status=410,
        ) from None
    except signing.BadSignature:
        raise invalid from None
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        raise invalid
    invitation = Invitation.objects.select_related("team").filter(pk=data["i"]).first()
    if invitation is None or invitation.key != data.get("k") or invitation.withdrawn_at:
        raise invalid
    if invitation.accepted_at is not None:
        raise LinkProblem(
            "This invitation has already been used: sign in instead.",
            status=410,
            used_by=invitation.accepted_by_id,
        )
    return invitation


def invitation_message(invitation: Invitation) -> EmailMessage:
    inviter = invitation.invited_by
    body = render_to_string(
        TEMPLATE,
        {
            "invitation": invitation,
            "inviter": inviter.display_name if inviter else "An administrator",
            "link": invitation_link(invitation),
            "days": invitation_days(),
            "base_url": settings.KINTSUGI_BASE_URL,
            "sso_only": settings.SSO_ONLY,
        },
    )
    return EmailMessage(SUBJECT, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])


def send_invitation(invitation: Invitation) -> bool:
    """Send now, in the request: the admin who asked sees at once whether the mail server
    took it (an invitation is not a secret to hide, unlike a reset request's answer)."""
    try:
        get_connection(fail_silently=False).send_messages([invitation_message(invitation)])
    except Exception:  # the mail server refused or is down: the page says so
        logger.exception("Invitation email could not be sent (invitation %s)", invitation.pk)
        return False
    return True
