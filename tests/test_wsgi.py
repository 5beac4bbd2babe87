"""The WSGI entry point: the application, and start-up objects frozen for the collector."""

from __future__ import annotations

import gc


def test_it_serves_the_app_and_freezes_what_start_up_made():
    from kintsugi import wsgi

    try:
        gc.unfreeze()
        assert gc.get_freeze_count() == 0
        wsgi.settle_startup_objects()
        assert gc.get_freeze_count() > 10_000  # modules, models, URL patterns...
        assert callable(wsgi.application)
    finally:
        gc.unfreeze()
