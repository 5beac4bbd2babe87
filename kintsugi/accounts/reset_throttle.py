"""Requests for a password reset email, limited per email address and per client address.

Each request sends mail, so an unlimited form would let anyone flood a colleague's inbox,
or make Kintsugi's mail server look like a spammer. Two limits, in the database like the
sign-in throttle (``kintsugi.accounts.throttle``, whose account key and client address this
reuses), so that every app server counts the same requests:

- ``PASSWORD_RESETS_PER_EMAIL`` per address typed within ``PASSWORD_RESET_WINDOW_MINUTES``:
  beyond it the request is answered exactly as any other ("check your email") and no mail
  is sent. Answering differently would say nothing about accounts (the count is the same
  for an address nobody has), but the person at the keyboard needs no more mail either.
- ``PASSWORD_RESETS_PER_ADDRESS`` from one client address: beyond it the form answers 429
  and says for how long, as the sign-in page does.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpRequest

from kintsugi.accounts import throttle
from kintsugi.accounts.models import PasswordResetRequest
from kintsugi.accounts.throttle import Lockout


def window() -> timedelta:
    return timedelta(minutes=settings.PASSWORD_RESET_WINDOW_MINUTES)


def _recent(now: datetime, limit: int, **match: str) -> list[datetime]:
    """The times of the ``limit`` most recent requests that match, newest first."""
    return list(
        PasswordResetRequest.objects.filter(at__gte=now - window(), **match)
        .order_by("-at")
        .values_list("at", flat=True)[:limit]
    )


def address_lockout(request: HttpRequest) -> Lockout | None:
    """The lock on this client address, once it has made the most requests allowed."""
    now = throttle.clock()
    limit = settings.PASSWORD_RESETS_PER_ADDRESS
    recent = _recent(now, limit, address=throttle.client_address(request))
    if len(recent) < limit:
        return None
    return Lockout(scope="address", retry_at=recent[limit - 1] + window())


def lockout_message(found: Lockout) -> str:
    wait = found.wait(throttle.clock())
    return f"Too many password reset requests from your network address; try again in {wait}."


def record(request: HttpRequest, email: str) -> bool:
    """Count this request; whether mail may still be sent to ``email`` in this window."""
    now = throttle.clock()
    key = throttle.account_key(email)
    PasswordResetRequest.objects.create(
        account=key, address=throttle.client_address(request), at=now
    )
    PasswordResetRequest.objects.filter(at__lt=now - window()).delete()
    if not key:
        return False
    limit = settings.PASSWORD_RESETS_PER_EMAIL
    return len(_recent(now, limit + 1, account=key)) <= limit
