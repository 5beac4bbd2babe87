"""Failed password sign-ins, counted per account and per client address, in the database.

Guessing passwords needs many attempts; after ``LOGIN_FAILURES_PER_ACCOUNT`` failures for one
username (as typed, case-folded) or ``LOGIN_FAILURES_PER_ADDRESS`` from one address within
``LOGIN_FAILURE_WINDOW_MINUTES``, further attempts are refused before the password is looked
at. The counts live in a table (``SignInFailure``) so that every app server sees the same
ones. A refused attempt is not itself counted: the lock lifts when the window has passed
over the failures that caused it, however often someone knocks meanwhile.

The check and the record are two statements, not one transaction: requests racing on several
servers may each get one attempt past the limit. That bounds guessing at the limit plus the
number of concurrent requests per window, which is what matters; a row lock per account would
serialise every sign-in for no real gain.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from kintsugi.accounts.models import SignInFailure, User

logger = logging.getLogger("kintsugi.security")

# Tests replace this to move time on without sleeping.
clock: Callable[[], datetime] = timezone.now

_LOGGED_NAME = 64  # characters of a known username shown in the log


@dataclass(frozen=True)
class Lockout:
    """Why an attempt is refused and for how long, in words for the person signing in."""

    scope: str  # "account" or "address"
    retry_at: datetime

    def minutes(self, now: datetime) -> int:
        return max(1, math.ceil((self.retry_at - now).total_seconds() / 60))

    def wait(self, now: datetime) -> str:
        """How long, in words: "1 minute", "12 minutes"."""
        minutes = self.minutes(now)
        return "1 minute" if minutes == 1 else f"{minutes} minutes"

    def retry_after(self, now: datetime) -> str:
        """The ``Retry-After`` header's value: whole seconds, at least one."""
        return str(max(1, math.ceil((self.retry_at - now).total_seconds())))

    def message(self, now: datetime) -> str:
        where = "for this account" if self.scope == "account" else "from your network address"
        return f"Too many failed sign-ins {where}; try again in {self.wait(now)}."


def window() -> timedelta:
    return timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)


def account_key(username: str | None) -> str:
    """The same key for ``Alice``, ``ALICE`` and ``alice`` (NFKC, then case-folded), and for
    look-alike compatibility forms; a hash, so that what was typed is never stored."""
    if not username:
        return ""
    folded = unicodedata.normalize("NFKC", username).casefold()
    return hashlib.sha256(folded.encode("utf-8", "surrogatepass")).hexdigest()


def client_address(request: HttpRequest) -> str:
    """``REMOTE_ADDR``, or the X-Forwarded-For entry the outermost trusted proxy added.

    Entries left of the trusted ones were written by the client and prove nothing. IPv6
    addresses count per /64: one host usually holds a whole /64.
    """
    candidates = [request.META.get("REMOTE_ADDR", "") or ""]
    hops = settings.TRUSTED_PROXY_HOPS
    if hops:
        entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        entries = [e for e in entries if e]
        if len(entries) >= hops:
            candidates.insert(0, entries[-hops])
    for raw in candidates:
        try:
            address = ipaddress.ip_address(raw)
            break
        except ValueError:
            continue
    else:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _lockout(field: str, value: str, limit: int, scope: str, now: datetime) -> Lockout | None:
    recent = list(
        SignInFailure.objects.filter(**{field: value, "at__gte": now - window()})
        .order_by("-at")
        .values_list("at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return None
    # The lock lifts when the limit-th most recent failure leaves the window.
    return Lockout(scope=scope, retry_at=recent[limit - 1] + window())


def lockout(request: HttpRequest, username: str | None) -> Lockout | None:
    """The lock that refuses this attempt, if any: the account's first, as it is the more
    specific message."""
    now = clock()
    key = account_key(username)
    if key:
        found = _lockout("account", key, settings.LOGIN_FAILURES_PER_ACCOUNT, "account", now)
        if found:
            return found
    return _lockout(
        "address", client_address(request), settings.LOGIN_FAILURES_PER_ADDRESS, "address", now
    )


def _who(username: str | None) -> str:
    """A username for the log only when it names an account: an unknown one is often a
    password typed into the wrong box, and never belongs in a log."""
    if not username:
        return "(no username)"
    # PostgreSQL refuses a NUL in a query parameter; no username holds one anyway.
    known = len(username) <= 150 and "\x00" not in username
    if known and User._default_manager.filter(username=username).exists():
        return repr(username[:_LOGGED_NAME])
    return f"(unknown account {account_key(username)[:12]})"


def refused(request: HttpRequest, username: str | None, found: Lockout) -> None:
    now = clock()
    logger.info(
        "Sign-in refused while locked (%s): user=%s address=%s retry_in_minutes=%d",
        found.scope,
        _who(username),
        client_address(request),
        found.minutes(now),
    )


def record_failure(request: HttpRequest, username: str | None) -> None:
    """Count a failed attempt, log it, log the lock it causes, and prune rows past the window."""
    now = clock()
    key = account_key(username)
    address = client_address(request)
    SignInFailure.objects.create(account=key, address=address, at=now)
    SignInFailure.objects.filter(at__lt=now - window()).delete()
    who = _who(username)
    logger.warning("Sign-in failed: user=%s address=%s", who, address)
    found = lockout(request, username)
    if found:
        logger.warning(
            "Sign-in locked (%s): user=%s address=%s for %d minutes",
            found.scope,
            who,
            address,
            found.minutes(now),
        )


def record_success(username: str | None) -> None:
    """A correct password clears the account's failures, not the address's: one valid account
    must not let an address go on guessing at the others."""
    key = account_key(username)
    if key:
        SignInFailure.objects.filter(account=key).delete()
