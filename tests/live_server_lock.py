"""One request at a time in the live server when it shares the test's SQLite connection.

With an in-memory SQLite database, Django hands the test thread's connection to every
request thread of the live server. Two requests at once (a page's htmx fragments, a form
posted while they load) then share one connection: one thread's ``atomic()`` can be half
entered when another asks for ``on_commit()``, which fails with "cannot be used in manual
transaction management". A real server gives each thread its own connection, as the live
server does on PostgreSQL, where this lock is not installed.

Requests are serialised, not connections: keep-alive connections stay open and a waiting
browser tab is not blocked by another tab's idle connection.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def serialised(app: WSGIApp, lock: threading.Lock) -> WSGIApp:
    """``app`` run under ``lock``, its body read before the lock is let go."""

    def run(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        with lock:
            result = app(environ, start_response)
            try:
                return [b"".join(result)]
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()  # request_finished runs here, still under the lock

    return run


class SharedConnectionServer(ThreadedWSGIServer):
    def set_app(self, application: WSGIApp) -> None:
        if self.connections_override:
            application = serialised(application, threading.Lock())
        super().set_app(application)


def install() -> None:
    LiveServerThread.server_class = SharedConnectionServer
