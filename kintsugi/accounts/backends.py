"""Django's ``ModelBackend``, with the signed-in user of each request read without
compiling a query.

Every page and htmx fragment asks for the user its session names. Django builds and
compiles that one-row query anew each time, about 700 Python calls; here it is the same
SQL, compiled once per process (``kintsugi.django_internals.PreparedRead``). Passwords and
permissions are ``ModelBackend``'s own.

Signing in with a password goes through the throttle (``kintsugi.accounts.throttle``) here,
so that every form that takes a password (the sign-in page, the admin's) is counted and
refused alike. The sign-in page checks first itself to answer 429; this check is what holds
for any other caller.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import router
from django.http import HttpRequest

from kintsugi.accounts import throttle
from kintsugi.accounts.hash_slots import SignInBusy, hashing_slot
from kintsugi.accounts.models import User
from kintsugi.django_internals import PreparedRead, attnames

_FIELDS = attnames(User)
_USER = PreparedRead(lambda pk: User._default_manager.filter(pk=pk).values_list(*_FIELDS))


# Set on a request the backend has counted or refused, so the view does not count it again.
FAILURE_RECORDED = "_kintsugi_signin_failure_recorded"
# Set (to the SignInBusy) on a request whose password was not checked: no slot was free.
SIGNIN_BUSY = "_kintsugi_signin_busy"


class UserBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if password is not None and settings.SSO_ONLY:
            return None  # every password form (the admin's too) is off; see sso/views.py
        if request is None or password is None:
            # No client to throttle (a command, a test's ``authenticate()``).
            return super().authenticate(request, username, password, **kwargs)  # type: ignore[return-value]
        found = throttle.lockout(request, username)
        if found:
            throttle.refused(request, username, found)
            setattr(request, FAILURE_RECORDED, True)
            raise PermissionDenied(found.message(throttle.clock()))  # stops every backend
        try:
            with hashing_slot():  # the hash is slow on purpose: a few at a time per machine
                user = super().authenticate(request, username, password, **kwargs)
        except SignInBusy as busy:
            # Not a failure: nothing was checked. The sign-in page answers 503; any other
            # password form refuses this attempt like a wrong password, uncounted.
            setattr(request, SIGNIN_BUSY, busy)
            setattr(request, FAILURE_RECORDED, True)
            raise PermissionDenied(str(busy)) from None
        if user is None:
            throttle.record_failure(request, username)
            setattr(request, FAILURE_RECORDED, True)
        else:
            throttle.record_success(username)
        return user  # type: ignore[return-value]

    def get_user(self, user_id: Any) -> User | None:
        try:
            key = int(user_id)
        except (TypeError, ValueError):
            return None  # a session from elsewhere, or tampered with: signed out
        rows = _USER.rows(key)
        if not rows:
            return None
        user = User.from_db(router.db_for_read(User), _FIELDS, rows[0])
        return user if self.user_can_authenticate(user) else None
