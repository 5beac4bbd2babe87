"""Moving what a process keeps for good out of the garbage collector's reach, once warm.

``kintsugi.wsgi.settle_startup_objects`` freezes what exists when the app is loaded, but
much of what a process keeps is made by its first requests: templates compiled on first
use, modules imported lazily, the language rules' lexicons, the URL resolver's caches. Each
full collection walks all of it again: measured on the Insights page (36 months, report not
cached, PostgreSQL, 20,000 incidents), those collections were the whole of its p95 (wall
p95 140-155 ms; 87-95 ms with what the warm-up made frozen). So after a process has
answered its first ``GC_SETTLE_AFTER`` requests, it collects once and freezes what is left.
Objects made later are collected as usual.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class SettleAfterWarmUpMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.after = settings.GC_SETTLE_AFTER  # 0: never (the test suite's own process)
        self.served = 0
        self.settled = self.after <= 0
        self._lock = threading.Lock()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not self.settled:
            with self._lock:
                self.served += 1
                if self.served >= self.after and not self.settled:
                    self.settled = True
                    gc.collect()
                    gc.freeze()
        return response
