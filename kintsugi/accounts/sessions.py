"""Django's database sessions, with the read every signed-in request makes compiled once.

The session behind each request is read before anything else, about 700 Python calls
for Django to build one query. Here it is the same table and the same answer, through a
query compiled once per process: ``kintsugi.django_internals.SessionStore``, which names
the Django internals it relies on. Writes, expiry and ``clearsessions`` are Django's own.
"""

from __future__ import annotations

from kintsugi.django_internals import SessionStore

__all__ = ["SessionStore"]
