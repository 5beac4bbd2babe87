"""Email over SMTP: one multipart message (plain text and HTML) per delivery."""

from __future__ import annotations

import smtplib
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.smtp import EmailBackend

from kintsugi.debt.delivery.errors import DeliveryError
from kintsugi.debt.models import Delivery


def smtp_connection() -> BaseEmailBackend:
    """SMTP, configured from the environment (docs/configuration.md); in development with
    no EMAIL_HOST, the console (``EMAIL_TO_CONSOLE``), so `make run`'s worker does not
    retry a mail server that is not there.

    Built explicitly rather than through ``EMAIL_BACKEND`` so that reminders go out by
    SMTP even where a test runner swaps the backend for an in-memory one.
    """
    if getattr(settings, "EMAIL_TO_CONSOLE", False):
        return ConsoleBackend(fail_silently=False)
    return EmailBackend(
        host=settings.EMAIL_HOST,
        port=settings.EMAIL_PORT,
        username=settings.EMAIL_HOST_USER or None,
        password=settings.EMAIL_HOST_PASSWORD or None,
        use_tls=settings.EMAIL_USE_TLS,
        timeout=settings.EMAIL_TIMEOUT,
        fail_silently=False,
    )


def send_email(delivery: Delivery, now: datetime) -> None:
    message = EmailMultiAlternatives(
        subject=delivery.subject,
        body=delivery.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.recipient],
        headers={"X-Kintsugi-Delivery": delivery.idempotency_key},
        connection=smtp_connection(),
    )
    if delivery.body_html:
        message.attach_alternative(delivery.body_html, "text/html")
    server = f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as error:
        codes = ", ".join(f"{code}" for code, _ in error.recipients.values())
        raise DeliveryError(f"SMTP server {server} refused the recipient ({codes}).") from None
    except smtplib.SMTPAuthenticationError as error:
        raise DeliveryError(
            f"SMTP server {server} refused the login ({error.smtp_code}); "
            "check EMAIL_HOST_USER and EMAIL_HOST_PASSWORD."
        ) from None
    except smtplib.SMTPResponseException as error:
        text = error.smtp_error.decode("utf-8", "replace")[:200] if error.smtp_error else ""
        raise DeliveryError(f"SMTP server {server} answered {error.smtp_code} {text}.") from None
    except (TimeoutError, smtplib.SMTPException) as error:
        raise DeliveryError(f"SMTP error with {server}: {error}.") from None
    except OSError as error:
        reason = error.strerror or str(error) or type(error).__name__
        raise DeliveryError(f"SMTP server {server} is unreachable: {reason}.") from None
