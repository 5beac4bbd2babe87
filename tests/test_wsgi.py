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


def test_a_configuration_error_is_one_line_and_exit_2(tmp_path):
    """What gunicorn shows for a bad configuration: one line, no traceback."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update(KINTSUGI_ENV="production", KINTSUGI_DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", "import kintsugi.wsgi"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "SECRET_KEY" in result.stderr
