"""A process freezes what its warm-up made once, after its first requests (settle.py)."""

from __future__ import annotations

import gc
import threading

import pytest
from django.http import HttpResponse

from kintsugi.operations.settle import SettleAfterWarmUpMiddleware


@pytest.fixture
def thawed():
    """The test process must keep collecting everything: undo any freeze afterwards."""
    yield
    gc.unfreeze()


def _middleware(settings, after: int) -> SettleAfterWarmUpMiddleware:
    settings.GC_SETTLE_AFTER = after
    return SettleAfterWarmUpMiddleware(lambda request: HttpResponse("ok"))


def test_it_freezes_once_after_the_warm_up(settings, rf, thawed):
    gc.unfreeze()
    middleware = _middleware(settings, 3)
    for _ in range(2):
        assert middleware(rf.get("/")).content == b"ok"
    assert not middleware.settled and gc.get_freeze_count() == 0
    middleware(rf.get("/"))
    assert middleware.settled and gc.get_freeze_count() > 0
    gc.unfreeze()
    middleware(rf.get("/"))  # later requests change nothing
    assert gc.get_freeze_count() == 0


def test_threads_racing_the_last_warm_up_request_freeze_once(settings, rf, thawed):
    gc.unfreeze()
    middleware = _middleware(settings, 8)
    start = threading.Barrier(8)

    def serve() -> None:
        start.wait()
        middleware(rf.get("/"))

    threads = [threading.Thread(target=serve) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert middleware.settled and middleware.served == 8


def test_zero_turns_it_off(settings, rf, thawed):
    gc.unfreeze()
    middleware = _middleware(settings, 0)
    for _ in range(30):
        middleware(rf.get("/"))
    assert not middleware.served and gc.get_freeze_count() == 0


def test_the_test_suite_runs_with_it_off(settings):
    assert settings.GC_SETTLE_AFTER == 0
