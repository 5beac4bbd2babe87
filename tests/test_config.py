import os
import subprocess
import sys

import pytest

from kintsugi.config import ConfigurationError, env_bool, env_list, environment, production_problems


def test_it_parses_booleans_strictly():
    assert env_bool("X", False, {"X": "yes"}) is True
    assert env_bool("X", True, {"X": "off"}) is False
    with pytest.raises(ConfigurationError, match="not a boolean"):
        env_bool("X", False, {"X": "ture"})


def test_it_splits_lists():
    assert env_list("HOSTS", [], {"HOSTS": "a.example, b.example,,"}) == ["a.example", "b.example"]


def test_it_refuses_an_unknown_environment():
    with pytest.raises(ConfigurationError, match="KINTSUGI_ENV"):
        environment({"KINTSUGI_ENV": "staging"})


def test_it_lists_every_unsafe_production_setting():
    problems = production_problems(secret_key="", debug=True, allowed_hosts=["*"])
    assert len(problems) == 3


def test_it_accepts_a_safe_production_configuration():
    assert production_problems(secret_key="x" * 50, debug=False, allowed_hosts=["pm.example"]) == []


def _run_check(**env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("KINTSUGI_ENV", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS")
    }
    return subprocess.run(
        [sys.executable, "-m", "kintsugi", "check"],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_to_start_in_production_without_a_secret_key(tmp_path):
    result = _run_check(KINTSUGI_DATA_DIR=str(tmp_path), ALLOWED_HOSTS="pm.example")
    assert result.returncode == 2
    assert "SECRET_KEY is not set" in result.stderr


def test_it_refuses_to_start_in_production_with_debug_on(tmp_path):
    result = _run_check(
        KINTSUGI_DATA_DIR=str(tmp_path), ALLOWED_HOSTS="pm.example", SECRET_KEY="k" * 50, DEBUG="1"
    )
    assert result.returncode == 2
    assert "DEBUG is on" in result.stderr


def test_it_starts_in_production_with_a_safe_configuration(tmp_path):
    result = _run_check(
        KINTSUGI_DATA_DIR=str(tmp_path), ALLOWED_HOSTS="pm.example", SECRET_KEY="k" * 50
    )
    assert result.returncode == 0, result.stderr


def test_it_passes_djangos_system_checks_without_warnings(db):
    from django.core.management import call_command

    call_command("check", fail_level="WARNING")
