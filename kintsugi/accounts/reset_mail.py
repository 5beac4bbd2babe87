"""The password reset email: a one-time link, built on ``KINTSUGI_BASE_URL``, sent off the
request.

The link is built on the configured base URL, never on the request's Host header: a forged
Host would otherwise send a real person a link to someone else's server, carrying their
token. Django's token generator makes it one-time (it hashes the current password and the
last sign-in, so it dies once either changes) and short-lived (``PASSWORD_RESET_TIMEOUT``).

The answer to a reset request must not tell whether an account has the address typed,
neither by its words nor by its time. Talking to the mail server takes tens of
milliseconds to seconds, so the messages are sent by a thread after the answer is decided,
and a message is built (and dropped) for an unknown address too: both answers do the same
work in the request.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from kintsugi.accounts.models import User

logger = logging.getLogger("kintsugi.security")

SUBJECT = "Reset your Kintsugi password"
TEMPLATE = "accounts/email/password_reset.txt"


def reset_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password-reset-confirm", kwargs={"uidb64": uid, "token": token})
    return f"{settings.KINTSUGI_BASE_URL}{path}"


def reset_message(user: User) -> EmailMessage:
    """The email for ``user``, to the address stored on the account (not the one typed,
    which may differ in case or in look-alike characters)."""
    body = render_to_string(
        TEMPLATE,
        {
            "user": user,
            "link": reset_link(user),
            "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
            "base_url": settings.KINTSUGI_BASE_URL,
        },
    )
    return EmailMessage(SUBJECT, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def messages_for(users: Iterable[User], typed_email: str) -> list[EmailMessage]:
    """One message per account with that address; with none, one built and thrown away."""
    messages = [reset_message(user) for user in users]
    if not messages:
        reset_message(User(pk=0, username="", email=typed_email[:254]))
    return messages


def _send(messages: list[EmailMessage]) -> None:
    try:
        sent = get_connection(fail_silently=False).send_messages(messages)
    except Exception:  # the person already has their answer; the log is where it goes
        logger.exception("Password reset email could not be sent to %d account(s)", len(messages))
        return
    logger.info("Password reset email sent to %d account(s)", sent or 0)


def send_in_background(messages: list[EmailMessage]) -> threading.Thread | None:
    """Send off the request; the thread is returned for whoever wants to wait for it.

    Not a daemon: a server shutting down waits for it (at most ``EMAIL_TIMEOUT``) rather
    than dropping an email someone was promised."""
    if not messages:
        return None
    sender = threading.Thread(target=_send, args=(messages,), name="password-reset-mail")
    sender.start()
    return sender
