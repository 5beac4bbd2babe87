"""Django's database sessions, with the read every signed-in request makes compiled once.

The session behind each request is read before anything else, about 700 Python calls
for Django to build one query. Here it is the same table and the same answer, through a
query compiled once per process (``kintsugi.database.PreparedRead``): the row by its key,
its expiry compared here rather than in SQL, so that the only parameter is the key.
Writes, expiry and ``clearsessions`` are Django's own.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import router
from django.utils import timezone

from kintsugi.database import PreparedRead, attnames

_FIELDS = attnames(Session)
_SESSION = PreparedRead(
    lambda key: Session.objects.filter(session_key=key).values_list(*_FIELDS), text=True
)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        rows = _SESSION.rows(self.session_key)
        if rows:
            session = Session.from_db(router.db_for_read(Session), _FIELDS, rows[0])
            if session.expire_date > timezone.now():
                return session
        self._session_key = None  # as Django's: an unknown or expired key starts afresh
        return None
