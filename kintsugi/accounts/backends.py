"""Django's ``ModelBackend``, with the signed-in user of each request read without
compiling a query.

Every page and htmx fragment asks for the user its session names. Django builds and
compiles that one-row query anew each time, about 700 Python calls; here it is the same
SQL, compiled once per process (``kintsugi.database.PreparedRead``). Signing in, passwords
and permissions are ``ModelBackend``'s own.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db import router

from kintsugi.accounts.models import User
from kintsugi.database import PreparedRead, attnames

_FIELDS = attnames(User)
_USER = PreparedRead(lambda pk: User._default_manager.filter(pk=pk).values_list(*_FIELDS))


class UserBackend(ModelBackend):
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
